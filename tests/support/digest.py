"""The digest's known week: a configuration with the weekly digest on, and the conversations of
Tue 17 and Wed 18 Nov 2026 played through the running bot on a ManualClock."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.config import Config, DigestSchedule
from tests.support.config import ALICE, BOB
from tests.support.sla import fast_config as sla_config

SEOUL = ZoneInfo("Asia/Seoul")


def fast_config(receiver: Any) -> Config:
    """The test configuration with the default weekly digest (Monday 09:00) switched on."""
    return sla_config(receiver).model_copy(update={"digest": DigestSchedule()})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SEOUL)


def move_to(clock: ManualClock, bot: Any, moment: datetime) -> None:
    clock.advance(moment - clock.now())
    time.sleep(0.35)  # a few scans at the new time
    bot.wait_idle()


def write_in(bot: Any, message_id: str, kind: str) -> None:
    body = {"id": message_id, "kind": kind, "author": {"id": message_id, "name": f"Customer {message_id}"}, "text": "?"}
    assert bot.webhook(body).status_code == 202
    bot.wait_idle()


def reply(bot: Any, receiver: Any, user: str, ref: str) -> None:
    count = len(receiver.deliveries)
    bot.slack.command(user, "/social", f"reply {ref} Thanks!", "C0ACME01")
    receiver.wait_for(lambda: len(receiver.deliveries) > count)
    bot.wait_idle()


def play_the_week(bot: Any, clock: ManualClock, receiver: Any) -> None:
    """Tue 17 Nov 10:00 KST: a comment (ACME-1) and a DM (ACME-2). ACME-1 is answered at 10:30 by
    Alice; the DM (2 business hours, due Tue 12:00) breaches, is escalated at 13:00 and answered by
    Bob on Wed 11:00. A comment on Wed 11:00 (ACME-3) is never answered: breach 12:00, escalation 13:00."""
    write_in(bot, "c1", "comment")
    write_in(bot, "d1", "dm")
    move_to(clock, bot, at(17, 10, 30))
    reply(bot, receiver, ALICE, "ACME-1")
    move_to(clock, bot, at(17, 12, 1))
    move_to(clock, bot, at(17, 13, 1))
    move_to(clock, bot, at(18, 11, 0))
    reply(bot, receiver, BOB, "ACME-2")
    write_in(bot, "c3", "comment")
    move_to(clock, bot, at(18, 12, 1))
    move_to(clock, bot, at(18, 13, 1))

