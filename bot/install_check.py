"""`socialdesk check`: every problem with app.yaml, the environment, the database and the Slack
install in one run, each with what to do about it. Offline without SLACK_BOT_TOKEN; with it, Slack too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from slack_sdk import WebClient

from bot.config import Config, ConfigError, load_config
from bot.settings import SLACK_API_DEFAULT, database_url
from bot.slack_check import Finding, check_slack
from bot.templates import VARIABLES, TemplateBook
from handlers.socket_mode import open_link_url
from storage.status import database_status


def run_check(env: Mapping[str, str], out: TextIO) -> int:
    findings: list[Finding] = []
    config_path = env.get("SOCIALDESK_CONFIG") or "app.yaml"
    config = _config_findings(config_path, env, findings)
    status = database_status(database_url(env))
    findings.append(Finding(status.ok, status.summary, status.fix))
    app_token = env.get("SLACK_APP_TOKEN", "").strip()
    if app_token:
        findings.append(_app_token_finding(app_token, env))
    token = env.get("SLACK_BOT_TOKEN", "").strip()
    if token:
        if not env.get("SLACK_SIGNING_SECRET", "").strip() and not env.get("SLACK_APP_TOKEN", "").strip():
            findings.append(Finding(False, "SLACK_SIGNING_SECRET is not set",
                                    "export the Signing Secret from your app's Basic Information page "
                                    "(or, for Socket Mode, SLACK_APP_TOKEN)"))
        findings += check_slack(slack_client(token, env), config).findings
    else:
        findings.append(Finding(True, "Slack: not checked, SLACK_BOT_TOKEN is not set (export it once the app "
                                      "is installed, then run `socialdesk check` again)"))
    problems = [finding for finding in findings if not finding.ok]
    for finding in findings:
        out.write(f"  {'✓' if finding.ok else '✗'} {finding.what}\n")
        if finding.fix and not finding.ok:
            out.write(f"      fix: {finding.fix}\n")
    out.write(f"socialdesk: {len(problems)} problem(s) to fix\n" if problems else "socialdesk: all checks passed\n")
    return 1 if problems else 0


def slack_client(token: str, env: Mapping[str, str]) -> WebClient:
    client = WebClient(token=token, base_url=_api_url(env), timeout=10)
    client.retry_handlers = []
    return client


def _api_url(env: Mapping[str, str]) -> str:
    api_url = env.get("SLACK_API_URL") or SLACK_API_DEFAULT
    return api_url if api_url.endswith("/") else api_url + "/"


def _app_token_finding(app_token: str, env: Mapping[str, str]) -> Finding:
    """The Socket Mode token, tried as `serve` tries it: by asking Slack for a link URL (left unused)."""
    try:
        open_link_url(_api_url(env), app_token)
    except ConfigError as error:
        return Finding(False, str(error), blocking=True)
    return Finding(True, "SLACK_APP_TOKEN: Slack opens Socket Mode links with it")


def _config_findings(path: str, env: Mapping[str, str], findings: list[Finding]) -> Config | None:
    try:
        config = load_config(path)
    except ConfigError as error:
        findings.append(Finding(False, str(error), "correct app.yaml (docs/configuration.md lists the keys)"))
        return None
    findings.append(Finding(True, f"{path}: configuration OK: {len(config.brands)} brand(s), {len(config.sources)} "
                                  f"source(s), {len(config.escalation)} escalation tier(s)"))
    for source_id, source in config.sources.items():
        for purpose, name in source.env_vars().items():
            if not env.get(name, "").strip():
                findings.append(Finding(False, f"sources.{source_id}: environment variable {name} "
                                               f"({purpose.replace('_', ' ')}) is not set", f"export {name}"))
    try:
        book = TemplateBook(config, Path(path).parent)
    except ConfigError as error:
        findings.append(Finding(False, str(error), "correct the template"))
        return config
    for unknown in book.unknown_variables():
        where, name = unknown.rsplit(": ", 1)
        findings.append(Finding(False, f"{where} uses {{{{ {name} }}}}, which the bot does not fill",
                                f"use one of {', '.join(VARIABLES)}"))
    return config
