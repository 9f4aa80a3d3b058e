"""Fitting text into Slack's limits as Slack counts them: after escaping, quote prefixes and URL
encoding, never splitting a character as a person sees it (an emoji with its skin tone, a letter
with its accents)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import regex

from bot.slack_limits import text_units

_GRAPHEME = regex.compile(r"\X")
ELLIPSIS = "…"

Render = Callable[[str, bool], str]
"""Turns a (possibly cut) text into what Slack receives; the flag says whether it was cut."""


def plain(text: str, cut: bool) -> str:
    return text + ELLIPSIS if cut else text


def fit(text: str, limit: int, render: Render = plain) -> tuple[str, bool]:
    """The rendering of the longest start of ``text`` that stays within ``limit`` units once rendered;
    says whether it had to cut. Cuts fall between graphemes."""
    whole = render(text, False)
    if text_units(whole) <= limit:
        return whole, False
    # Every character shows at least once in the rendering, so what fits is at most ``limit`` long.
    ends = grapheme_ends(text[:limit + 1])
    if len(text) > limit + 1:
        ends.pop()  # the last grapheme of the slice may go on beyond it
    low, high = 0, len(ends) - 1  # the answer is ends[k] for the largest k that fits
    best: str | None = None
    while low <= high:
        middle = (low + high) // 2
        candidate = render(text[:ends[middle]].rstrip(), True)
        if text_units(candidate) <= limit:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    if best is None:  # even the decoration alone is too long: cut what would be sent
        return hard_cut(render("", True), limit), True
    return best, True


def grapheme_ends(text: str) -> list[int]:
    """Where a cut may fall: 0, then the end of each grapheme."""
    return [0, *(match.end() for match in _GRAPHEME.finditer(text))]


def hard_cut(text: str, limit: int) -> str:
    """The start of ``text`` within ``limit`` units, cut between graphemes, with no regard for markup."""
    units, end = 0, 0
    for match in _GRAPHEME.finditer(text):
        units += text_units(match.group())
        if units > limit:
            break
        end = match.end()
    return text[:end]


def pieces(text: str, limit: int) -> Iterator[str]:
    """``text`` in consecutive pieces of at most ``limit`` units, split after a line or a word where
    one ends near the limit, else between graphemes; joined again they are the text."""
    start = 0
    while start < len(text):
        piece = hard_cut(text[start:], limit)
        if start + len(piece) < len(text):
            for separator in ("\n", " "):
                at = piece.rfind(separator)
                if at >= len(piece) // 2:
                    piece = piece[:at + 1]
                    break
        if not piece:  # a single grapheme longer than the limit (made of many combining marks)
            piece = text[start:start + limit // 2]
        yield piece
        start += len(piece)
