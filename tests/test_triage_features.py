"""The word classes the triage model reads: a class is found in the forms of its words, not in other
words that happen to start with the same letters."""

from __future__ import annotations

import pytest

from bot.triage.features import features, has_words, prepare, tokens
from bot.triage.sentiment import score


def classes(text: str) -> set[tuple[str, str]]:
    text = prepare(text)
    return {(name[2:], text[start:end]) for name, start, end in features(text, [], score(text))
            if name.startswith("x:")}


@pytest.mark.parametrize(("text", "found"), [
    ("her lips swelled up", {("body", "lips"), ("symptom", "swelled")}),
    ("the kids were itching and sneezing", {("child", "kids"), ("symptom", "itching"), ("symptom", "sneezing")}),
    ("felt nauseous, then dizzy", {("symptom", "nauseous"), ("symptom", "dizzy")}),
    ("he stabbed the counter", {("threat", "stabbed")}),
    ("someone impersonating you", {("stranger", "someone"), ("fake", "impersonating")}),
])
def test_a_class_is_found_in_the_forms_of_its_words(text, found):
    assert found <= classes(text)


@pytest.mark.parametrize(("text", "word"), [
    ("a charity chart", "charity"),
    ("my backpack handle broke", "backpack"),
    ("earn points early", "earn"),
    ("the sparkling water", "sparkling"),
    ("such a nice texture", "texture"),
])
def test_a_word_that_only_starts_like_a_class_word_is_not_in_the_class(text, word):
    assert all(found != word for _, found in classes(text))


def test_emoji_and_question_marks_are_classes_wherever_they_stand():
    found = classes("lol😂 is it ok?")
    assert {("laughter", "😂"), ("laughter", "lol"), ("asking", "?")} <= found


@pytest.mark.parametrize(("text", "hidden"), [
    ("딸기 케이크 최고", "딸"),
    ("칼국수 맛집", "칼"),
    ("배송이 연기됐어요", "연기"),
])
def test_korean_look_alike_words_hide_the_classes_inside_them(text, hidden):
    assert all(found != hidden for _, found in classes(text))


def test_korean_classes_are_found_through_particles_and_spacing():
    assert {("child", "딸"), ("symptom", "두드러기")} <= classes("우리 딸이 두드러기가 났어요")


@pytest.mark.parametrize("text", ["please ask the front desk", "please ask the front desk about it"])
def test_a_phrase_is_found_once_where_it_stands_at_the_end_or_not(text):
    text = prepare(text)
    spans = [(start, end) for name, start, end in features(text, [], score(text)) if name == "x:staff"]
    assert [text[start:end] for start, end in spans] == ["front desk"]


@pytest.mark.parametrize(("text", "readable"), [
    ("?!", False), ("", False), ("ㅋ", False), ("ㅋㅋ", True), ("ㅠ", True), ("🔥", True), ("a", True), ("7", True),
    ("좋아", True),
])
def test_has_words_is_whether_there_is_more_than_punctuation_to_read(text, readable):
    assert has_words(text) is readable
    assert has_words(text) is any(token.text not in "!?" for token in tokens(text))
