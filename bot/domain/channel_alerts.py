"""Channels Slack refuses the bot's posts in (archived, deleted, the bot not in them): the posts wait in
the outbox, and the admins are told where and why until someone fixes the channel or app.yaml."""

from __future__ import annotations

from dataclasses import dataclass

NOTE_PREFIX = "Slack refuses posts to "
REASONS = {
    "is_archived": "the channel is archived",
    "channel_not_found": "the channel was deleted, or it is private and the bot is not in it",
    "not_in_channel": "the bot is not in the channel",
}


def refusal_note(channel: str, error: str) -> str:
    """What a waiting job records as its last error; channel_alerts() reads it back."""
    return f"{NOTE_PREFIX}{channel}: {error}"


@dataclass(frozen=True)
class ChannelAlert:
    channel: str
    error: str
    waiting: int

    @property
    def reason(self) -> str:
        return REASONS.get(self.error, self.error)


def channel_alerts(errors: list[tuple[str, int]]) -> list[ChannelAlert]:
    """The alerts from (last error, number of waiting jobs) of the outbox, one per channel."""
    by_channel: dict[str, ChannelAlert] = {}
    for note, count in errors:
        channel, _, error = note.removeprefix(NOTE_PREFIX).partition(": ")
        known = by_channel.get(channel)
        by_channel[channel] = ChannelAlert(channel, error, count + (known.waiting if known else 0))
    return sorted(by_channel.values(), key=lambda alert: alert.channel)
