"""What the reliability scenarios count: the tallies the report prints after the run, and what
reached Slack and the platform."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.demo.standins.reply_receiver import ReplyReceiver
from bot.demo.standins.slack_web_api import SlackStandIn


@dataclass
class Tally:
    """One scenario's figures, as the report prints them."""

    scenario: str
    figures: dict[str, int] = field(default_factory=dict)

    def add(self, **figures: int) -> Tally:
        self.figures.update(figures)
        return self


REPORT: list[Tally] = []


def customer_texts_in_slack(api: SlackStandIn, channel: str, prefix: str) -> Counter[str]:
    """How many times each customer message shows in the channel, parents and threads together."""
    seen: Counter[str] = Counter()
    for parent in api.messages(channel):
        for message in [parent, *api.thread(channel, parent.ts)]:
            for word in message.text.replace(":", " ").split():
                if word.startswith(prefix):
                    seen[word] += 1
    return seen


def replies_published(receiver: ReplyReceiver) -> Counter[str]:
    """Replies the platform published, by reply id: a retry with a known id is not published again."""
    return Counter(delivery.body["reply_id"] for delivery in receiver.deliveries)
