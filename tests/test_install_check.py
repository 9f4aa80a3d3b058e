"""`socialdesk check` tells the truth about an install, and `serve` will not start on a bad token."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.slack_scopes import bot_scopes
from storage.db import Database

TOKEN = "xoxb-check-token"
APP_TOKEN = "xapp-check-token"
APP_YAML = """
brands:
  acme:
    name: Acme
    ref_prefix: ACME
    slack_channel: C0ACME01
    on_duty_usergroup: S0DUTY001
    templates:
      thanks: "Thanks {{ author_name }}!"
escalation:
  pr: {name: PR team, slack_channel: C0PR0001, usergroup: S0PR0001}
sources:
  acme-hook: {brand: acme, type: webhook, secret_env: ACME_HOOK_SECRET}
"""


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackStandIn]:
    """A workspace where everything is right: app.yaml, a migrated database, the bot in its channels."""
    (tmp_path / "app.yaml").write_text(APP_YAML)
    url = f"sqlite:///{tmp_path / 'socialdesk.db'}"
    db = Database(url)
    db.migrate()
    db.dispose()
    for name in [n for n in os.environ if n.startswith(("SLACK_", "SOCIALDESK_"))]:
        monkeypatch.delenv(name)
    with SlackStandIn(token=TOKEN, channels={"C0ACME01", "C0PR0001"}, app_token=APP_TOKEN) as api:
        api.set_channel("C0ACME01", name="acme-social")
        api.set_channel("C0PR0001", name="pr-team", member=False)  # posted to with chat:write.public
        api.usergroups.update({"S0DUTY001": [], "S0PR0001": []})
        api.usergroup_handles.update({"S0DUTY001": "acme-duty", "S0PR0001": "pr"})
        for name, value in {"SOCIALDESK_CONFIG": str(tmp_path / "app.yaml"), "DATABASE_URL": url,
                            "ACME_HOOK_SECRET": "s", "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "sig",
                            "SLACK_API_URL": api.base_url}.items():
            monkeypatch.setenv(name, value)
        yield api


def check(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check"])
    return code, capsys.readouterr().out


def test_everything_right_exits_0_with_the_checklist(install, capsys):
    code, out = check(capsys)
    assert code == 0, out
    assert "✗" not in out
    for line in ("configuration OK: 1 brand(s)", "is up to date", "bot @socialdesk",
                 f"all {len(bot_scopes())} the bot uses are granted", "#acme-social (C0ACME01",
                 "the bot is a member", "#pr-team", "chat:write.public", "@acme-duty", "socialdesk: all checks passed"):
        assert line in out


def test_a_bad_token_is_named_and_fails(install, capsys, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "not-a-token")
    code, out = check(capsys)
    assert code == 1
    assert "SLACK_BOT_TOKEN: Slack answered invalid_auth (a bot token starts with xoxb-)" in out
    assert "OAuth & Permissions" in out



def test_socket_mode_needs_no_signing_secret(install, capsys, monkeypatch):
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    code, out = check(capsys)
    assert code == 0, out
    assert "SLACK_SIGNING_SECRET" not in out
    assert "SLACK_APP_TOKEN: Slack opens Socket Mode links with it" in out
    monkeypatch.delenv("SLACK_APP_TOKEN")
    code, out = check(capsys)
    assert code == 1 and "SLACK_SIGNING_SECRET is not set" in out


@pytest.mark.parametrize(("app_token", "refusal"), [
    ("xapp-unknown", "SLACK_APP_TOKEN: Slack refused it (invalid_auth)"),
    (TOKEN, "SLACK_APP_TOKEN: Slack refused it (not_allowed_token_type): this is not an app-level token"),
])
def test_an_app_token_slack_refuses_is_named_as_serve_would(install, capsys, monkeypatch, app_token, refusal):
    monkeypatch.setenv("SLACK_APP_TOKEN", app_token)
    code, out = check(capsys)
    assert code == 1
    assert refusal in out

@pytest.mark.scopes_taken_away
def test_every_problem_is_named_in_one_run(install, capsys, monkeypatch, tmp_path):
    install.scopes = [scope for scope in bot_scopes() if scope not in ("files:write", "chat:write.public")]
    install.set_channel("C0ACME01", name="acme-social", member=False)
    del install.usergroups["S0PR0001"]
    (tmp_path / "app.yaml").write_text(APP_YAML.replace("{{ author_name }}", "{{ customer_nickname }}"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, out = check(capsys)
    assert code == 1
    assert "scope files:write is missing" in out and "reinstall the app" in out
    assert "scope chat:write.public is missing" in out
    assert "invite the bot: /invite @socialdesk in #acme-social" in out
    assert "invite the bot: /invite @socialdesk in #pr-team" in out  # without chat:write.public it must join
    assert "user group S0PR0001 (escalation.pr.usergroup) does not exist" in out
    assert "brands.acme.templates.thanks uses {{ customer_nickname }}" in out
    assert "DATABASE_URL: cannot open the database" in out
    assert "socialdesk: 7 problem(s) to fix" in out


def test_an_archived_or_deleted_channel_is_named(install, capsys):
    install.set_channel("C0ACME01", name="acme-social", archived=True)
    install.delete_channel("C0PR0001")
    code, out = check(capsys)
    assert code == 1
    assert "#acme-social (C0ACME01, brands.acme.slack_channel) is archived" in out
    assert "<#C0PR0001> (escalation.pr.slack_channel): Slack has no channel C0PR0001" in out


def test_without_a_token_the_offline_part_runs_and_no_database_file_is_created(install, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'not-yet.db'}")
    code, out = check(capsys)
    assert code == 0, out
    assert "not-yet.db does not exist yet" in out
    assert "Slack: not checked, SLACK_BOT_TOKEN is not set" in out
    assert not (tmp_path / "not-yet.db").exists()
    assert install.calls == []


def test_pending_migrations_are_reported(install, capsys, monkeypatch, tmp_path):
    import sqlite3

    sqlite3.connect(tmp_path / "empty.db").close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    code, out = check(capsys)
    assert code == 0, out
    assert "migration(s) pending" in out


def _serve(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_"))}
    return subprocess.run([sys.executable, "-m", "bot", "serve"], env={**base, **env}, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_serve_refuses_a_bad_token_at_once_with_one_line(install, tmp_path):
    env = {name: value for name, value in os.environ.items() if name.startswith(("SLACK_", "SOCIALDESK_", "DATABASE_", "ACME_"))}
    result = _serve({**env, "SLACK_BOT_TOKEN": "xoxb-typo", "PORT": "1"}, tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "SLACK_BOT_TOKEN: Slack answered invalid_auth" in lines[0]
    assert "xoxb-typo" not in result.stderr


@pytest.mark.scopes_taken_away
def test_serve_refuses_a_token_without_chat_write(install, tmp_path):
    install.scopes = [scope for scope in bot_scopes() if scope != "chat:write"]
    env = {name: value for name, value in os.environ.items() if name.startswith(("SLACK_", "SOCIALDESK_", "DATABASE_", "ACME_"))}
    result = _serve({**env, "PORT": "1"}, tmp_path)
    assert result.returncode != 0
    assert "scope chat:write is missing" in result.stderr.strip().splitlines()[0]


def _env_of_install() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name.startswith(("SLACK_", "SOCIALDESK_", "DATABASE_", "ACME_"))}


def test_digest_posts_with_its_chart_and_prints_no_warning(install, tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_"))}
    result = subprocess.run([sys.executable, "-m", "bot", "digest", "--brand", "acme"], env={**base, **_env_of_install()},
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # Bolt used to warn: "As you gave `client` as well, `token` will be unused."
    assert install.messages("C0ACME01")
    assert [call.http_status for call in install.calls_to("files.completeUploadExternal")] == [200]  # files:write


@pytest.mark.scopes_taken_away
def test_serve_starts_without_an_optional_scope_and_warns_once(install, tmp_path):
    import socket

    import httpx

    install.scopes = [scope for scope in bot_scopes() if scope != "files:write"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_"))}
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=tmp_path, text=True,
                              env={**base, **_env_of_install(), "PORT": str(port), "HOST": "127.0.0.1"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def healthy() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        install.wait_for(healthy, timeout=30)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    warnings = [line for line in output.splitlines() if " WARNING " in line]
    assert len(warnings) == 1 and "scope files:write is missing" in warnings[0], output



def test_digest_with_a_bad_token_says_so_in_one_line(install, tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_"))}
    result = subprocess.run([sys.executable, "-m", "bot", "digest", "--brand", "acme"],
                            env={**base, **_env_of_install(), "SLACK_BOT_TOKEN": "xoxb-typo"},
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "invalid_auth" in result.stderr
    assert install.messages("C0ACME01") == []
