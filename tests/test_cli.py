"""The command line: clear one-line errors, never a traceback; the manifest; the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import yaml

from bot.demo.standins.slack_web_api import SlackStandIn
from tests.support.cli import GOOD_ENV, ROOT, assert_one_line_error, healthy, socialdesk


def test_serve_without_token_says_which_variable(tmp_path):
    assert_one_line_error(socialdesk("serve", cwd=tmp_path), "SLACK_BOT_TOKEN is not set")


def test_serve_without_signing_secret_says_which_variable(tmp_path):
    assert_one_line_error(socialdesk("serve", env={"SLACK_BOT_TOKEN": "xoxb-1"}, cwd=tmp_path), "SLACK_SIGNING_SECRET")


def test_serve_with_a_bad_app_yaml_names_the_key_and_reason(tmp_path):
    (tmp_path / "app.yaml").write_text(
        "brands:\n  acme: {name: Acme, ref_prefix: ACME, slack_channel: '#social', timezone: UTC}\n"
    )
    result = socialdesk("serve", env=GOOD_ENV, cwd=tmp_path)
    assert_one_line_error(result, "brands.acme.slack_channel", "channel id")


def test_serve_without_app_yaml_says_where_it_looked(tmp_path):
    assert_one_line_error(socialdesk("serve", env=GOOD_ENV, cwd=tmp_path), "app.yaml: file not found")


def test_serve_with_a_missing_source_secret_names_the_variable(tmp_path):
    env = {k: v for k, v in GOOD_ENV.items() if k != "HANEUL_HOOK_SECRET"}
    result = socialdesk("serve", env={**env, "SOCIALDESK_CONFIG": str(ROOT / "app.yaml")}, cwd=tmp_path)
    assert_one_line_error(result, "sources.haneul-reviews.secret_env", "HANEUL_HOOK_SECRET")


def test_serve_with_an_unreachable_database_says_so(tmp_path):
    with example_workspace() as api:
        env = {**GOOD_ENV, "SOCIALDESK_CONFIG": str(ROOT / "app.yaml"), "SLACK_API_URL": api.base_url,
               "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
        assert_one_line_error(socialdesk("serve", env=env, cwd=tmp_path), "DATABASE_URL", "cannot open the database")


def test_the_example_app_yaml_is_valid(tmp_path):
    with example_workspace() as api:
        result = socialdesk("check", env={**GOOD_ENV, "SOCIALDESK_CONFIG": str(ROOT / "app.yaml"),
                                          "SLACK_API_URL": api.base_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert result.returncode == 0, result.stdout
    assert "configuration OK: 2 brand(s)" in result.stdout


@contextmanager
def example_workspace() -> Iterator[SlackStandIn]:
    """A Slack workspace where the example app.yaml's channels and user groups exist."""
    with SlackStandIn(token="xoxb-1") as api:
        api.usergroups.update({"S0DUTY001": [], "S0PR0001": []})
        yield api


def test_manifest_points_every_request_url_at_slack_events():
    result = socialdesk("manifest", "--url", "https://bot.example.com/")
    assert result.returncode == 0, result.stderr
    manifest = yaml.safe_load(result.stdout)
    endpoint = "https://bot.example.com/slack/events"
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": endpoint}
    assert manifest["features"]["slash_commands"][0]["command"] == "/social"
    assert manifest["features"]["slash_commands"][0]["url"] == endpoint
    assert {"chat:write", "commands"} <= set(manifest["oauth_config"]["scopes"]["bot"])


def test_manifest_refuses_a_non_https_url():
    assert_one_line_error(socialdesk("manifest", "--url", "http://localhost:3000"), "--url", "https://")


def test_serve_creates_the_database_and_answers_slack_and_webhooks(tmp_path):
    import json
    import socket

    import httpx

    from bot.platforms.webhook import SIGNATURE_HEADER, sign

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with example_workspace() as api:
        env = {**GOOD_ENV, "SOCIALDESK_CONFIG": str(ROOT / "app.yaml"), "SLACK_API_URL": api.base_url,
               "PORT": str(port), "HOST": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_"))}
        server = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env={**base, **env}, cwd=tmp_path,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            url = f"http://127.0.0.1:{port}"
            api.wait_for(lambda: healthy(url), timeout=20)
            body = json.dumps({"id": "1", "kind": "dm", "author": {"id": "a"}, "text": "hi"}).encode()
            response = httpx.post(f"{url}/webhooks/acme-hook", content=body,
                                  headers={SIGNATURE_HEADER: sign("a", body)})
            assert response.status_code == 202
            api.wait_for(lambda: [m for m in api.messages("C0ACME01") if m.text.startswith("ACME-1 ")], timeout=10)
        finally:
            server.terminate()
            output = server.communicate(timeout=20)[0]
    assert (tmp_path / "new.db").exists()
    assert "Traceback" not in output, output
    assert "xoxb-1" not in output
    assert [line for line in output.splitlines() if " WARNING " in line or "will be unused" in line] == []


def test_manifest_follows_the_configured_command_and_offers_home_and_shortcut(tmp_path):
    (tmp_path / "app.yaml").write_text(
        "brands:\n  acme: {name: Acme, ref_prefix: ACME, slack_channel: C0ACME01}\nslash_command: /desk\n"
    )
    result = socialdesk("manifest", "--url", "https://bot.example.com", cwd=tmp_path)
    manifest = yaml.safe_load(result.stdout)
    assert manifest["features"]["slash_commands"][0]["command"] == "/desk"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["shortcuts"][0]["callback_id"] == "track_message"
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
