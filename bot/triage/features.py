"""What the triage model sees of a message: words, word pairs, letter n-grams and the lexicons' findings.

Each feature keeps the span of the text it comes from, so the words that weigh most for a decision
can be quoted back as its evidence. English is seen as lowercased words (with a 4-letter n-gram of
each longer word, for typos and inflections); Korean as the syllable pairs and triples of each run
of Hangul with its spaces removed, so particles, endings and spacing ("화상입었어요", "화상 입었어요")
share most of their features. The lexicons' findings (a risk category, the sentiment scorer's
label and strength) are features too: the model learns how far to trust them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from bot.triage.risk import RiskSign
from bot.triage.sentiment import SentimentScore

_TOKEN = regex.compile(
    r"[\p{Latin}\p{N}]+(?:['’]\p{Latin}+)?|[가-힣]+|\p{Extended_Pictographic}|[ㅋㅎ]{2,}|[ㅠㅜ]+|[!?]")
_DIGITS = regex.compile(r"\d+")
WHOLE_TEXT = ("risk:", "mood:", "moodq:")
"""Prefixes of the features that are about the whole text (the lexicons' findings), not a few words."""
_MAX_LENGTH = 600
"""Longer messages are read to this many characters: the model's evidence is in the first lines."""


Feature = tuple[str, int, int]
"""A feature's name, and the start and end of the text it comes from."""


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


def prepare(text: str) -> str:
    """The text as features and evidence are taken from: NFC, and at most ``_MAX_LENGTH`` characters."""
    return unicodedata.normalize("NFC", text or "")[:_MAX_LENGTH]


def features(text: str, found: list[RiskSign], mood: SentimentScore) -> list[Feature]:
    """Every feature of ``text`` (as ``prepare`` leaves it), with where it comes from; ``found`` and
    ``mood`` are what the lexicons make of the whole text."""
    text = prepare(text)
    result: list[Feature] = []
    previous = ""
    previous_start = 0
    hangul: list[tuple[str, int]] = []
    for match in _TOKEN.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        name = _word(token)
        result.append(("w:" + name, start, end))
        if previous:
            result.append((f"b:{previous}|{name}", previous_start, end))
        previous, previous_start = name, start
        if "가" <= token[0] <= "힣":
            hangul += [(char, start + offset) for offset, char in enumerate(token)]
        elif len(name) >= 5 and name.isalpha():
            padded = f"<{name}>"
            result += [("c:" + padded[i:i + 4], start, end) for i in range(len(padded) - 3)]
    for size in (2, 3):
        for i in range(len(hangul) - size + 1):
            result.append((f"k{size}:" + "".join(char for char, _ in hangul[i:i + size]),
                           hangul[i][1], hangul[i + size - 1][1] + 1))
    whole = len(text)
    result += [("risk:" + sign.category, 0, whole) for sign in found]
    result.append(("mood:" + mood.label, 0, whole))
    result.append((f"moodq:{round(mood.score * 4) / 4:+.2f}", 0, whole))
    return result


def _word(token: str) -> str:
    word = token.lower()
    if "'" in word or "’" in word:
        word = word.replace("'", "").replace("’", "")
    return _DIGITS.sub("0", word) if any(char.isdigit() for char in word) else word
