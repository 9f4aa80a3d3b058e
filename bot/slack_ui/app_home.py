"""The App Home tab: the viewer's queue, what nobody took, what is late, and the week's figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.config import Config
from bot.durations import format_duration
from bot.slack_ui.conversation_lines import QueueLine
from bot.slack_ui.kit import Blocks
from bot.slack_ui.queue import queue_line
from bot.slack_ui.refused import UNSHOWN_WHAT
from bot.slack_ui.search_results import search_box
from bot.slack_ui.text import SECTION_LIMIT, clip, escaped, lines_within, slack_date_utc

HOME_SECTIONS = (("mine", "Assigned to you"), ("unassigned", "Waiting for someone to take them"),
                 ("overdue", "Overdue"))


class Figures(Protocol):
    @property
    def messages(self) -> int: ...
    @property
    def conversations(self) -> int: ...
    @property
    def median_first_response(self) -> timedelta | None: ...
    @property
    def sla_met(self) -> int: ...
    @property
    def sla_due(self) -> int: ...
    @property
    def sla_percent(self) -> float | None: ...


class ChannelAlertLine(Protocol):
    """A channel Slack refuses posts in."""

    @property
    def channel(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def waiting(self) -> int: ...


class Home(Protocol):
    """What App Home shows one teammate."""

    @property
    def mine(self) -> Sequence[QueueLine]: ...
    @property
    def unassigned(self) -> Sequence[QueueLine]: ...
    @property
    def overdue(self) -> Sequence[QueueLine]: ...
    @property
    def figures(self) -> Figures: ...
    @property
    def at(self) -> datetime: ...
    @property
    def channel_alerts(self) -> Sequence[ChannelAlertLine]: ...
    @property
    def unshown(self) -> Sequence[tuple[str, str, str]]: ...


def home_view(home: Home, config: Config) -> dict[str, Any]:
    """The App Home tab: the viewer's queue, what nobody took, what is late, and the week's figures."""
    blocks: Blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Social inbox"}}, search_box()]
    if home.channel_alerts:
        blocks.append({"type": "section", "block_id": "home_channel_alerts",
                       "text": {"type": "mrkdwn", "text": channel_alerts_text(home.channel_alerts)}})
    if home.unshown:
        blocks.append(unshown_section(home.unshown, config.slash_command))
    for key, title in HOME_SECTIONS:
        conversations: Sequence[QueueLine] = getattr(home, key)
        blocks.append({"type": "section", "block_id": f"home_{key}",
                       "text": {"type": "mrkdwn", "text": _home_list(title, conversations, config)}})
    blocks += [
        {"type": "divider"},
        {"type": "section", "block_id": "home_figures", "text": {"type": "mrkdwn", "text": figures_text(home.figures)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Updated {slack_date_utc(home.at)} · "
                                          "`/social queue` lists more"}]},
    ]
    return {"type": "home", "blocks": blocks}


def channel_alerts_text(alerts: Sequence[ChannelAlertLine]) -> str:
    lines = [f":warning: <#{alert.channel}>: {alert.reason}. {alert.waiting} post(s) wait and go out once the bot "
             "can post there again (unarchive the channel or invite the bot), or name another channel in app.yaml."
             for alert in alerts]
    return clip("\n".join(lines), SECTION_LIMIT)[0]


def _home_list(title: str, conversations: Sequence[QueueLine], config: Config) -> str:
    if not conversations:
        return f"*{title}*\nNothing here. :white_check_mark:"
    heading = f"*{title}* ({len(conversations)}{'+' if len(conversations) >= 10 else ''})"
    return lines_within(heading, [f"• {queue_line(conversation, config)}" for conversation in conversations],
                        SECTION_LIMIT)


def unshown_section(unshown: Sequence[tuple[str, str, str]], command: str) -> dict[str, Any]:
    """For admins in App Home: what Slack refused to show even shortened, (what, where, why) each."""
    lines = [f"• {UNSHOWN_WHAT.get(what, 'A message')} — {escaped(where, 100)}: `{escaped(why, 200)}`"
             for what, where, why in unshown]
    heading = (":warning: *Could not be shown in Slack* — Slack refused these even in a shortened form; "
               f"`{command} show <REF>` shows a conversation as socialdesk keeps it")
    return {"type": "section", "block_id": "home_unshown",
            "text": {"type": "mrkdwn", "text": lines_within(heading, lines, SECTION_LIMIT)}}


def figures_text(figures: Figures) -> str:
    median = format_duration(figures.median_first_response) if figures.median_first_response else "–"
    sla = (f"{figures.sla_percent:.0f}% ({figures.sla_met} of {figures.sla_due})"
           if figures.sla_percent is not None else "–")
    return (
        "*Team, last 7 days*\n"
        f"Messages in: *{figures.messages}*  ·  New conversations: *{figures.conversations}*\n"
        f"Median first response: *{median}*  ·  First replies on time: *{sla}*"
    )
