"""The app manifest: accepted by Slack's published schema, request URLs built right, scopes from the table."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.cli import main
from bot.manifest import ManifestError, manifest
from bot.slack_scopes import bot_scopes

ROOT = Path(__file__).resolve().parents[1]
OWN_SCHEMA = ROOT / "tests" / "support" / "slack_manifest_limits.schema.json"
SHARED_SCHEMA = ROOT.parent / "shared" / "schemas" / "manifest.schema.1.0.0.json"


def slacks_schema() -> dict[str, Any] | None:
    """Slack's own schema, when this machine has it (SLACK_MANIFEST_SCHEMA or the shared folder)."""
    path = Path(os.environ.get("SLACK_MANIFEST_SCHEMA") or SHARED_SCHEMA)
    return json.loads(path.read_text()) if path.is_file() else None


def schema_errors(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


MANIFESTS = {
    "plain": lambda: manifest("https://bot.example.com"),
    "path and query": lambda: manifest("https://x.example.com/bot/?key=abc", command="/desk", name="Acme social desk"),
}


@pytest.mark.parametrize("build", MANIFESTS.values(), ids=MANIFESTS.keys())
def test_the_manifest_passes_our_restatement_of_slacks_limits(build):
    assert schema_errors(build(), json.loads(OWN_SCHEMA.read_text())) == []


@pytest.mark.slack_manifest_schema
@pytest.mark.parametrize("build", MANIFESTS.values(), ids=MANIFESTS.keys())
def test_the_manifest_passes_slacks_published_schema(build):
    schema = slacks_schema()
    if schema is None:
        pytest.skip("Slack's manifest schema is not on this machine: set SLACK_MANIFEST_SCHEMA to "
                    "manifest.schema.1.0.0.json from slackapi/manifest-schema")
    assert schema_errors(build(), schema) == []


def test_our_schema_refuses_what_slack_refuses():
    own = json.loads(OWN_SCHEMA.read_text())
    too_long = manifest("https://bot.example.com")
    too_long["features"]["shortcuts"][0]["name"] = "Track as social conversation"  # 28 characters
    assert any("shortcuts/0/name" in error for error in schema_errors(too_long, own))
    unknown = manifest("https://bot.example.com")
    unknown["settings"]["interactivity"]["url"] = "https://bot.example.com"
    assert schema_errors(unknown, own)


@pytest.mark.parametrize(("base", "endpoint"), [
    ("https://bot.example.com", "https://bot.example.com/slack/events"),
    ("https://bot.example.com/", "https://bot.example.com/slack/events"),
    ("https://x.example.com/bot", "https://x.example.com/bot/slack/events"),
    ("https://x.example.com/bot/", "https://x.example.com/bot/slack/events"),
    ("https://x.example.com/bot?key=a1&b=2", "https://x.example.com/bot/slack/events?key=a1&b=2"),
    ("https://x.example.com:8443/?key=a1", "https://x.example.com:8443/slack/events?key=a1"),
])
def test_every_request_url_joins_the_path_and_keeps_the_query_at_the_end(base, endpoint):
    built = manifest(base)
    assert built["settings"]["event_subscriptions"]["request_url"] == endpoint
    assert built["settings"]["interactivity"]["request_url"] == endpoint
    assert built["features"]["slash_commands"][0]["url"] == endpoint


@pytest.mark.parametrize("base", ["http://bot.example.com", "bot.example.com", "https://", "https://x.example.com/#top",
                                  "https://x.example.com/?key=" + "k" * 3000])
def test_a_url_slack_cannot_use_is_refused(base):
    with pytest.raises(ManifestError, match="--url"):
        manifest(base)


def test_name_sets_the_apps_and_the_bot_users_name(capsys):
    assert main(["manifest", "--url", "https://bot.example.com", "--name", "Acme desk"]) == 0
    printed = capsys.readouterr().out
    assert "name: Acme desk" in printed and "display_name: Acme desk" in printed
    with pytest.raises(ManifestError, match="--name"):
        manifest("https://bot.example.com", name="A name far longer than Slack allows for apps")


def test_the_scopes_are_the_tables_and_dms_show_in_the_messages_tab():
    built = manifest("https://bot.example.com")
    assert built["oauth_config"]["scopes"]["bot"] == bot_scopes()
    assert {"files:write", "im:write", "commands"} <= set(bot_scopes())
    # the bot sends DMs (conversations.open + chat.postMessage): they must have a tab to show in
    assert built["features"]["app_home"]["messages_tab_enabled"] is True
