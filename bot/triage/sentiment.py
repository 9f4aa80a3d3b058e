"""Offline sentiment of English and Korean customer messages.

English is scored with VADER (the ``vaderSentiment`` package, MIT licence, Hutto and
Gilbert 2014): a rule-based scorer for social-media text whose 7,500-entry lexicon ships
inside the package, so nothing is downloaded at run time. Its lexicon, negation words
and booster words are used with a lean re-implementation of its rules (negation within
three words, boosters such as "very", capitals, "but", "!!!"), because VADER's own
scorer takes about 0.5 ms for 300 characters. The lexicon is extended with
customer-service words and phrases from ``en_lexicon``.

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
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import regex
from vaderSentiment import vaderSentiment as vader

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

# VADER's constants, reused so that Korean and emoji evidence behave like English words.
_VADER_ALPHA = 15.0
_NEGATION_FACTOR = -0.74
_INTENSIFIER_FACTOR = 1.3
_DIMINISHER_FACTOR = 0.7
_EXCLAMATION_BOOST = 0.292
_MAX_COUNTED_EXCLAMATIONS = 4
_MAX_COUNTED_INTENSIFIERS = 2
_INTENSIFIER_WINDOW = 7  # characters before a stem, spaces removed
_BEFORE_CONTRAST_FACTOR = 0.5  # VADER's weights around "but", reused for 지만/는데
_AFTER_CONTRAST_FACTOR = 1.5

_EMOJI_RUN = regex.compile(r"[\p{Extended_Pictographic}\uFE0F\u200D\U0001F3FB-\U0001F3FF]+")
_WHITESPACE = re.compile(r"\s+")
_HANGUL_RUN = re.compile(r"[가-힣]+")
_NEEDS_ENGLISH = re.compile(r"[A-Za-z]|[:;=<]")
_STRIPPED_PUNCTUATION = string.punctuation
_NEGATION_REACH = 3  # VADER looks this many words back for "not", "never", "n't"
_BOOSTER_DISTANCE_SCALE = (1.0, 0.95, 0.9)
_JAMO_EMOTICON = re.compile(r"[ㅠㅜ]+|ㅋ{2,}|ㅎ{2,}|ㅡ{2,}")
_ASCII_EMOTICON = re.compile(r"\^_?\^|-_-|T_T|(?<![A-Za-z])TT(?![A-Za-z])|;;+")
_CLAUSE_BREAK = re.compile(r"[.!?~,…]")
_LONG_NEGATION = re.compile(r"[가-힣]{0,3}?(지[는도만]?|진)(않|못|마)")  # 나쁘진 않은데: 지+는 fused
_ABSENCE = re.compile(r"[이가은는도]?(하나도|전혀|별로|아무)?없")
_FAILED = re.compile(r"[이가은는도을를]?(안|못)")
# "-ㄴ데" fuses into the syllable before 데 (예쁜데, 좋은데, 하는데), so any syllable with
# a final ㄴ followed by 데 is a contrast ending too.
_SYLLABLES_ENDING_IN_NIEUN = "".join(chr(code) for code in range(0xAC00 + 4, 0xD7A4, 28))
_CONTRAST = re.compile("|".join((*ko_lexicon.CONTRASTS, f"[{_SYLLABLES_ENDING_IN_NIEUN}]데")))
_ENGLISH_NEUTRAL = regex.compile(
    rf"\b(?:{'|'.join(en_lexicon.NEUTRAL_PHRASES)})\b", regex.IGNORECASE
)
# One alternation (the regex module's is several times faster than re's here), matched
# on lowercased text; the named group that matched tells which phrase it was.
_ENGLISH_PHRASES = regex.compile(
    r"\b(?:"
    + "|".join(f"(?P<phrase{number}>{pattern})" for number, pattern in enumerate(en_lexicon.PHRASES))
    + r")\b"
)
_ENGLISH_PHRASE_VALENCES = {
    f"phrase{number}": valence for number, valence in enumerate(en_lexicon.PHRASES.values())
}


def _alternation(patterns: dict[str, float]) -> tuple[regex.Pattern[str], dict[str, float]]:
    compiled = regex.compile(
        r"\b(?:" + "|".join(f"(?P<p{number}>{pattern})" for number, pattern in enumerate(patterns)) + r")\b"
    )
    return compiled, {f"p{number}": valence for number, valence in enumerate(patterns.values())}


_ENGLISH_REPLACED, _ENGLISH_REPLACED_VALENCES = _alternation(en_lexicon.REPLACED)
_ENGLISH_JOKING, _ENGLISH_JOKING_VALENCES = _alternation(en_lexicon.JOKING)
_LAUGHTER = regex.compile(en_lexicon.LAUGHTER, regex.IGNORECASE)
_QUESTION_WEIGHT = 0.3


def _build_english_lexicon() -> dict[str, float]:
    lexicon = dict(vader.SentimentIntensityAnalyzer().lexicon)
    lexicon.update(en_lexicon.WORDS)
    return lexicon


def _index_stems_by_first_char(stems: dict[str, float]) -> dict[str, tuple[tuple[str, float], ...]]:
    index: dict[str, list[tuple[str, float]]] = {}
    for stem, valence in stems.items():
        index.setdefault(stem[0], []).append((stem, valence))
    return {
        first: tuple(sorted(entries, key=lambda entry: len(entry[0]), reverse=True))
        for first, entries in index.items()
    }


# Built once at import and only read afterwards, which keeps score() thread-safe.
_ENGLISH_LEXICON = _build_english_lexicon()
_NEGATIONS = frozenset(vader.NEGATE)
_KOREAN_STEMS = _index_stems_by_first_char(ko_lexicon.KOREAN_STEMS)


def score(text: str, extra: float = 0.0, weight: float = 1.0) -> SentimentScore:
    """Score one message; empty or sentiment-free text is neutral with score 0.0. ``extra`` is
    evidence found elsewhere (a sign of harm from the risk categories), on the same scale;
    ``weight`` scales the text's own evidence (a reporter's words describe, they do not complain)."""
    compound = _squash(_total_valence(text) * weight + extra)
    return SentimentScore(label=_label_for(compound), score=round(compound, 4))


def _total_valence(text: str) -> float:
    """Sum of all evidence on VADER's valence scale, before squashing into -1..1."""
    text = unicodedata.normalize("NFC", text or "")
    words = _EMOJI_RUN.sub(" ", text)
    total = (
        _english_valence(words, _LAUGHTER.search(text) is not None)
        + _korean_valence(words)
        + _emoji_valence(text)
        + _emoticon_valence(words)
    )
    return total + _punctuation_emphasis(text, total)


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def _english_valence(text: str, laughing: bool) -> float:
    if not _NEEDS_ENGLISH.search(text):
        return 0.0
    text = _ENGLISH_NEUTRAL.sub(" ", text)
    replaced = 0.0
    for pattern, valences in ((_ENGLISH_REPLACED, _ENGLISH_REPLACED_VALENCES),
                              *(((_ENGLISH_JOKING, _ENGLISH_JOKING_VALENCES),) if laughing else ())):
        text, valence = _take_out(pattern, valences, text)
        replaced += valence
    phrases = sum(_ENGLISH_PHRASE_VALENCES[found.lastgroup] for found in _ENGLISH_PHRASES.finditer(text.lower()))
    # Negation and "but" reach within a sentence only: "Never again. The worst service" is not "not worst".
    sentences = _SENTENCE_END.split(text)
    return sum(_english_sentence_valence(sentence) for sentence in sentences) + phrases + replaced


