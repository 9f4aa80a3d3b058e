"""Built-in risk categories: which of them a message falls in, and the words that show it.

Curated patterns with light morphology (see ``risk_lexicon``): English on lowercased words,
Korean as stems and endings on the text with its spaces removed. Look-alikes that are not
urgent are blanked out first; a sign of harm that is denied ("no reaction at all", "트러블
하나도 없이") does not count. Deterministic, stateless and thread-safe.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from bot.config.triage import RISK_CATEGORIES
from bot.triage import risk_lexicon as lexicon
from bot.triage.prefilter import prefixes

EVIDENCE_LIMIT = 60
_NEGATED_CATEGORIES = frozenset({"safety", "harassment"})


@dataclass(frozen=True)
class RiskSign:
    category: str
    evidence: str
    """The words of the message that show it, as the customer wrote them."""
    model_probability: float | None = None
    """Found by the trained model (``model``) with this probability, rather than by the patterns here."""
    tentative: bool = False
    """Not sure enough to give it more than ``high`` priority: the model found it below its sure level, or
    the patterns found it and the model is sure the message shows no category."""


@dataclass(frozen=True)
class _Scan:
    """Korean: one alternation of patterns, and the literals one of which any match starts with."""

    pattern: regex.Pattern[str]
    starts: tuple[str, ...]

    @functools.cached_property
    def _any_start(self) -> re.Pattern[str]:
        # The standard library's engine finds one of many literals several times faster than a loop of ``in``.
        return re.compile("|".join(re.escape(start) for start in self.starts) or "(?!)")  # none: never

    def may_match(self, text: str) -> bool:
        return self._any_start.search(text) is not None


def _scan(patterns: tuple[str, ...]) -> _Scan:
    starts: set[str] = set()
    for pattern in patterns:
        starts |= _starts_of(pattern)
    # A shorter start already covers every longer one that begins with it.
    kept = tuple(sorted(start for start in starts if not any(other != start and start.startswith(other)
                                                             for other in starts)))
    return _Scan(regex.compile("|".join(f"(?:{pattern})" for pattern in patterns)), kept)


def _starts_of(pattern: str) -> frozenset[str]:
    found = prefixes(pattern)
    if found is None:
        raise ValueError(f"risk pattern {pattern!r} has no literal start")
    return found


class _WordStarts:
    """English: patterns indexed by the first (up to four) letters of their literal start, tried only
    where a word begins with those letters. Scanning a whole alternation at every position of the
    text costs about 1 ms per 1,000 characters and category; this costs a dictionary look-up per word."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        grouped: dict[str, dict[str, list[str]]] = {}
        for label, patterns in table.items():
            for pattern in patterns:
                for start in _starts_of(pattern):
                    grouped.setdefault(start[:_KEY_LENGTH], {}).setdefault(label, []).append(pattern)
        self._index = {
            key: tuple((label, regex.compile("|".join(f"(?:{p})" for p in dict.fromkeys(patterns))))
                       for label, patterns in by_label.items())
            for key, by_label in grouped.items()
        }
        self._first_letters = frozenset(key[0] for key in self._index)

    def matches(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(label, start, end) of the patterns matching at word starts, in the text's order. Where a
        look-alike (label ``GUARD``) matches, nothing else is tried until its end."""
        guarded_until = 0
        for word in _WORD_START.finditer(text):
            position = word.start()
            if position < guarded_until or text[position] not in self._first_letters:
                continue
            candidates = [entry for length in range(1, _KEY_LENGTH + 1)
                          for entry in self._index.get(text[position:position + length], ())]
            guard = next((match for label, pattern in candidates if label == GUARD
                          for match in [pattern.match(text, position)] if match), None)
            if guard is not None:
                guarded_until = guard.end()
                continue
            for label, pattern in candidates:
                match = pattern.match(text, position)
                if match:
                    yield label, position, match.end()


GUARD = ""
_KEY_LENGTH = 4
_WORD_START = regex.compile(r"(?<![\w'])[\w#]")
_ENGLISH = _WordStarts({GUARD: lexicon.GUARDS_ENGLISH} |
                       {category: lexicon.ENGLISH[category] for category in RISK_CATEGORIES})
_KOREAN = {category: _scan(lexicon.KOREAN[category]) for category in RISK_CATEGORIES}
_KOREAN_GUARDS = _scan(lexicon.GUARDS_KOREAN)
_HAS_LATIN = regex.compile(r"[A-Za-z0-9]")
_HAS_HANGUL = regex.compile(r"[가-힣]")
_ENGLISH_NEGATION = regex.compile(r"\b(?:no|not|never|without|zero|nobody|no one|none|n't)\W+(?:\w+\W+){0,2}$")
_KOREAN_NEGATION = regex.compile(r"^[가-힣]{0,6}?(?:없|않|안했|아니)")
_SPACE = regex.compile(r"\s+")
_WORD_CHARS = regex.compile(r"[\w'’-]")


def signs(text: str) -> list[RiskSign]:
    """Every category the message shows, each with its first evidence, in ``RISK_CATEGORIES`` order."""
    text = unicodedata.normalize("NFC", text or "")
    found: dict[str, RiskSign] = {}
    if _HAS_LATIN.search(text):
        lowered = text.lower()
        for category, start, end in _ENGLISH.matches(lowered):
            if category in found or (category in _NEGATED_CATEGORIES and
                                     _ENGLISH_NEGATION.search(lowered[max(0, start - 40):start])):
                continue
            found[category] = RiskSign(category, _evidence(text, *_whole_words(text, start, end)))
    if _HAS_HANGUL.search(text):
        compact = _SPACE.sub("", text.lower())
        compact = _blank_korean_guards(compact)
        for category in RISK_CATEGORIES:
            if category in found:
                continue
            span = _first_korean(compact, category)
            if span:
                start, end = _original_span(text, *span)
                found[category] = RiskSign(category, _evidence(text, *_whole_words(text, start, end)))
    return [found[category] for category in RISK_CATEGORIES if category in found]


def _blank_korean_guards(compact: str) -> str:
    if not _KOREAN_GUARDS.may_match(compact):
        return compact
    return _KOREAN_GUARDS.pattern.sub(lambda match: "·" * len(match.group()), compact)


def _first_korean(compact: str, category: str) -> tuple[int, int] | None:
    scan = _KOREAN[category]
    if not scan.may_match(compact):
        return None
    for match in scan.pattern.finditer(compact):
        if category in _NEGATED_CATEGORIES and _KOREAN_NEGATION.match(compact, match.end()):
            continue
        return match.span()
    return None


def _original_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where characters ``start`` to ``end`` of the text without whitespace are in the text."""
    kept = [index for index, char in enumerate(text) if not char.isspace()]
    return kept[start], kept[end - 1] + 1


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _WORD_CHARS.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD_CHARS.match(text[end]):
        end += 1
    return start, end


def _evidence(text: str, start: int, end: int) -> str:
    words = " ".join(text[start:end].split())
    return words if len(words) <= EVIDENCE_LIMIT else words[: EVIDENCE_LIMIT - 1].rstrip() + "…"
