"""The trained triage model: shipped inside the package, reproducible from the labelled files, and
quoting the customer's own words when it finds what the patterns miss."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config.triage import RISK_CATEGORIES
from bot.triage import model
from bot.triage.assessment import assess
from bot.triage.training import DATA, TRAINING_FILES


def test_the_model_ships_with_the_package_and_knows_every_category():
    weights = model.load()
    assert weights.categories == (model.NONE, *RISK_CATEGORIES)
    assert weights.sentiments == ("negative", "neutral", "positive")
    assert weights.category_weights.shape == (len(weights.vocabulary) + 1, len(weights.categories))
    assert 0.0 < weights.threshold < 1.0


@pytest.mark.slow
def test_the_shipped_model_is_what_training_on_the_tuning_halves_gives(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bot.triage.retrain", "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    shipped = DATA
    assert (tmp_path / "model_vocabulary.txt").read_text(encoding="utf-8") == \
        (shipped / "model_vocabulary.txt").read_text(encoding="utf-8")
    with np.load(tmp_path / "model.npz") as trained, np.load(shipped / "model.npz") as packaged:
        for name in ("category_weights", "sentiment_weights"):
            np.testing.assert_allclose(trained[name], packaged[name], atol=2e-2)
        assert float(trained["threshold"]) == float(packaged["threshold"])
    assert all(path.exists() for path in TRAINING_FILES)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc xyz burnt hand 화상 입었 어요 손 데였 !?.'😂ㅠ\n")), max_size=120))
def test_what_the_model_quotes_is_the_customers_own_words(text):
    for sign in assess(text).signs:
        if sign.model_probability is not None and sign.evidence:
            assert sign.evidence in " ".join(text.split())


def test_a_message_without_words_is_neutral_and_shows_nothing():
    for text in ("", "   ", "🙂", "..."):
        assessment = assess(text)
        assert assessment.signs == ()
        assert assessment.sentiment.label in ("neutral", "positive")


def weights_leaning(none_logit: float) -> model.Weights:
    """A model that reads no word and leans toward no category by ``none_logit``."""
    shipped = model.load()
    categories = np.zeros((1, len(shipped.categories)), dtype=np.float32)
    categories[0, shipped.categories.index(model.NONE)] = none_logit
    return model.Weights({}, shipped.categories, categories, shipped.sentiments,
                         np.zeros((1, len(shipped.sentiments)), dtype=np.float32), threshold=0.4, sure=0.7, doubt=0.8)


def test_what_the_patterns_find_is_doubted_when_the_model_is_sure_there_is_nothing():
    text = "the adapter caught fire while charging"
    sure_of_nothing = assess(text, weights_leaning(10.0)).signs
    assert [(sign.category, sign.tentative) for sign in sure_of_nothing] == [("safety", True)]
    undecided = assess(text, weights_leaning(0.0)).signs
    assert [(sign.category, sign.tentative) for sign in undecided] == [("safety", False)]
