"""Offline sentiment of English and Korean customer messages.

English words are scored by VADER (the ``vaderSentiment`` package, MIT licence): it is
rule-based, ships its lexicon inside the package, needs no model download, and already
handles negation ("not happy"), intensifiers ("very"), capitals, "but" and "!!!". Its
lexicon is extended with customer-service words and phrases from ``en_lexicon``.

VADER knows no Korean, and no offline Korean sentiment package is worth its weight, so
Korean is scored from the hand-curated stem lexicon in ``ko_lexicon`` without a
morphological analyser: stems are matched on text with spaces removed, then adjusted
for short negation (안/못 before the stem), long negation (-지 않다/못하다), absence
(불만 없어요), and intensifiers (너무, 진짜, 정말). Emoji and emoticons come from
``symbol_lexicon``.

All evidence is added on VADER's valence scale and squashed into -1.0 .. 1.0 the way
VADER computes its compound score; the neutral band was chosen on the "tune" split of
tests/data/sentiment_sample.jsonl. Scoring is deterministic and keeps no state between
calls, so it is safe to call from any thread.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import regex
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bot.triage import en_lexicon, ko_lexicon, symbol_lexicon


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


@dataclass(frozen=True)
class SentimentScore:
    label: Sentiment
    score: float  # -1.0 (most negative) .. 1.0 (most positive)


# Scores strictly between these two are neutral. Chosen on the tune split; the negative
# edge sits closer to zero because a missed complaint costs a social team more than a
# neutral message read as one.
NEGATIVE_AT_OR_BELOW = -0.15
POSITIVE_AT_OR_ABOVE = 0.3

# VADER's constants, reused so Korean and emoji evidence behave like English words.
_VADER_ALPHA = 15.0
_NEGATION_FACTOR = -0.74
_INTENSIFIER_FACTOR = 1.3
_DIMINISHER_FACTOR = 0.7
_EXCLAMATION_BOOST = 0.292
_MAX_COUNTED_EXCLAMATIONS = 4
_MAX_COUNTED_INTENSIFIERS = 2
_INTENSIFIER_WINDOW = 7  # characters before a stem, spaces removed
_BEFORE_CONTRAST_FACTOR = 0.5  # VADER's weights around "but"
_AFTER_CONTRAST_FACTOR = 1.5

_EMOJI_RUN = regex.compile(r"[\p{Extended_Pictographic}\uFE0F\u200D\U0001F3FB-\U0001F3FF]+")
_WHITESPACE = re.compile(r"\s+")
_NEEDS_VADER = re.compile(r"[A-Za-z]|[:;=<]")
_JAMO_EMOTICON = re.compile(r"[ㅠㅜ]+|ㅋ{2,}|ㅎ{2,}|ㅡ{2,}")
_ASCII_EMOTICON = re.compile(r"\^_?\^|-_-|T_T|(?<![A-Za-z])TT(?![A-Za-z])|;;+")
_CLAUSE_BREAK = re.compile(r"[.!?~,…]")
_LONG_NEGATION = re.compile(r"[가-힣]{0,3}?지[는도만]?(않|못|마)")
_ABSENCE = re.compile(r"[이가은는도]?(하나도|전혀|별로|아무)?없")
_FAILED = re.compile(r"[이가](안|못)")
_CONTRAST = re.compile("|".join(ko_lexicon.CONTRASTS))
_ENGLISH_NEUTRAL = re.compile(
    rf"\b(?:{'|'.join(en_lexicon.NEUTRAL_PHRASES)})\b", re.IGNORECASE
)
_ENGLISH_PHRASES = tuple(
    (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), valence)
    for pattern, valence in en_lexicon.PHRASES.items()
)


def _build_english_analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(en_lexicon.WORDS)
    return analyzer


def _index_stems_by_first_char(stems: dict[str, float]) -> dict[str, tuple[tuple[str, float], ...]]:
    index: dict[str, list[tuple[str, float]]] = {}
    for stem, valence in stems.items():
        index.setdefault(stem[0], []).append((stem, valence))
    return {
        first: tuple(sorted(entries, key=lambda entry: len(entry[0]), reverse=True))
        for first, entries in index.items()
    }


# Built once at import and only read afterwards, which keeps score() thread-safe.
_ENGLISH = _build_english_analyzer()
_KOREAN_STEMS = _index_stems_by_first_char(ko_lexicon.KOREAN_STEMS)


def score(text: str) -> SentimentScore:
    """Score one message; empty or sentiment-free text is neutral with score 0.0."""
    compound = _squash(total_valence(text))
    return SentimentScore(label=_label_for(compound), score=round(compound, 4))


def total_valence(text: str) -> float:
    """Sum of all evidence on VADER's valence scale, before squashing into -1..1."""
    text = unicodedata.normalize("NFC", text or "")
    words = _EMOJI_RUN.sub(" ", text)
    english = english_valence(words)
    total = (
        english
        + korean_valence(words)
        + emoji_valence(text)
        + emoticon_valence(words)
    )
    if english == 0.0:
        # VADER already weighed "!" in its own score; add it only when VADER saw nothing.
        total += _exclamation_emphasis(text, total)
    return total


