"""What the triage model sees of a message: words, word pairs, letter n-grams and the lexicons' findings.

Each feature keeps the span of the text it comes from, so the words that weigh most for a decision
can be quoted back as its evidence. English is seen as lowercased words (with a 4-letter n-gram of
each longer word, for typos and inflections); Korean as the syllable pairs and triples of each run
of Hangul with its spaces removed, so particles, endings and spacing ("화상입었어요", "화상 입었어요")
share most of their features. The lexicons' findings (a risk category, the sentiment scorer's
label and strength) are features too: the model learns how far to trust them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

from bot.triage import concepts
from bot.triage.risk import RiskSign
from bot.triage.sentiment import SentimentScore

_TOKEN = regex.compile(
    r"[\p{Latin}\p{N}]+(?:['’]\p{Latin}+)?|[가-힣]+|\p{Extended_Pictographic}|[ㅋㅎ]{2,}|[ㅠㅜ]+|[!?]")
_WORDS_OR_SIGNS = regex.compile(r"[\p{Latin}\p{N}]|[가-힣]|\p{Extended_Pictographic}|[ㅋㅎ]{2}|[ㅠㅜ]")
_DIGITS = regex.compile(r"\d+")
LEXICON_FINDINGS = ("risk:", "mood:", "moodq:")
"""Prefixes of the features that are the lexicons' findings."""
WHOLE_TEXT = (*LEXICON_FINDINGS, "xx:")
"""Prefixes of the features that are about the whole text, not a few words of it."""
_MAX_LENGTH = 300
"""The model reads this many characters of a longer message (the patterns read all of it): most customer
messages are shorter, and its cost grows with the length."""


Feature = tuple[str, int, int]
"""A feature's name, and the start and end of the text it comes from."""


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def has_words(text: str) -> bool:
    """Whether ``tokens`` would find more in ``text`` than "!" and "?"."""
    return _WORDS_OR_SIGNS.search(text) is not None


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
    runs: list[str] = []  # the runs of Hangul
    places: list[int] = []  # where each of their syllables stands in text
    for match in _TOKEN.finditer(text):
        token = match.group()
        start, end = match.span()
        name = _word(token)
        result.append(("w:" + name, start, end))
        if previous:
            result.append((f"b:{previous}|{name}", previous_start, end))
        previous, previous_start = name, start
        if "가" <= token[0] <= "힣":
            runs.append(token)
            places += range(start, end)
        elif len(name) >= 4 and name.isalpha():
            padded = f"<{name}>"
            result += [("c:" + padded[i:i + 4], start, end) for i in range(len(padded) - 3)]
    compact = "".join(runs)
    after = [place + 1 for place in places]
    result += [("k2:" + compact[i:i + 2], places[i], after[i + 1]) for i in range(len(compact) - 1)]
    result += [("k3:" + compact[i:i + 3], places[i], after[i + 2]) for i in range(len(compact) - 2)]
    whole = len(text)
    classes = _classes(text, compact, places)
    result += classes
    present = sorted({name for name, _, _ in classes})
    result += [(f"xx:{first[2:]}+{second[2:]}", 0, whole)
               for index, first in enumerate(present) for second in present[index + 1:]]
    result += [("risk:" + sign.category, 0, whole) for sign in found]
    result.append(("mood:" + mood.label, 0, whole))
    result.append((f"moodq:{round(mood.score * 4) / 4:+.2f}", 0, whole))
    return result


def _classes(text: str, compact: str, places: list[int]) -> list[Feature]:
    """The word classes of ``concepts`` the text shows, each where it occurs; ``compact`` is its Hangul
    with the spaces taken out, ``places`` where each of those syllables stands in ``text``."""
    found: list[Feature] = []
    lowered = text.lower()
    for match in _ENGLISH_WORD.finditer(lowered):
        word = match.group()
        names = _WORDS.get(word, ())
        if word[:_SHORTEST_STEM] in _STEM_STARTS:
            for length in _STEM_LENGTHS:
                if length > len(word):
                    break
                names += _STEMS.get(word[:length], ())
        start = match.start()
        if names:
            found += [("x:" + name, start, match.end()) for name in names]
        for phrase, phrase_names in _PHRASES_BY_WORD.get(word, ()):
            if lowered.startswith(phrase, start):
                found += [("x:" + name, start, start + len(phrase)) for name in phrase_names]
    for match in _SYMBOL.finditer(text, overlapped=True):
        found += [("x:" + name, match.start(), match.end()) for name in _SYMBOLS[match.group()]]
    hidden = _hidden(text) if compact else set()
    for match in _KOREAN_START.finditer(compact):
        start = match.start()
        if places[start] in hidden:
            continue
        for length in _KOREAN_LENGTHS[match.group()]:
            names = _KOREAN_CLASSES.get(compact[start:start + length], ())
            if names and start + length <= len(compact):
                found += [("x:" + name, places[start], places[start + length - 1] + 1) for name in names]
    return found