def _take_out(pattern: regex.Pattern[str], valences: dict[str, float], text: str) -> tuple[str, float]:
    """The text with the pattern's matches blanked (capitals kept elsewhere), and their valence."""
    lowered = text.lower()
    found = list(pattern.finditer(lowered))
    if not found:
        return text, 0.0
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: give up the capitals
        text = lowered
    pieces, end = [], 0
    for match in found:
        pieces += [text[end:match.start()], " "]
        end = match.end()
    pieces.append(text[end:])
    return "".join(pieces), sum(valences[match.lastgroup] for match in found)


def _english_sentence_valence(sentence: str) -> float:
    tokens = _english_tokens(sentence)
    valence = _english_word_valence(tokens)
    if tokens and sentence.rstrip().endswith("?") and tokens[0].lower() in en_lexicon.QUESTION_OPENERS:
        return valence * _QUESTION_WEIGHT
    return valence


def _english_tokens(text: str) -> list[str]:
    """Whitespace words with surrounding punctuation removed, except in emoticons like ":(", as VADER does."""
    tokens = []
    for word in text.split():
        stripped = word.strip(_STRIPPED_PUNCTUATION)
        token = stripped if len(stripped) > 2 else word
        if len(token) > 1:
            tokens.append(token)
    return tokens


def _english_word_valence(tokens: list[str]) -> float:
    lowered = [token.lower() for token in tokens]
    shouting = _is_shouting_some_words(tokens)
    contrast_at = lowered.index("but") if "but" in lowered else None
    total = 0.0
    for position, word in enumerate(lowered):
        valence = _ENGLISH_LEXICON.get(word)
        if not valence or word in vader.BOOSTER_DICT:
            continue
        if shouting and tokens[position].isupper():
            valence += math.copysign(vader.C_INCR, valence)
        valence += _booster_shift(tokens, lowered, position, valence, shouting)
        if _is_negated(lowered, position):
            valence *= _NEGATION_FACTOR
        total += valence * _english_contrast_weight(position, contrast_at)
    return total


