"""The triage model: two small linear classifiers over ``features``, shipped as package data.

One head tells the risk category (or none), the other the sentiment. Both are multinomial logistic
regressions trained by ``bot.triage.retrain`` on the labelled files in tests/data; the weights
(``data/model.npz``) and the vocabulary (``data/model_vocabulary.txt``) are read once, on first use.
A message costs a dictionary look-up per feature and two small sums: about 0.07 ms for a typical one,
features included.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from bot.triage.features import WHOLE_TEXT, Feature, Token, features, prepare, tokens
from bot.triage.risk import RiskSign
from bot.triage.sentiment import SentimentScore

NONE = "none"
EVIDENCE_WORDS = 4
_RIDER = 0.25


@dataclass(frozen=True)
class Weights:
    vocabulary: dict[str, int]
    categories: tuple[str, ...]
    category_weights: np.ndarray
    """(features + 1) × categories; the last row is the bias."""
    sentiments: tuple[str, ...]
    sentiment_weights: np.ndarray
    threshold: float
    """The least probability of the likeliest category for it to be reported."""
    sure: float = 1.0
    """The least probability for the category's own priority; below it, the priority is at most ``high``."""
    doubt: float = 1.0
    """The least probability of no category at which a category the patterns found is doubted: it raises
    the priority to ``high`` at most, the same as one the model is unsure of."""

    @functools.cached_property
    def both_heads(self) -> np.ndarray:
        """The two heads' weights side by side, so that a message's features are gathered once."""
        return np.hstack([self.category_weights, self.sentiment_weights])


@dataclass(frozen=True)
class Reading:
    category: str | None
    """The likeliest category, when its probability reaches the threshold."""
    likeliest: str
    probability: float
    """The likeliest category's probability."""
    by_category: dict[str, float]
    """Each category's probability, ``NONE`` included."""
    sentiment: str
    sentiment_score: float
    """P(positive) - P(negative), -1 .. 1."""
    features: list[Feature] = field(repr=False, compare=False)
    doubts_risk: bool = False
    """The model is sure enough that the message shows no category to doubt the patterns' finding."""


def read(text: str, lexicon_signs: list[RiskSign], mood: SentimentScore, weights: Weights | None = None) -> Reading:
    """The model's reading of ``text``, given the lexicons' (see ``assessment``); its ``evidence`` is
    left to ``quote``, which costs more than the reading and is needed only when the lexicons missed it."""
    weights = weights or load()
    found = features(prepare(text), lexicon_signs, mood)
    logits = _logits(weights.both_heads, _rows(weights, found)).tolist()
    count = len(weights.categories)
    by_category = dict(zip(weights.categories, _softmax(logits[:count]), strict=True))
    by_sentiment = dict(zip(weights.sentiments, _softmax(logits[count:]), strict=True))
    likeliest = max((name for name in weights.categories if name != NONE), key=by_category.__getitem__)
    probability = by_category[likeliest]
    return Reading(likeliest if probability >= weights.threshold else None, likeliest, probability, by_category,
                   max(weights.sentiments, key=by_sentiment.__getitem__),
                   round(by_sentiment["positive"] - by_sentiment["negative"], 4), found,
                   doubts_risk=by_category[NONE] >= weights.doubt)


def quote(text: str, reading: Reading, weights: Weights | None = None) -> str | None:
    """The run of up to ``EVIDENCE_WORDS`` words of ``text`` whose features speak most for the
    reading's likeliest category, as the customer wrote them."""
    weights = weights or load()
    text = prepare(text)
    words = tokens(text)
    known = [(weights.vocabulary[name], start, end) for name, start, end in reading.features
             if name in weights.vocabulary and not name.startswith(WHOLE_TEXT)]
    if not words or not known:
        return None
    category = weights.categories.index(reading.likeliest)
    none = weights.categories.index(NONE)
    indexes, starts, ends = (np.array(column) for column in zip(*known, strict=True))
    pull = weights.category_weights[indexes, category] - weights.category_weights[indexes, none]
    word_starts = np.array([word.start for word in words])
    first = np.maximum(np.searchsorted(word_starts, starts, side="right") - 1, 0)
    last = np.maximum(np.searchsorted(word_starts, ends - 1, side="right") - 1, first)
    share = pull / (last - first + 1)
    per_word = np.bincount(first, weights=share, minlength=len(words))
    for offset in range(1, int((last - first).max()) + 1):
        spans = first + offset <= last
        per_word += np.bincount((first + offset)[spans], weights=share[spans], minlength=len(words))
    return _best_run(text, words, per_word)


def _best_run(text: str, words: list[Token], per_word: np.ndarray) -> str | None:
    running = np.concatenate(([0.0], np.cumsum(per_word)))
    best, first, last = 0.0, 0, 0
    for width in range(1, min(EVIDENCE_WORDS, len(words)) + 1):
        totals = running[width:] - running[:-width]
        start = int(np.argmax(totals))
        if totals[start] > best + 1e-9:
            best, first, last = float(totals[start]), start, start + width - 1
    if best <= 0.0:
        return None
    strongest = float(per_word[first:last + 1].max())
    # Words that only ride along ("and", "the") are left out of the quote's ends.
    while first < last and per_word[first] < _RIDER * strongest:
        first += 1
    while last > first and per_word[last] < _RIDER * strongest:
        last -= 1
    return " ".join(text[words[first].start:words[last].end].split())


@functools.cache
def load() -> Weights:
    folder = resources.files("bot.triage") / "data"
    vocabulary = (folder / "model_vocabulary.txt").read_text(encoding="utf-8").splitlines()
    with (folder / "model.npz").open("rb") as stream:
        arrays = np.load(stream)
        return Weights(
            vocabulary={name: index for index, name in enumerate(vocabulary)},
            categories=tuple(str(name) for name in arrays["categories"]),
            category_weights=arrays["category_weights"].astype(np.float32),
            sentiments=tuple(str(name) for name in arrays["sentiments"]),
            sentiment_weights=arrays["sentiment_weights"].astype(np.float32),
            threshold=float(arrays["threshold"]),
            sure=float(arrays["sure"]),
            doubt=float(arrays["doubt"]),
        )


def _rows(weights: Weights, found: list[Feature]) -> np.ndarray:
    index_of = weights.vocabulary.get
    known = {index_of(name, -1) for name, _, _ in found}
    known.discard(-1)
    return np.fromiter(known, dtype=np.int64, count=len(known))


def _logits(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    scale = 1.0 / np.sqrt(max(len(rows), 1))  # a float64: the sum is taken in float64, as it was trained
    return matrix.take(rows, axis=0).sum(axis=0) * scale + matrix[-1]


def _softmax(logits: list[float]) -> list[float]:
    # A dozen numbers: plain floats cost less than numpy's per-call overhead.
    top = max(logits)
    shifted = [math.exp(logit - top) for logit in logits]
    total = sum(shifted)
    return [value / total for value in shifted]
