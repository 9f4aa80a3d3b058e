"""Nothing lost, nothing twice: a Slack outage, `kill -9` mid-burst, and two processes on one database.

Each scenario adds its figures to the report printed at the end of the run (see conftest.py).
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.demo.standins.common import wait_for
from bot.demo.standins.reply_receiver import ReplyReceiver
from bot.demo.standins.slack_web_api import SlackStandIn
from storage.db import Database
from storage.models import JobStatus, Message, OutboxJob
from tests.support.bot import customer_message
from tests.support.reliability import REPORT, Tally, customer_texts_in_slack
from tests.support.serve import ServeProcess, deliver_webhook

MESSAGES = 60
CONVERSATIONS = 10


def burst(prefix: str) -> list[dict[str, object]]:
    return [customer_message(id=f"{prefix}-{i:04d}", conversation_id=f"{prefix}-c{i % CONVERSATIONS}",
                             text=f"{prefix}-{i:04d}") for i in range(MESSAGES)]


def pending_jobs(database_url: str) -> int:
    db = Database(database_url)
    try:
        with db.transaction() as session:
            return session.scalar(select(func.count()).select_from(OutboxJob)
                                  .where(OutboxJob.status == JobStatus.PENDING)) or 0
    finally:
        db.dispose()


def stored_messages(database_url: str) -> int:
    db = Database(database_url)
    try:
        with db.transaction() as session:
            return session.scalar(select(func.count()).select_from(Message)) or 0
    finally:
        db.dispose()


class Sender(threading.Thread):
    """Delivers a burst of webhooks in order, each until some server takes it."""

    def __init__(self, servers: list[ServeProcess], messages: list[dict[str, object]]) -> None:
        super().__init__(daemon=True)
        self.servers, self.messages = servers, messages
        self.accepted: list[bool] = []

    def run(self) -> None:
        for index, message in enumerate(self.messages):
            turn = self.servers[index % len(self.servers):] + self.servers[:index % len(self.servers)]
            self.accepted.append(deliver_webhook([server.url for server in turn], message))


def reply_to_every_conversation(servers: list[ServeProcess], api: SlackStandIn, prefix: str,
                                crash: ServeProcess | None = None) -> int:
    """A teammate per conversation opens Reply and sends; a crash may happen half-way, after which
    anyone whose Send failed presses it again. Returns how many replies were sent from Slack."""
    parents = {p.ts: p for p in api.messages("C0ACME01") if f"{prefix}-" in p.text}
    forms = []
    for index, parent in enumerate(sorted(parents.values(), key=lambda p: p.ts)):
        user = f"U0R{index:06d}"
        server = servers[index % len(servers)]
        server.slack.click(user, parent, "reply")
        forms.append((server, user, wait_for(lambda user=user: api.view_for_user(user), timeout=10)))
    sent = 0
    for index, (server, user, form) in enumerate(forms):
        if crash is not None and index == len(forms) // 2:
            crash.kill9()
            crash.start()
        for _attempt in range(50):
            try:
                answer = server.slack.submit(user, form, {"text": f"reply-{prefix}-{index}"})
            except Exception:  # the server is down: the teammate tries again a moment later
                wait_for(server.healthy, timeout=30)
                continue
            if answer.status_code == 200:
                sent += 1
                break
    return sent


def backend(database_url: str) -> str:
    return "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"


def tally(scenario: str, prefix: str, api: SlackStandIn, receiver: ReplyReceiver, accepted: int,
          replies_sent: int) -> Tally:
    shown = customer_texts_in_slack(api, "C0ACME01", f"{prefix}-0")
    by_reply = Counter(d.body["reply_id"] for d in receiver.deliveries if f"reply-{prefix}-" in d.body["text"])
    texts_published = Counter(d.body["text"] for d in receiver.deliveries
                              if f"reply-{prefix}-" in d.body["text"])
    return Tally(scenario).add(
        accepted=accepted,
        posted=len(shown),
        lost=accepted - len(shown),
        duplicated=sum(count - 1 for count in shown.values()),
        replies_attempted=replies_sent,
        replies_delivered=len(by_reply),
        replies_duplicated=sum(count - 1 for count in texts_published.values()) - sum(c - 1 for c in by_reply.values()),
        replies_resent_same_key=sum(count - 1 for count in by_reply.values()),
    )


def wait_until_settled(database_url: str, api: SlackStandIn, receiver: ReplyReceiver, prefix: str,
                       replies: int) -> None:
    wait_for(lambda: len(customer_texts_in_slack(api, "C0ACME01", f"{prefix}-0")) >= MESSAGES, timeout=90)
    wait_for(lambda: len({d.body["reply_id"] for d in receiver.deliveries
                          if f"reply-{prefix}-" in d.body["text"]}) >= replies, timeout=90)
    wait_for(lambda: pending_jobs(database_url) == 0, timeout=90)


def assert_nothing_lost_or_doubled(result: Tally) -> None:
    REPORT.append(result)
    figures = result.figures
    assert figures["lost"] == 0 and figures["duplicated"] == 0, figures
    assert figures["replies_delivered"] == figures["replies_attempted"] == CONVERSATIONS, figures
    assert figures["replies_duplicated"] == 0, figures


def test_a_slack_outage_and_rate_limits_lose_and_double_nothing(database_url, tmp_path, slack_api, receiver):
    slack_api.fail_next("chat.postMessage", status=503, count=25)
    slack_api.fail_next("chat.postMessage", status=429, retry_after=1, count=3)
    slack_api.fail_next("chat.postMessage", status=500, count=5, lose_response=True)
    receiver.fail_next(503, count=5)
    server = ServeProcess(tmp_path, database_url, slack_api, receiver).start()
    try:
        sender = Sender([server], burst("out"))
        sender.run()
        wait_for(lambda: len(customer_texts_in_slack(slack_api, "C0ACME01", "out-0")) >= MESSAGES, timeout=90)
        replies = reply_to_every_conversation([server], slack_api, "out")
        wait_until_settled(database_url, slack_api, receiver, "out", CONVERSATIONS)
    finally:
        server.stop()
    assert_nothing_lost_or_doubled(tally(f"Slack outage, 429s, lost answers ({backend(database_url)})", "out", slack_api, receiver,
                                         sum(sender.accepted), replies))


def test_kill_9_in_the_middle_of_a_burst_loses_and_doubles_nothing(database_url, tmp_path, slack_api, receiver):
    receiver.set_delay(0.2)  # replies are in flight when the process dies
    server = ServeProcess(tmp_path, database_url, slack_api, receiver).start()
    try:
        sender = Sender([server], burst("kill"))
        sender.start()
        wait_for(lambda: len(sender.accepted) >= MESSAGES // 3, timeout=30)
        server.kill9()
        server.start()
        sender.join(120)
        wait_for(lambda: len(customer_texts_in_slack(slack_api, "C0ACME01", "kill-0")) >= MESSAGES, timeout=90)
        replies = reply_to_every_conversation([server], slack_api, "kill", crash=server)
        wait_until_settled(database_url, slack_api, receiver, "kill", CONVERSATIONS)
    finally:
        server.stop()
    assert stored_messages(database_url) == MESSAGES
    assert_nothing_lost_or_doubled(tally(f"kill -9 mid-burst, restart ({backend(database_url)})", "kill", slack_api, receiver,
                                         sum(sender.accepted), replies))


@pytest.mark.postgresql_only  # several processes are run on PostgreSQL (SQLite is for a single process)
def test_two_processes_on_one_database_share_the_work(database_url, tmp_path: Path, slack_api, receiver):
    first = ServeProcess(tmp_path, database_url, slack_api, receiver).start()
    second = ServeProcess(tmp_path, database_url, slack_api, receiver).start()
    try:
        sender = Sender([first, second], burst("two"))
        sender.run()
        wait_for(lambda: len(customer_texts_in_slack(slack_api, "C0ACME01", "two-0")) >= MESSAGES, timeout=90)
        replies = reply_to_every_conversation([first, second], slack_api, "two")
        wait_until_settled(database_url, slack_api, receiver, "two", CONVERSATIONS)
    finally:
        first.stop()
        second.stop()
    assert_nothing_lost_or_doubled(tally("two processes, one PostgreSQL", "two", slack_api, receiver,
                                         sum(sender.accepted), replies))