def _is_shouting_some_words(tokens: list[str]) -> bool:
    upper = sum(1 for token in tokens if token.isupper())
    return 0 < upper < len(tokens)


def _booster_shift(tokens: list[str], lowered: list[str], position: int, valence: float, shouting: bool) -> float:
    shift = 0.0
    for distance, scale in enumerate(_BOOSTER_DISTANCE_SCALE, start=1):
        before = position - distance
        if before < 0:
            break
        boost = vader.BOOSTER_DICT.get(lowered[before])
        if boost is None:
            continue
        if shouting and tokens[before].isupper():
            boost += vader.C_INCR if boost > 0 else -vader.C_INCR
        # Boosters ("very") push away from zero, dampeners ("slightly") towards it.
        shift += (boost if valence > 0 else -boost) * scale
    return shift


def _is_negated(lowered: list[str], position: int) -> bool:
    return any(
        word in _NEGATIONS or "n't" in word
        for word in lowered[max(0, position - _NEGATION_REACH):position]
    )


def _english_contrast_weight(position: int, contrast_at: int | None) -> float:
    if contrast_at is None:
        return 1.0
    if position < contrast_at:
        return _BEFORE_CONTRAST_FACTOR
    return _AFTER_CONTRAST_FACTOR


def _korean_valence(text: str) -> float:
    compact = _WHITESPACE.sub("", text)
    if not _HANGUL_RUN.search(compact):
        return 0.0
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


def _emoji_valence(text: str) -> float:
    return sum(
        symbol_lexicon.EMOJI.get(char, 0.0)
        for run in _EMOJI_RUN.findall(text)
        for char in run
    )


def _emoticon_valence(text: str) -> float:
    jamo = sum(symbol_lexicon.JAMO_EMOTICONS[run[0]] for run in _JAMO_EMOTICON.findall(text))
    ascii_ = sum(symbol_lexicon.ASCII_EMOTICONS[_ascii_key(found)] for found in _ASCII_EMOTICON.findall(text))
    return jamo + ascii_


def _ascii_key(emoticon: str) -> str:
    return ";;" if emoticon.startswith(";;") else emoticon


def _korean_stems(compact: str) -> Iterator[tuple[int, str, float]]:
    """Leftmost-longest matches of lexicon stems, without overlaps.

    Only runs of Hangul syllables are scanned: every stem is Hangul, and skipping Latin
    text and symbols keeps long mixed messages cheap.
    """
    for run in _HANGUL_RUN.finditer(compact):
        position, end = run.start(), run.end()
        while position < end:
            for stem, valence in _KOREAN_STEMS.get(compact[position], ()):
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
    # A hedge before a negated predicate (별로 좋지 않네요) is not itself negated: both say "not good".
    hedged = stem in ko_lexicon.HEDGES
    if negated_before or (not hedged and _is_negated_after(compact, end, valence)):
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
    # "해결이 안 됐어요", "만족 못 했어요": praise that did not happen; a complaint that did not happen
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


def _punctuation_emphasis(text: str, total: float) -> float:
    """VADER's boost for "!!!" and "??", in the direction the message already leans."""
    if total == 0.0:
        return 0.0
    exclamations = min(text.count("!"), _MAX_COUNTED_EXCLAMATIONS) * _EXCLAMATION_BOOST
    questions = text.count("?")
    question_boost = 0.0 if questions < 2 else min(questions * 0.18, 0.96)
    return math.copysign(exclamations + question_boost, total)


def _squash(valence: float) -> float:
    return max(-1.0, min(1.0, valence / math.sqrt(valence * valence + _VADER_ALPHA)))


def _label_for(compound: float) -> Sentiment:
    if compound <= NEGATIVE_AT_OR_BELOW:
        return Sentiment.NEGATIVE
    if compound >= POSITIVE_AT_OR_ABOVE:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL
