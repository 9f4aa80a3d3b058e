"""Reading app.yaml: YAML, then the model, with every problem said in one line that names its key."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.config.errors import ConfigError, KeyPathError
from bot.config.model import Config
from bot.config.sources import SOURCE_TYPES


def load_config(path: str | os.PathLike[str]) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: file not found; run `socialdesk init` to write a commented starter app.yaml here, "
            "or set SOCIALDESK_CONFIG"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_config(text, str(path))


def parse_config(text: str, origin: str = "app.yaml") -> Config:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{origin}:{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping with at least a 'brands' key")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, KeyPathError):
        return f"{cause.key}: {cause.reason}"
    key = ".".join(str(part) for part in error["loc"] if not _is_union_tag(part))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "required key is missing"
    elif error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against the example app.yaml)"
    elif error["type"] == "string_pattern_mismatch":
        message = f"{error['input']!r} does not look right: {_pattern_hint(key)}"
    elif error["type"] == "string_type" and type(error["input"]) in (int, float):
        # page_id: 123 is read by YAML as a number; an id must keep every digit as written.
        message = f"{error['input']} is a number here; quote it: {key.rsplit('.', 1)[-1]}: \"{error['input']}\""
    elif error["type"] == "too_short" and key == "brands":
        message = "at least one brand is required"
    elif error["type"] == "union_tag_invalid":
        message = f"unknown source type {error['input'].get('type')!r}; supported: {', '.join(SOURCE_TYPES)}"
    return f"{key or 'top level'}: {message}"


def _is_union_tag(part: object) -> bool:
    return part in SOURCE_TYPES


def _pattern_hint(key: str) -> str:
    parts = key.split(".")
    if len(parts) >= 3 and parts[-3] == "roles" and parts[-1].isdigit():
        return "expected a Slack user id such as U0123ABCD or a user group id such as S0123ABCD"
    if len(parts) >= 2 and parts[-2] == "on_call":
        return "expected a Slack user group id such as S0123ABCD (the on-call group for that priority)"
    last = parts[-1]
    if last.endswith("_env"):
        return "expected the name of an environment variable, e.g. ACME_HOOK_SECRET"
    if last.endswith("_url"):
        return "expected an http:// or https:// URL"
    hints = {
        "slack_channel": "expected a Slack channel id such as C0123ABCD (not a #name)",
        "channel": "expected a Slack channel id such as C0123ABCD (not a #name)",
        "crisis_channel": "expected a Slack channel id such as C0123ABCD (not a #name)",
        "usergroup": "expected a Slack user group id such as S0123ABCD",
        "ref_prefix": "expected 1-10 capital letters or digits, starting with a letter, e.g. ACME",
        "secret_env": "expected the name of an environment variable, e.g. ACME_HOOK_SECRET",
        "reply_url": "expected an http:// or https:// URL",
        "page_id": "expected the numeric id of the Facebook Page",
        "instagram_account_id": "expected the numeric id of the Instagram professional account",
        "graph_version": "expected a Graph API version such as v21.0",
        "channel_id": "expected a YouTube channel id such as UCa-vrCLQHviTOVnEKDOdetQ",
        "handle": "expected a Bluesky handle such as acme.bsky.social",
        "slash_command": "expected a command such as /social",
        "team_id": "expected a Slack workspace id such as T0123ABCD",
    }
    return hints.get(last, "see the example app.yaml")
