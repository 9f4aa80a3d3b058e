"""Conversations a teammate started from a Slack message ("Track in social inbox").

There is no platform to answer through: the team answers where the customer wrote, and uses the
thread to coordinate and Resolve to close.
"""

from __future__ import annotations

from bot.platforms import DeliveryError, OutgoingReply, SentReply

SOURCE_PREFIX = "slack:"


def tracked_source_id(brand_id: str) -> str:
    return f"{SOURCE_PREFIX}{brand_id}"


def brand_of_tracked_source(source_id: str) -> str | None:
    return source_id.removeprefix(SOURCE_PREFIX) if source_id.startswith(SOURCE_PREFIX) else None


class TrackedInSlack:
    platform = "Slack"
    max_reply_length = 0
    can_reply = False
    no_reply_reason = (
        "was tracked from a Slack message: answer the customer where they wrote, "
        "then note it in the thread and Resolve"
    )

    def send_reply(self, reply: OutgoingReply) -> SentReply:
        raise DeliveryError("conversations tracked from Slack have no platform to reply through", permanent=True)


TRACKED = TrackedInSlack()
