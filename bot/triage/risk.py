"""Built-in risk categories: which of them a message falls in, and the words that show it.

Curated patterns with light morphology (see ``risk_lexicon``): English on lowercased words,
Korean as stems and endings on the text with its spaces removed. Look-alikes that are not
urgent are blanked out first; a sign of harm that is denied ("no reaction at all", "트러블
하나도 없이") does not count. Deterministic, stateless and thread-safe.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from bot.triage import risk_lexicon as lexicon

CATEGORIES = lexicon.CATEGORIES
DEFAULT_PRIORITIES = lexicon.DEFAULT_PRIORITIES
EVIDENCE_LIMIT = 60
_NEGATED_CATEGORIES = frozenset({"safety", "harassment"})


@dataclass(frozen=True)
class RiskSign:
    category: str
    evidence: str
    """The words of the message that show it, as the customer wrote them."""


def _alternation(patterns: tuple[str, ...], english: bool) -> regex.Pattern[str]:
    body = "|".join(f"(?:{pattern})" for pattern in patterns)
    return regex.compile(rf"(?<![\w'])(?:{body})" if english else body)


_ENGLISH = {category: _alternation(lexicon.ENGLISH[category], True) for category in CATEGORIES}
_KOREAN = {category: _alternation(lexicon.KOREAN[category], False) for category in CATEGORIES}
_ENGLISH_GUARDS = _alternation(lexicon.GUARDS_ENGLISH, True)
_KOREAN_GUARDS = _alternation(lexicon.GUARDS_KOREAN, False)
_HAS_LATIN = regex.compile(r"[A-Za-z0-9]")
_HAS_HANGUL = regex.compile(r"[가-힣]")
_ENGLISH_NEGATION = regex.compile(r"\b(?:no|not|never|without|zero|nobody|no one|none|n't)\W+(?:\w+\W+){0,2}$")
_KOREAN_NEGATION = regex.compile(r"^[가-힣]{0,6}?(?:없|않|안했|아니)")
_WORD_CHARS = regex.compile(r"[\w'’-]")


def signs(text: str) -> list[RiskSign]:
    """Every category the message shows, each with its first evidence, in ``CATEGORIES`` order."""
    text = unicodedata.normalize("NFC", text or "")
    found: dict[str, RiskSign] = {}
    if _HAS_LATIN.search(text):
        lowered = _blank(text.lower(), _ENGLISH_GUARDS, " ")
        for category in CATEGORIES:
            span = _first_english(lowered, category)
            if span:
                found[category] = RiskSign(category, _evidence(text, *_whole_words(text, *span)))
    if _HAS_HANGUL.search(text):
        compact, positions = _compact(text.lower())
        compact = _blank(compact, _KOREAN_GUARDS, "·")
        for category in CATEGORIES:
            if category in found:
                continue
            span = _first_korean(compact, category)
            if span:
                start, end = positions[span[0]], positions[span[1] - 1] + 1
                found[category] = RiskSign(category, _evidence(text, *_whole_words(text, start, end)))
    return [found[category] for category in CATEGORIES if category in found]


def _blank(text: str, guards: regex.Pattern[str], filler: str) -> str:
    return guards.sub(lambda match: filler * len(match.group()), text)


def _first_english(lowered: str, category: str) -> tuple[int, int] | None:
    for match in _ENGLISH[category].finditer(lowered):
        if category in _NEGATED_CATEGORIES and _ENGLISH_NEGATION.search(lowered[max(0, match.start() - 40):match.start()]):
            continue
        return match.span()
    return None


def _first_korean(compact: str, category: str) -> tuple[int, int] | None:
    for match in _KOREAN[category].finditer(compact):
        if category in _NEGATED_CATEGORIES and _KOREAN_NEGATION.match(compact, match.end()):
            continue
        return match.span()
    return None


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and where each of its characters was in the original."""
    kept = [(index, char) for index, char in enumerate(text) if not char.isspace()]
    return "".join(char for _, char in kept), [index for index, _ in kept]


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _WORD_CHARS.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD_CHARS.match(text[end]):
        end += 1
    return start, end


def _evidence(text: str, start: int, end: int) -> str:
    words = " ".join(text[start:end].split())
    return words if len(words) <= EVIDENCE_LIMIT else words[: EVIDENCE_LIMIT - 1].rstrip() + "…"