def english_valence(text: str) -> float:
    if not _NEEDS_VADER.search(text):
        return 0.0
    text = _ENGLISH_NEUTRAL.sub(" ", text)
    compound = _ENGLISH.polarity_scores(text)["compound"]
    return _unsquash(compound) + sum(
        valence * len(pattern.findall(text)) for pattern, valence in _ENGLISH_PHRASES
    )


def korean_valence(text: str) -> float:
    compact = _WHITESPACE.sub("", text)
    contrasts = list(_CONTRAST.finditer(compact))
    last_contrast = contrasts[-1] if contrasts else None
    return sum(
        _stem_valence(compact, start, stem, valence) * _contrast_weight(start, last_contrast)
        for start, stem, valence in _korean_stems(compact)
    )


def _contrast_weight(start: int, contrast: re.Match[str] | None) -> float:
    if contrast is None:
        return 1.0
    if start < contrast.start():
        return _BEFORE_CONTRAST_FACTOR
    if start >= contrast.end():
        return _AFTER_CONTRAST_FACTOR
    return 1.0


def emoji_valence(text: str) -> float:
    return sum(
        symbol_lexicon.EMOJI.get(char, 0.0)
        for run in _EMOJI_RUN.findall(text)
        for char in run
    )


def emoticon_valence(text: str) -> float:
    jamo = sum(symbol_lexicon.JAMO_EMOTICONS[run[0]] for run in _JAMO_EMOTICON.findall(text))
    ascii_ = sum(symbol_lexicon.ASCII_EMOTICONS[_ascii_key(found)] for found in _ASCII_EMOTICON.findall(text))
    return jamo + ascii_


def _ascii_key(emoticon: str) -> str:
    return ";;" if emoticon.startswith(";;") else emoticon


def _korean_stems(compact: str) -> Iterator[tuple[int, str, float]]:
    """Leftmost-longest matches of lexicon stems, without overlaps."""
    position, length = 0, len(compact)
    while position < length:
        candidates = _KOREAN_STEMS.get(compact[position], ())
        for stem, valence in candidates:
            if compact.startswith(stem, position):
                yield position, stem, valence
                position += len(stem)
                break
        else:
            position += 1


def _stem_valence(compact: str, start: int, stem: str, valence: float) -> float:
    if valence == 0.0:
        return 0.0
    end = start + len(stem)
    negated_before = _is_negated_before(compact, start)
    if negated_before or _is_negated_after(compact, end, valence):
        valence *= _NEGATION_FACTOR
    modifier_end = start - 1 if negated_before else start
    return valence * _intensity(compact, modifier_end)


def _is_negated_before(compact: str, start: int) -> bool:
    if start == 0 or compact[start - 1] not in ko_lexicon.PRE_NEGATIONS:
        return False
    return compact[max(0, start - 2):start] != "잘못"  # 잘못 means "wrongly", not "cannot"


def _is_negated_after(compact: str, end: int, valence: float) -> bool:
    rest = compact[end:end + 10]
    if _LONG_NEGATION.match(rest) or _ABSENCE.match(rest):
        return True
    # "해결이 안 됐어요": praise that did not happen; a complaint that did not happen
    # ("환불이 안 됐어요") is still a complaint, so only positive stems flip here.
    return valence > 0 and _FAILED.match(rest) is not None


def _intensity(compact: str, modifier_end: int) -> float:
    window = compact[max(0, modifier_end - _INTENSIFIER_WINDOW):modifier_end]
    clause_breaks = list(_CLAUSE_BREAK.finditer(window))
    if clause_breaks:
        window = window[clause_breaks[-1].end():]
    intensifiers = sum(1 for word in ko_lexicon.INTENSIFIERS if word in window)
    if window and window[-1] in ko_lexicon.ADJACENT_INTENSIFIERS:
        intensifiers += 1
    factor = _INTENSIFIER_FACTOR ** min(intensifiers, _MAX_COUNTED_INTENSIFIERS)
    if any(word in window for word in ko_lexicon.DIMINISHERS):
        factor *= _DIMINISHER_FACTOR
    return factor


def _exclamation_emphasis(text: str, total: float) -> float:
    if total == 0.0:
        return 0.0
    boost = min(text.count("!"), _MAX_COUNTED_EXCLAMATIONS) * _EXCLAMATION_BOOST
    return math.copysign(boost, total)


def _squash(valence: float) -> float:
    return max(-1.0, min(1.0, valence / math.sqrt(valence * valence + _VADER_ALPHA)))


def _unsquash(compound: float) -> float:
    """Inverse of VADER's normalisation, so its score can be added to other evidence."""
    compound = max(-0.9999, min(0.9999, compound))
    return compound * math.sqrt(_VADER_ALPHA / (1.0 - compound * compound))


def _label_for(compound: float) -> Sentiment:
    if compound <= NEGATIVE_AT_OR_BELOW:
        return Sentiment.NEGATIVE
    if compound >= POSITIVE_AT_OR_ABOVE:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL
