"""How Mastodon measures a status (its StatusLengthValidator), and the mention a reply starts with.

Content warning plus text, in graphemes; every link counts as 23 characters and every mention as
its username only (``@minji@mastodon.social`` counts as ``@minji``)."""

from __future__ import annotations

import regex

URL_PLACEHOLDER = "x" * 23
_URL = regex.compile(r"(?<![\w/])https?://[^\s<>\"]+?(?=[.,:;!?)'\"]*(?:\s|$))")
_MENTION = regex.compile(r"(?<![=/\w])@(\w+(?:[\w.-]*\w)?)(?:@\w+(?:[.-]+\w+)*)?")
_GRAPHEME = regex.compile(r"\X")


def status_length(text: str, spoiler_text: str = "") -> int:
    countable = _MENTION.sub(lambda match: f"@{match.group(1)}", _URL.sub(URL_PLACEHOLDER, text))
    return len(_GRAPHEME.findall(spoiler_text + countable))


def with_mention(text: str, acct: str | None) -> str:
    """Mastodon delivers a reply (and any direct message) to the accounts it mentions: the author is
    mentioned first unless the text already does."""
    if acct and f"@{acct}".lower() not in text.lower():
        return f"@{acct} {text}"
    return text


def short_mention(acct: str) -> str:
    """The mention as Mastodon counts it."""
    return "@" + acct.lstrip("@").split("@", 1)[0]
