"""What a message shows, before any team's rules: its risk categories with their evidence, and its
sentiment. The lexicons (``risk``, ``sentiment``) and the trained model (``model``) each have a say:
a category either of them finds is kept, and the model, which reads the lexicons' findings as well
as the words, gives the sentiment."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.config.triage import RISK_CATEGORIES
from bot.triage import model
from bot.triage.features import has_words, prepare
from bot.triage.risk import RiskSign, signs
from bot.triage.sentiment import Sentiment, SentimentScore, score


@dataclass(frozen=True)
class Assessment:
    signs: tuple[RiskSign, ...]
    """Every category found, in ``RISK_CATEGORIES`` order."""
    sentiment: SentimentScore


def assess(text: str, weights: model.Weights | None = None) -> Assessment:
    weights = weights or model.load()
    found = signs(text)
    mood = score(text)
    if not has_words(prepare(text)):
        return Assessment(tuple(found), mood)  # nothing for the model to read: its bias alone would speak
    reading = model.read(text, found, mood, weights)
    if reading.doubts_risk:
        # Two readers disagree: a person looks soon, and nobody is paged ("thought I was hacked, it was my son").
        found = [replace(sign, tentative=True) for sign in found]
    if reading.category and all(sign.category != reading.category for sign in found):
        probability = round(reading.probability, 2)  # what explain shows is what decides
        found.append(RiskSign(reading.category, model.quote(text, reading, weights) or "", probability,
                              tentative=probability < weights.sure))
        found.sort(key=lambda sign: RISK_CATEGORIES.index(sign.category))
    return Assessment(tuple(found), SentimentScore(Sentiment(reading.sentiment), reading.sentiment_score))
