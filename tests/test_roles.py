"""Who may do what: roles per brand, by user or user group, refusals audited, other workspaces kept out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from storage.models import AuditEntry
from tests.support.bot import Bot, customer_message, running_bot
from tests.support.config import ALICE, BOB, CAROL, make_config
from tests.support.slack import shown

DAVE = "U0DAVE001"
ROLES = """
roles:
  admin: [U0ADMIN01]
  agent: [S0AGENTS1]
  viewer: [U0CAROL01]
slack: {team_id: T0TEAM001}
"""


@pytest.fixture
def guarded(database_url, slack_api, receiver) -> Iterator[Bot]:
    slack_api.usergroups["S0AGENTS1"] = [ALICE, BOB]
    with running_bot(database_url, slack_api, make_config(receiver.url, ROLES)) as bot:
        yield bot


def ephemeral_texts(bot: Bot) -> list[str]:
    return [response.get("text", "") for response in bot.api.responses]


def test_an_agent_from_a_user_group_may_act(guarded):
    guarded.webhook(customer_message())
    guarded.slack.click(ALICE, guarded.parent(), "resolve")
    guarded.api.wait_for(lambda: "Resolved" in shown(guarded.parent()))


def test_a_viewer_is_refused_with_the_reason_and_nothing_changes(guarded):
    guarded.webhook(customer_message())
    parent = guarded.parent()

    guarded.slack.click(CAROL, parent, "resolve")
    guarded.slack.click(CAROL, parent, "reply")

    texts = guarded.api.wait_for(lambda: len(ephemeral_texts(guarded)) == 2 and ephemeral_texts(guarded))
    assert "You cannot resolve for Acme: it needs the agent role and you are viewer" in texts[0]
    assert "<@U0ADMIN01>" in texts[0]
    assert "You cannot reply" in texts[1]
    assert guarded.api.view_for_user(CAROL) is None  # no Reply modal opened
    guarded.wait_idle()
    assert "Resolved" not in shown(guarded.parent())
    assert guarded.api.thread("C0ACME01", parent.ts) == []


def test_someone_without_a_role_cannot_even_look(guarded):
    guarded.webhook(customer_message())
    answer = guarded.slack.command(DAVE, "/social", "show ACME-1", "C0ACME01").json()
    assert "You cannot view for Acme: it needs the viewer role and you have no role" in answer["text"]
    listing = guarded.slack.command(DAVE, "/social", "queue", "C0ACME01").json()
    assert "ACME-1" not in listing["text"]


def test_a_viewer_can_look_but_not_change(guarded):
    guarded.webhook(customer_message())
    shown_text = guarded.slack.command(CAROL, "/social", "show ACME-1", "C0ACME01").json()["text"]
    assert "ACME-1" in shown_text
    refused = guarded.slack.command(CAROL, "/social", "assign ACME-1 me", "C0ACME01").json()["text"]
    assert refused.startswith("You cannot assign for Acme")


def test_a_request_from_another_workspace_changes_nothing(guarded):
    guarded.webhook(customer_message())
    guarded.slack.team_id = "T0OTHER01"
    answer = guarded.slack.command(ALICE, "/social", "resolve ACME-1", "C0ACME01").json()
    assert answer["text"] == "socialdesk works only in its own workspace; nothing was done."
    guarded.slack.team_id = "T0TEAM001"
    assert "Resolved" not in shown(guarded.parent())


def test_a_thread_message_from_another_workspace_is_refused_and_audited_once_when_slack_retries(guarded):
    guarded.slack.team_id = "T0OTHER01"
    event = {"type": "message", "channel": "C0ACME01", "user": ALICE, "text": "hi", "ts": "1763883000.000200"}
    assert guarded.slack.event(event, event_id="Ev0OTHER01").status_code == 200
    assert guarded.slack.event(event, event_id="Ev0OTHER01", retry_num=1).status_code == 200
    guarded.slack.team_id = "T0TEAM001"
    with guarded.runtime.db.transaction() as session:
        refusals = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
    assert len(refusals) == 1 and "not the configured one" in refusals[0].detail["reason"]


def test_brands_without_roles_let_everyone_act(bot):
    bot.webhook(customer_message())
    bot.slack.click(DAVE, bot.parent(), "resolve")
    bot.api.wait_for(lambda: "Resolved" in shown(bot.parent()))


def test_the_audit_log_has_every_action_and_every_refusal(guarded, database_url, tmp_path):
    guarded.webhook(customer_message())
    guarded.slack.command(ALICE, "/social", "assign ACME-1 me", "C0ACME01")
    guarded.slack.command(CAROL, "/social", "resolve ACME-1", "C0ACME01")
    guarded.slack.command(BOB, "/social", "note ACME-1 checking the order", "C0ACME01")
    guarded.wait_idle()

    env = {**os.environ, "DATABASE_URL": database_url}
    run = subprocess.run([sys.executable, "-m", "bot", "audit", "--ref", "acme-1", "--format", "json"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    entries = json.loads(run.stdout)
    assert [(e["who"], e["action"], e["outcome"]) for e in entries] == [
        (ALICE, "assigned", "done"), (CAROL, "resolve", "refused"), (BOB, "noted", "done"),
    ]
    assert all(e["ref"] == "ACME-1" for e in entries)
    assert "needs the agent role" in entries[1]["detail"]

    table = subprocess.run([sys.executable, "-m", "bot", "audit", "--ref", "ACME-1"], capture_output=True,
                           text=True, env=env, cwd=tmp_path, check=True).stdout.splitlines()
    assert table[0].split() == ["at", "who", "ref", "action", "outcome", "detail"]
    assert len(table) == 4


def test_audit_names_an_unknown_conversation(database_url, tmp_path):
    from storage.db import Database

    Database(database_url).migrate()  # audit only reads: the bot's database exists
    env = {**os.environ, "DATABASE_URL": database_url}
    run = subprocess.run([sys.executable, "-m", "bot", "audit", "--ref", "ACME-99"], capture_output=True,
                         text=True, env=env, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == "socialdesk: --ref: no conversation ACME-99 in this database"


def test_roles_name_the_bad_member_in_app_yaml(receiver):
    from bot.config import ConfigError

    with pytest.raises(ConfigError) as error:
        make_config(receiver.url, "roles: {agent: ['#social']}\n")
    assert str(error.value) == ("app.yaml: roles.agent.0: '#social' does not look right: expected a Slack user id "
                                "such as U0123ABCD or a user group id such as S0123ABCD")
