"""Slang praise, jokes, negated praise, contrast and questions in English sentiment."""

from __future__ import annotations

import pytest

from bot.triage.sentiment import score


@pytest.mark.parametrize("text", [
    "the new jacket is straight fire",
    "honestly this serum is the bomb",
    "these speakers are sick",
    "that blender is a beast",
    "your team smashed it with the redesign",
    "I'd fight someone for the last of the cookies",
    "the tarts are to die for",
    "crazy good pizza tonight",
    "the tacos should be illegal",
    "couldn't be happier with the sofa",
    "no complaints at all, works as described",
    "can't recommend them enough",
    "the spice level almost killed me lol, ordering again",
])
def test_praise_in_words_of_harm_is_positive(text):
    assert score(text).label == "positive"


@pytest.mark.parametrize("text", [
    "my son is sick since the dinner",
    "she was so sick after the takeaway",
    "fast delivery but the taste was meh",
    "oh great, the third late parcel this month",
    "the clerk told me to go back to my country",
])
def test_harm_and_complaints_stay_negative(text):
    assert score(text).label == "negative"


@pytest.mark.parametrize("text", [
    "Is the oat milk gluten-free?",
    "are the lids safe for the dishwasher?",
    "do you sell a fire extinguisher for cars?",
])
def test_a_question_about_a_product_is_neutral(text):
    assert score(text).label == "neutral"


def test_a_why_question_still_complains():
    assert score("why is my order so late??").label == "negative"


def test_a_death_joke_needs_the_laugh():
    assert score("the heat killed me 😂").label == "positive"
    assert score("the heat killed me").label == "negative"
