"""The audit log names the verb a teammate tried, also when that verb needs another verb's role
(rejecting a draft is an approver's call, removing a tag an agent's), and the desk's outcomes name
people as data that the Slack side turns into mentions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.domain.desk import Desk
from bot.domain.outcomes import ActionRefused
from bot.domain.access import Access
from bot.domain.outcomes import Person, Said
from bot.inbound import Author, InboundMessage
from bot.slack_ui import outcome_text
from storage import repositories as repo
from storage.db import Database
from tests.support.config import ALICE, BOB, CAROL, make_config

ROLES = """
roles:
  admin: [U0ADMIN01, S0ADMINS1]
  approver: [U0BOB0001]
  agent: [U0ALICE01]
  viewer: [U0CAROL01]
approval: {roles: [agent]}
"""


class NobodyInGroups:
    def members(self, usergroup: str) -> frozenset[str]:
        return frozenset()


class Replying:
    platform = "Webhook"
    max_reply_length = 1000
    can_reply = True


def test_refusals_are_audited_under_the_verb_that_was_tried(database_url):
    db = Database(database_url)
    db.migrate()
    config = make_config("http://127.0.0.1:9/replies", ROLES)
    desk = Desk(db, config, ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)),
                {source: Replying() for source in config.sources}, access=Access(config, NobodyInGroups()))
    conversation_id = desk.ingest(InboundMessage(
        source_id="acme-hook", external_id="m1", conversation_external_id="m1", kind="comment",
        author=Author("a1", "Kim"), text="Where is my order?", url=None,
        sent_at=datetime(2026, 11, 23, 8, tzinfo=UTC))).conversation_id
    assert outcome_text.summary(desk.reply(conversation_id, ALICE, "We are on it.")) == \
        "Your reply to ACME-1 waits for approval."
    draft = desk.latest_draft(conversation_id)
    desk.tag(conversation_id, ALICE, ["bug"])

    with pytest.raises(ActionRefused) as rejecting:
        desk.reject(draft.id, ALICE, "too casual")
    with pytest.raises(ActionRefused) as untagging:
        desk.untag(conversation_id, CAROL, ["bug"])
    desk.reject(draft.id, BOB, "too casual")

    # What the teammates are told is unchanged: the role the verb needs.
    assert outcome_text.refusal(rejecting.value).startswith(
        "You cannot approve for Acme: it needs the approver role and you are agent. "
        "Ask <@U0ADMIN01> or <!subteam^S0ADMINS1> to change")
    assert outcome_text.refusal(untagging.value).startswith("You cannot tag for Acme: it needs the agent role")
    with db.reading() as session:
        entries = repo.audit_entries(session, conversation_id=conversation_id)
    assert [(entry.actor_slack_id, entry.action, entry.outcome) for entry in entries
            if entry.outcome == "refused" or entry.action == "rejected"] == [
        (ALICE, "reject", "refused"), (CAROL, "untag", "refused"), (BOB, "rejected", "done")]
    assert entries[-2].detail["reason"].startswith("You cannot tag for Acme")


def test_people_in_an_outcome_become_mentions_on_the_slack_side():
    said = Said(Person("U0BOB0001"), " took ACME-3 a moment ago. Ask ", Person("S0PR0001", group=True), ".")
    assert outcome_text.text(said) == "<@U0BOB0001> took ACME-3 a moment ago. Ask <!subteam^S0PR0001>."
    assert str(said) == "@U0BOB0001 took ACME-3 a moment ago. Ask @S0PR0001."
    assert outcome_text.text("plain") == "plain"


def test_an_sla_note_names_who_it_pings_and_older_notes_keep_their_mention():
    assert outcome_text.deadline_mention({"notify_user": "U0BOB0001"}) == "<@U0BOB0001>"
    assert outcome_text.deadline_mention({"notify_group": "S0DUTY001"}) == "<!subteam^S0DUTY001>"
    assert outcome_text.deadline_mention({"mention": "<!subteam^S0DUTY001>"}) == "<!subteam^S0DUTY001>"
    assert outcome_text.deadline_mention({"mention": ""}) == ""
    assert outcome_text.deadline_mention({}) == ""