def _hidden(text: str) -> set[int]:
    """The places of ``text`` inside a look-alike word (as written, spaces apart), where no Korean class
    is looked for."""
    places: set[int] = set()
    for match in _KOREAN_LOOKALIKE.finditer(text):
        places.update(range(match.start(), match.end()))
    return places


def _inflections(word: str) -> set[str]:
    """``word`` with the endings of its plural and tenses ("swells", "swelled", "swelling"). Words of
    three letters or fewer only take a plural ("lips"; not "earn" from "ear")."""
    if len(word) < _SHORTEST_INFLECTED:
        return {word, word + "s"} if len(word) == _SHORTEST_INFLECTED - 1 else {word}
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if regex.fullmatch(r".*[^aeiou][aeiou][bdgklmnprt]", word):
        forms |= {word + word[-1] + ending for ending in ("ed", "ing")}
    return forms


def _index() -> tuple[dict[str, tuple[str, ...]], ...]:
    words: dict[str, tuple[str, ...]] = {}
    stems: dict[str, tuple[str, ...]] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    symbols: dict[str, tuple[str, ...]] = {}
    korean: dict[str, tuple[str, ...]] = {}

    def add(table: dict[str, tuple[str, ...]], key: str, name: str) -> None:
        if name not in table.get(key, ()):
            table[key] = (*table.get(key, ()), name)

    for name, entries in concepts.ENGLISH.items():
        for entry in entries:
            if entry.endswith("*"):
                add(stems, entry[:-1], name)
            elif entry.isalnum():
                for form in _inflections(entry):
                    add(words, form, name)
            elif regex.search(r"[a-z0-9]", entry):
                add(phrases, entry, name)
            else:
                add(symbols, entry, name)
    for name, entries in concepts.KOREAN.items():
        for entry in entries:
            if regex.fullmatch(r"[가-힣]+", entry):
                add(korean, entry, name)
            else:
                add(symbols, entry, name)
    return words, stems, phrases, symbols, korean


_SHORTEST_INFLECTED = 4
_WORDS, _STEMS, _PHRASES, _SYMBOLS, _KOREAN_CLASSES = _index()
_STEM_LENGTHS = sorted({len(entry) for entry in _STEMS})
_SHORTEST_STEM = min(_STEM_LENGTHS, default=1)
_STEM_STARTS = frozenset(entry[:_SHORTEST_STEM] for entry in _STEMS)
"""The first ``_SHORTEST_STEM`` letters of each stem: a word that starts otherwise takes no stem."""
_ENGLISH_WORD = regex.compile(r"[a-z0-9]+")


def _by_first_word(phrases: dict[str, tuple[str, ...]]) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """The phrases, under the word they start with: a phrase is looked for only where that word is."""
    table: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for phrase, names in sorted(phrases.items(), key=lambda item: len(item[0])):
        first = _ENGLISH_WORD.match(phrase)
        if first is not None:
            table.setdefault(first.group(), []).append((phrase, names))
    return {word: tuple(entries) for word, entries in table.items()}


def _lengths_by_first_syllable(entries: dict[str, tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    table: dict[str, set[int]] = {}
    for entry in entries:
        table.setdefault(entry[0], set()).add(len(entry))
    return {syllable: tuple(sorted(lengths)) for syllable, lengths in table.items()}


_PHRASES_BY_WORD = _by_first_word(_PHRASES)
_KOREAN_LENGTHS = _lengths_by_first_syllable(_KOREAN_CLASSES)
_KOREAN_START = re.compile(f"[{''.join(map(re.escape, sorted(_KOREAN_LENGTHS)))}]" if _KOREAN_LENGTHS else "(?!)")


_SYMBOL = regex.compile("|".join(regex.escape(symbol) for symbol in sorted(_SYMBOLS, key=len, reverse=True)))
_KOREAN_LOOKALIKE = regex.compile("|".join(concepts.KOREAN_LOOKALIKES))


def _word(token: str) -> str:
    word = token.lower()
    if word.isalpha():
        return word
    if "'" in word or "’" in word:
        word = word.replace("'", "").replace("’", "")
    return _DIGITS.sub("0", word)
