"""Crisis alerts, their all-clear, and the surge thread that groups conversations meanwhile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.durations import format_duration
from bot.slack_ui.conversation_lines import author_line
from bot.slack_ui.kit import Blocks
from bot.slack_ui.text import escape, escaped, link, quoted
from storage.models import Conversation, Message


SAMPLE_LIMIT = 280


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def _usual(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def crisis_alert(brand_name: str, numbers: Mapping[str, Any], samples: Sequence[tuple[Message, Conversation]],
                 usergroup: str | None) -> dict[str, Any]:
    """The alert in the crisis channel: the figures against the usual, what people write, and a ping."""
    window = format_duration(timedelta(seconds=numbers["window_seconds"]))
    ping = f"<!subteam^{usergroup}> " if usergroup else ""
    raised = set(numbers.get("raised", []))
    heading = (f"{ping}:rotating_light: *{escape(brand_name)}: messages are well above the usual level* "
               f"(last {window})")
    volume = (f"{'*' if 'volume' in raised else ''}Volume: {numbers['volume']} messages"
              f"{'*' if 'volume' in raised else ''} — usually {_usual(numbers['usual_volume'])} "
              f"({escape(numbers['baseline'])}; alert at {_usual(numbers['volume_threshold'])})")
    negative = (f"{'*' if 'negative' in raised else ''}Negative: {_percent(numbers['negative_share'])}"
                f"{'*' if 'negative' in raised else ''} ({numbers['negative']} of {numbers['volume']}) — usually "
                f"{_percent(numbers['usual_negative_share'])} (alert at {_percent(numbers['negative_threshold'])})")
    words = numbers.get("top_words") or []
    word_line = ("Top words: " + ", ".join(f"`{escaped(word, 60)}` ({count})" for word, count in words[:20])
                 if words else "Top words: none stand out")
    blocks: Blocks = [
        {"type": "section", "block_id": "crisis_heading", "text": {"type": "mrkdwn", "text": heading}},
        {"type": "section", "block_id": "crisis_numbers", "text": {"type": "mrkdwn", "text": f"{volume}\n{negative}"}},
        {"type": "context", "block_id": "crisis_words", "elements": [{"type": "mrkdwn", "text": word_line}]},
    ]
    for index, (message, conversation) in enumerate(samples[:10]):
        blocks.append({"type": "section", "block_id": f"crisis_sample_{index}",
                       "text": {"type": "mrkdwn", "text": crisis_sample(message, conversation)}})
    after = "An all-clear follows in this thread once it is back below the thresholds."
    if numbers.get("surge_below"):
        after += (f" Meanwhile new {_priority_words(numbers['surge_below'])}-priority conversations are grouped in "
                  "one surge thread in the brand's channel.")
    blocks.append({"type": "context", "block_id": "crisis_next", "elements": [{"type": "mrkdwn", "text": after}]})
    fallback_text = f"{brand_name}: {numbers['volume']} messages in {window}, usually {_usual(numbers['usual_volume'])}"
    return {"text": escape(fallback_text), "blocks": blocks}


def crisis_sample(message: Message, conversation: Conversation) -> str:
    ref = link(conversation.slack_permalink, conversation.ref) if conversation.slack_permalink else conversation.ref
    who = author_line(message.author_name, message.author_handle)
    return (f"*{ref}*  ·  {who}  ·  {escape(message.sentiment or 'neutral')}\n"
            f"{quoted(message.text, SAMPLE_LIMIT, message.url)}")


def crisis_all_clear(brand_name: str, numbers: Mapping[str, Any], started_at: datetime,
                     cleared_at: datetime) -> dict[str, Any]:
    lasted = format_duration(cleared_at - started_at)
    window = format_duration(timedelta(seconds=numbers["window_seconds"]))
    text = (f":white_check_mark: *All clear for {escape(brand_name)}*: messages have been back at the usual level "
            f"for a while. The episode lasted {lasted} and peaked at {numbers.get('peak_volume', numbers['volume'])} "
            f"messages in {window}.")
    if numbers.get("surge_below"):
        text += " Surge mode is over: new conversations get their own threads again."
    return {"text": escape(f"All clear for {brand_name}"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def _priority_words(priorities: Sequence[str]) -> str:
    names = [p for p in ("low", "normal", "high", "urgent") if p in priorities]
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def surge_parent(brand_name: str, priorities: Sequence[str]) -> dict[str, Any]:
    """The one thread where, during an episode, conversations of the lower priorities are grouped."""
    text = (f":ocean: *Surge: {_priority_words(priorities)}-priority messages grouped here while "
            f"{escape(brand_name)} is in surge mode.* Each one below is its own conversation, with its reference "
            "and buttons; everything else keeps its own thread.")
    return {"text": escape(f"Surge: {_priority_words(priorities)}-priority messages grouped here while {brand_name} "
                           "is in surge mode"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def surge_ended(brand_name: str) -> dict[str, Any]:
    return {"text": f":white_check_mark: Surge mode for {escape(brand_name)} is over: new conversations get their "
                    "own threads again. Those above stay here."}


def in_shared_thread(conversation: Conversation, message: dict[str, Any]) -> dict[str, Any]:
    """A message for a conversation grouped in the surge thread, which many conversations share:
    it names the conversation it belongs to."""
    label = f"*{conversation.ref}*"
    shown = {**message, "text": f"{label} · {message.get('text', '')}"}
    if message.get("blocks"):
        shown["blocks"] = [{"type": "context", "elements": [{"type": "mrkdwn", "text": label}]}, *message["blocks"]]
    return shown
