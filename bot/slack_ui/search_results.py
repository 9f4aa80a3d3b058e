"""Search results: one line per conversation found, for `/social search` and App Home's search box."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.config import Config
from bot.slack_ui.conversation_lines import STATUS_LABELS
from bot.slack_ui.kit import modal
from bot.slack_ui.text import display_name, escape, escaped, link, lines_within
from storage.query_results import Found



class SearchResults(Protocol):
    """What a search found (bot.domain.search_results)."""

    @property
    def query(self) -> str: ...
    @property
    def words(self) -> list[str]: ...
    @property
    def found(self) -> Sequence[Found]: ...
    @property
    def total(self) -> int: ...
    @property
    def texts(self) -> dict[int, list[str]]: ...
    @property
    def more(self) -> int: ...


SNIPPET_LIMIT = 90
"""Characters of customer text around the match on each line."""
ANSWER_LIMIT = 3000
SEARCH_INPUT = "home_search"
SEARCH_ACTION = "home_search_words"
RESULTS_MODAL = "search_results"
MAX_SEARCH_INPUT = 200


def search_usage(problem: str, command: str) -> str:
    """Bad search words: one line saying what is wrong and how to search."""
    return f"{problem} Usage: `{command} search <words>`"


def search_answer(results: SearchResults, config: Config) -> str:
    """Newest first: reference (linked to its thread), status, author and the words where they were found."""
    shown = escaped(results.query, 80)
    if not results.found:
        return f"No conversation matches “{shown}”."
    heading = f"*Search* “{shown}”: {results.total} conversation{'s' if results.total != 1 else ''}, newest first"
    lines = [search_line(found.id, results, config) for found in results.found]
    answer = lines_within(heading, lines, ANSWER_LIMIT - 60)
    if results.more:
        answer += f"\n… and {results.more} more — refine the search"
    return answer


def search_line(conversation_id: int, results: SearchResults, config: Config) -> str:
    found = next(f for f in results.found if f.id == conversation_id)
    status = STATUS_LABELS.get(found.status, escape(found.status))  # type: ignore[call-overload]
    text = snippet(results.texts.get(found.id, []), results.words)
    quote = f"  ·  “{text}”" if text else ""
    return f"• {link(found.slack_permalink, found.ref)}  ·  {status}  ·  {display_name(found.author_name)}{quote}"


def snippet(texts: list[str], words: list[str]) -> str:
    """The part of the newest text holding one of the words, escaped and cut; the newest text otherwise."""
    for body in texts:
        flat = " ".join(body.split())
        lowered = flat.lower()
        at = min((i for i in (lowered.find(word) for word in words) if i >= 0), default=-1)
        if at >= 0:
            start = max(0, at - SNIPPET_LIMIT // 3)
            if start:
                space = flat.rfind(" ", 0, at)
                start = space + 1 if space >= start else start
            shown = escaped(flat[start:], SNIPPET_LIMIT)
            return ("…" if start else "") + shown
    return escaped(" ".join(texts[0].split()), SNIPPET_LIMIT) if texts else ""


def search_box() -> dict[str, Any]:
    """App Home's search box: typing words and pressing Enter opens the results."""
    return {
        "type": "input", "block_id": SEARCH_INPUT, "dispatch_action": True, "optional": True,
        "label": {"type": "plain_text", "text": "Search conversations"},
        "element": {
            "type": "plain_text_input", "action_id": SEARCH_ACTION, "max_length": MAX_SEARCH_INPUT,
            "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
            "placeholder": {"type": "plain_text", "text": "Customer words, an author, a tag or ACME-12"},
        },
    }


def results_modal(answer: str) -> dict[str, Any]:
    """The results (or what is wrong with the search) in a modal opened from App Home."""
    return modal(RESULTS_MODAL, "Search", None,
                 [{"type": "section", "block_id": "search_results", "text": {"type": "mrkdwn", "text": answer}}], {})
