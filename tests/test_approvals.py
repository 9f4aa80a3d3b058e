"""Approvals (seed 004): a reply that needs an approver is a draft until one approves it."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.support.bot import Bot, customer_message, running_bot
from tests.support.config import ALICE, BOB, CAROL, make_config
from tests.support.slack import all_text

APPROVALS = """
roles:
  admin: [U0ADMIN01]
  approver: [U0BOB0001]
  agent: [U0ALICE01, U0CAROL01]
approval: {roles: [agent]}
"""


@pytest.fixture
def gated(database_url, slack_api, receiver) -> Iterator[Bot]:
    with running_bot(database_url, slack_api, make_config(receiver.url, APPROVALS)) as bot:
        yield bot


def draft_note(bot: Bot):
    parent = bot.parent()
    return bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", parent.ts) if "waiting for approval" in m.text])[0]


def write_reply(bot: Bot, user: str, text: str) -> None:
    before = (bot.api.view_for_user(user) or {}).get("id")
    bot.slack.click(user, bot.parent(), "reply")
    form = bot.api.wait_for(lambda: (bot.api.view_for_user(user) or {}).get("id") not in (None, before)
                            and bot.api.view_for_user(user))
    bot.slack.submit(user, form, {"text": text})


def test_an_agents_reply_waits_as_a_draft_until_an_approver_approves(gated, receiver):
    gated.webhook(customer_message())
    write_reply(gated, ALICE, "We will refund you today.")
    note = draft_note(gated)
    assert "<@U0BOB0001> <@U0ADMIN01>" in all_text(note.blocks)
    gated.wait_idle()
    assert receiver.requests == []

    gated.slack.click(CAROL, note, "approve_reply")
    refusal = gated.api.wait_for(lambda: gated.api.responses)[-1]["text"]
    assert refusal.startswith("You cannot approve for Acme: it needs the approver role and you are agent")
    as_first_seen = copy.deepcopy(note)  # a second click on the buttons before the edit reached Slack
    gated.slack.click(BOB, note, "approve_reply")

    receiver.wait_for(lambda: receiver.deliveries)
    assert receiver.deliveries[0].body["text"] == "We will refund you today."
    edited = gated.api.wait_for(lambda: "Approved by <@U0BOB0001>" in all_text(gated.api.message("C0ACME01", note.ts).blocks))
    assert edited
    gated.slack.click(BOB, as_first_seen, "approve_reply")
    assert gated.api.wait_for(lambda: len(gated.api.responses) == 2 and gated.api.responses)[-1]["text"] == \
        "That reply to ACME-1 was approved by <@U0BOB0001> already."
    gated.wait_idle()
    assert len(receiver.deliveries) == 1


def test_an_approver_can_edit_the_draft_before_it_goes(gated, receiver):
    gated.webhook(customer_message())
    write_reply(gated, ALICE, "we refund u today")
    note = draft_note(gated)
    gated.slack.click(BOB, note, "edit_draft")
    form = gated.api.wait_for(lambda: gated.api.view_for_user(BOB))
    assert form["callback_id"] == "approve_edit_modal"
    gated.slack.submit(BOB, form, {"text": "We will refund you today, sorry for the trouble."})

    receiver.wait_for(lambda: receiver.deliveries)
    assert receiver.deliveries[0].body["text"] == "We will refund you today, sorry for the trouble."
    thread = gated.api.wait_for(lambda: [m.text for m in gated.api.thread("C0ACME01", gated.parent().ts)
                                         if "approved the reply (edited)" in m.text])
    assert thread


def test_a_rejected_draft_is_never_sent_and_approvals_work_by_command(gated, receiver, database_url, tmp_path):
    gated.webhook(customer_message())
    write_reply(gated, ALICE, "lol no")
    draft_note(gated)
    listing = gated.slack.command(BOB, "/social", "drafts", "C0ACME01").json()["text"]
    assert "*ACME-1* by <@U0ALICE01>: _lol no_" in listing
    answer = gated.slack.command(BOB, "/social", "reject ACME-1 Too casual for a complaint", "C0ACME01").json()
    assert answer["text"] == "Rejected the draft reply to ACME-1."
    gated.wait_idle()
    assert receiver.requests == []

    write_reply(gated, ALICE, "Sorry about this, we are on it.")
    gated.api.wait_for(lambda: "Sorry about this" in gated.slack.command(BOB, "/social", "drafts", "C0ACME01").json()["text"])
    assert gated.slack.command(BOB, "/social", "approve ACME-1", "C0ACME01").json()["text"] == \
        "Approved: the reply to ACME-1 is on its way."
    receiver.wait_for(lambda: receiver.deliveries)
    gated.wait_idle()
    env = {**os.environ, "DATABASE_URL": database_url}
    audit = json.loads(subprocess.run([sys.executable, "-m", "bot", "audit", "--ref", "ACME-1", "--format", "json"],
                                      capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout)
    assert [(e["who"], e["action"]) for e in audit if e["action"] in ("drafted", "rejected", "approved")] == [
        (ALICE, "drafted"), (BOB, "rejected"), (ALICE, "drafted"), (BOB, "approved")]


def test_an_approvers_own_reply_goes_out_at_once(gated, receiver):
    gated.webhook(customer_message())
    write_reply(gated, BOB, "On it!")
    receiver.wait_for(lambda: receiver.deliveries)
