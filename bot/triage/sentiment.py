"""Placeholder scorer until the lexicon-based one lands: everything is neutral."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


@dataclass(frozen=True)
class SentimentScore:
    label: Sentiment
    score: float


def score(text: str) -> SentimentScore:
    return SentimentScore(Sentiment.NEUTRAL, 0.0)
