"""Snooze: the conversation leaves the queues and its nudges wait, then it comes back with a note; a
customer message wakes it at once. Through /social, the webhook, Slack's stand-in and the real
scanner on a ManualClock (the bot's own scan runs hourly here; the test runs it when it moves time)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import ManualClock
from bot.domain.sla import SlaScanner
from tests.support.bot import Bot, running_bot
from storage.models import AuditEntry
from tests.support.config import ALICE, BOB, CAROL, make_config
from tests.support.seoul import seoul
from tests.support.slack import open_home, section, shown



@pytest.fixture
def clock():
    return ManualClock(seoul(2026, 11, 24, 10, 0))  # a Tuesday


@pytest.fixture
def bot(database_url, slack_api, receiver, clock):
    with running_bot(database_url, slack_api, make_config(receiver.url), clock) as running:
        yield running


def travel(clock: ManualClock, to: datetime) -> None:
    clock.advance(to - clock.now())


def scan(bot: Bot, clock: ManualClock) -> None:
    SlaScanner(bot.runtime.db, bot.config, clock, bot.runtime.desk.notify_effects).scan()
    bot.wait_idle()


def social(bot: Bot, text: str, user: str = BOB) -> str:
    response = bot.slack.command(user, "/social", text, "C0ACME01")
    assert response.status_code == 200
    bot.wait_idle()
    return response.json()["text"]


def customer_writes(bot: Bot, message_id: str = "c1", kind: str = "comment"):
    body = {"id": message_id, "conversation_id": "conv-1", "kind": kind, "author": {"id": "a1", "name": "Kim"},
            "text": "Where is my order?"}
    assert bot.webhook(body).status_code == 202
    bot.wait_idle()
    return bot.parent()


def notes(bot: Bot, parent) -> list[str]:
    return [m.text for m in bot.api.thread("C0ACME01", parent.ts)]


def test_a_snoozed_conversation_leaves_the_queues_gets_no_nudges_and_comes_back(bot, clock):
    parent = customer_writes(bot)  # due 11:00, warned at 10:45
    assert social(bot, "snooze ACME-1 2h") == "ACME-1 snoozed until Tue 24 Nov 12:00 (Asia/Seoul)."
    assert "ACME-1" not in social(bot, "queue")
    assert "ACME-1" not in social(bot, "queue unassigned")
    assert "Snoozed until" in shown(bot.api.wait_for(lambda: [
        m for m in bot.api.messages("C0ACME01") if "Snoozed until" in shown(m)])[0])
    assert notes(bot, parent)[0].startswith(f":zzz: <@{BOB}> snoozed this until <!date^")

    travel(clock, seoul(2026, 11, 24, 11, 30))  # warning and deadline have passed while snoozed
    scan(bot, clock)
    assert len(notes(bot, parent)) == 1

    travel(clock, seoul(2026, 11, 24, 12, 0))
    scan(bot, clock)
    texts = notes(bot, parent)
    assert texts[1] == ":alarm_clock: Back from snooze: the time is up"
    assert "ACME-1" in social(bot, "queue")
    assert "Snoozed until" not in shown(bot.parent())
    scan(bot, clock)
    assert sum("Back from snooze" in t for t in notes(bot, parent)) == 1


def test_a_new_customer_message_wakes_it_at_once(bot, clock):
    parent = customer_writes(bot)
    social(bot, "snooze ACME-1 tomorrow")
    customer_writes(bot, "c2")
    assert ":alarm_clock: The customer wrote again: back from snooze" in notes(bot, parent)
    assert "ACME-1" in social(bot, "queue")


def test_hours_are_business_hours_under_a_business_hours_policy_and_days_are_local(bot, clock):
    travel(clock, seoul(2026, 11, 24, 17, 0))
    customer_writes(bot, kind="dm")
    assert social(bot, "snooze ACME-1 2h") == "ACME-1 snoozed until Wed 25 Nov 10:00 (Asia/Seoul)."
    assert social(bot, "snooze ACME-1 mon 9:00") == "ACME-1 snoozed until Mon 30 Nov 09:00 (Asia/Seoul)."
    assert social(bot, "snooze ACME-1 tomorrow 14:30") == "ACME-1 snoozed until Wed 25 Nov 14:30 (Asia/Seoul)."


def test_unsnooze_brings_it_back_now(bot, clock):
    parent = customer_writes(bot)
    social(bot, "snooze ACME-1 3d")
    assert social(bot, "unsnooze ACME-1") == "ACME-1 is back in the queues."
    assert notes(bot, parent)[-1] == f":alarm_clock: <@{BOB}> ended the snooze"
    assert "ACME-1" in social(bot, "queue")
    assert social(bot, "unsnooze ACME-1") == "ACME-1 is not snoozed."


@pytest.mark.parametrize("when", ["someday", "25:00", "mon 25:00", "2026-02-30 09:00"])
def test_a_bad_snooze_time_gets_one_line_naming_the_accepted_forms(bot, when):
    customer_writes(bot)
    answer = social(bot, f"snooze ACME-1 {when}", user=ALICE)
    assert "\n" not in answer
    assert "is not a snooze time; use 30m, 2h, 3d, tomorrow, tomorrow 14:00, mon 9:00 or 2026-12-01 09:00" in answer


def test_a_snooze_without_a_time_is_a_usage_error(bot):
    customer_writes(bot)
    assert "snooze <REF> 2h|tomorrow|mon 9:00" in social(bot, "snooze ACME-1")


def snooze_option(parent, what: str) -> str:
    menu = next(e for e in parent.blocks[-1]["elements"] if e.get("action_id") == "snooze_menu")
    return next(o["value"] for o in menu["options"] if o["value"].startswith(f"{what}:"))


def test_the_parents_menu_opens_the_snooze_modal_and_unsnoozes(bot, clock):
    parent = customer_writes(bot)
    bot.slack.pick(ALICE, parent, "snooze_menu", snooze_option(parent, "snooze"))
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert modal["title"]["text"] == "Snooze ACME-1"
    assert bot.slack.submit(ALICE, modal, {"choice": "tomorrow 9:00"}).status_code == 200
    bot.wait_idle()
    snoozed = bot.api.wait_for(lambda: [m for m in bot.api.messages("C0ACME01") if "Snoozed until" in shown(m)])[0]
    assert "ACME-1" not in social(bot, "queue")

    bot.slack.pick(ALICE, snoozed, "snooze_menu", snooze_option(snoozed, "unsnooze"))
    bot.api.wait_for(lambda: f":alarm_clock: <@{ALICE}> ended the snooze" in notes(bot, parent))
    assert "ACME-1" in social(bot, "queue")


def test_the_modal_takes_a_typed_time_and_names_the_forms_when_it_cannot_read_it(bot, clock):
    customer_writes(bot)
    parent = bot.parent()
    bot.slack.pick(ALICE, parent, "snooze_menu", snooze_option(parent, "snooze"))
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    refused = bot.slack.submit(ALICE, modal, {"choice": "custom", "text": "whenever"}).json()
    assert refused["response_action"] == "errors"
    assert "is not a snooze time; use 30m, 2h" in refused["errors"]["custom"]
    nothing = bot.slack.submit(ALICE, modal, {"choice": "custom"}).json()
    assert nothing["errors"] == {"custom": "Pick a time or type one."}
    assert bot.slack.submit(ALICE, modal, {"choice": "1h", "text": "3h"}).status_code == 200
    bot.wait_idle()
    assert "ACME-1" not in social(bot, "queue")
    assert any(":zzz:" in t and "|2026-11-24 04:00 UTC>" in t for t in notes(bot, parent))  # 13:00 in Seoul


def test_app_home_leaves_a_snoozed_conversation_out_until_it_wakes(bot, clock):
    customer_writes(bot)
    assert "ACME-1" in section(open_home(bot, ALICE), "home_unassigned")
    social(bot, "snooze ACME-1 1h")
    open_home(bot, ALICE)
    bot.api.wait_for(lambda: "ACME-1" not in section(bot.api.home_view(ALICE), "home_unassigned"))
    travel(clock, seoul(2026, 11, 24, 11, 0))
    scan(bot, clock)
    open_home(bot, ALICE)
    bot.api.wait_for(lambda: "ACME-1" in section(bot.api.home_view(ALICE), "home_unassigned"))


@pytest.fixture
def guarded(database_url, slack_api, receiver, clock):
    config = make_config(receiver.url, "roles: {agent: [U0BOB0001], viewer: [U0CAROL01]}\n")
    with running_bot(database_url, slack_api, config, clock) as running:
        yield running


def test_snoozing_needs_the_role_assigning_does_and_is_audited(guarded):
    customer_writes(guarded)
    refused = social(guarded, "snooze ACME-1 2h", user=CAROL)
    assert "You cannot assign for Acme: it needs the agent role and you are viewer" in refused
    assert "ACME-1 snoozed until" in social(guarded, "snooze ACME-1 2h", user=BOB)
    social(guarded, "unsnooze ACME-1", user=BOB)
    with guarded.runtime.db.reading() as session:
        entries = [(e.actor_slack_id, e.action, e.outcome) for e in session.query(AuditEntry).order_by(AuditEntry.id)]
    assert (CAROL, "snooze", "refused") in entries
    assert (BOB, "snoozed", "done") in entries and (BOB, "unsnoozed", "done") in entries


def test_resolving_ends_the_snooze(bot, clock):
    customer_writes(bot)
    social(bot, "snooze ACME-1 mon 9:00")
    social(bot, "resolve ACME-1")
    social(bot, "reopen ACME-1")
    assert "ACME-1" in social(bot, "queue")
    assert "Snoozed until" not in shown(bot.parent())
