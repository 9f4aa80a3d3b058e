"""Sentiment scorer: accuracy on the held-out split of the labelled sample, and behaviour cases.

Run with `pytest tests/test_sentiment.py -s` to see the accuracy table.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from bot.triage.sentiment import Sentiment, SentimentScore, score

SAMPLE = Path(__file__).parent / "data" / "sentiment_sample.jsonl"
LANGUAGES = ("en", "ko")
LABELS = tuple(Sentiment)


def load_sample(split: str) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row["split"] == split]


def measure(rows: list[dict[str, str]]) -> tuple[Counter, Counter]:
    """Counts of (language, expected label) seen and scored correctly; language "all" sums both."""
    seen: Counter = Counter()
    correct: Counter = Counter()
    for row in rows:
        right = score(row["text"]).label == row["label"]
        for language in (row["lang"], "all"):
            for label in (row["label"], "all"):
                seen[language, label] += 1
                correct[language, label] += right
    return seen, correct


def rate(correct: Counter, seen: Counter, key: tuple[str, str]) -> float:
    return correct[key] / seen[key]


def accuracy_table(seen: Counter, correct: Counter) -> str:
    header = f"{'lang':<5}{'n':>5}{'accuracy':>10}" + "".join(f"{label + ' recall':>18}" for label in LABELS)
    lines = [header]
    for language in (*LANGUAGES, "all"):
        cells = "".join(f"{rate(correct, seen, (language, label)):>18.2f}" for label in LABELS)
        lines.append(
            f"{language:<5}{seen[language, 'all']:>5}{rate(correct, seen, (language, 'all')):>10.2f}{cells}"
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def test_split_results() -> tuple[Counter, Counter]:
    seen, correct = measure(load_sample("test"))
    print("\nSentiment on the held-out test split\n" + accuracy_table(seen, correct))
    return seen, correct


def test_sample_is_large_balanced_and_split() -> None:
    rows = load_sample("tune") + load_sample("test")
    assert len(rows) >= 300
    languages = Counter(row["lang"] for row in rows)
    assert abs(languages["en"] - languages["ko"]) <= 0.1 * len(rows)
    labels = Counter(row["label"] for row in rows)
    assert min(labels.values()) >= 0.3 * len(rows)
    assert 0.35 <= len(load_sample("test")) / len(rows) <= 0.45


def test_overall_accuracy_on_held_out_split(test_split_results: tuple[Counter, Counter]) -> None:
    seen, correct = test_split_results
    assert rate(correct, seen, ("all", "all")) >= 0.85


@pytest.mark.parametrize("language", LANGUAGES)
def test_accuracy_per_language(test_split_results: tuple[Counter, Counter], language: str) -> None:
    seen, correct = test_split_results
    assert rate(correct, seen, (language, "all")) >= 0.8


@pytest.mark.parametrize("language", LANGUAGES)
def test_negative_recall_per_language(test_split_results: tuple[Counter, Counter], language: str) -> None:
    seen, correct = test_split_results
    assert rate(correct, seen, (language, Sentiment.NEGATIVE)) >= 0.8


def test_negative_recall_overall(test_split_results: tuple[Counter, Counter]) -> None:
    seen, correct = test_split_results
    assert rate(correct, seen, ("all", Sentiment.NEGATIVE)) >= 0.85


@pytest.mark.parametrize("label", (Sentiment.NEUTRAL, Sentiment.POSITIVE))
def test_other_recalls(test_split_results: tuple[Counter, Counter], label: Sentiment) -> None:
    seen, correct = test_split_results
    assert rate(correct, seen, ("all", label)) >= 0.8


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("I am happy with this", "I am not happy with this"),
        ("좋아요", "안 좋아요"),
        ("좋아요", "안좋아요"),
        ("좋아요", "별로 안 좋아요"),
        ("좋아요", "좋지 않아요"),
        ("만족해요", "만족 못 했어요"),
    ],
)
def test_negation_turns_praise_negative(plain: str, negated: str) -> None:
    assert score(plain).label == Sentiment.POSITIVE
    assert score(negated).label == Sentiment.NEGATIVE


@pytest.mark.parametrize("text", ["Not bad at all", "나쁘지 않네요", "불만 하나도 없어요", "You never disappoint"])
def test_negated_complaint_is_not_negative(text: str) -> None:
    assert score(text).label != Sentiment.NEGATIVE


@pytest.mark.parametrize("text", ["택배 못 받았어요", "아직도 안 와요", "안와요 ㅠㅠ", "My parcel never arrived"])
def test_missing_delivery_is_negative(text: str) -> None:
    assert score(text).label == Sentiment.NEGATIVE


@pytest.mark.parametrize(
    ("plain", "intensified"),
    [
        ("good", "very good"),
        ("좋아요", "너무 좋아요"),
        ("좋아요", "진짜 정말 좋아요"),
        ("실망했어요", "정말 실망했어요"),
        ("늦어요", "너무 늦어요"),
    ],
)
def test_intensifiers_strengthen(plain: str, intensified: str) -> None:
    assert abs(score(intensified).score) > abs(score(plain).score)


def test_exclamation_marks_strengthen() -> None:
    assert score("Thank you!!!").score > score("Thank you").score
    assert score("최악이에요!!!").score < score("최악이에요").score


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("😡", Sentiment.NEGATIVE),
        ("👎", Sentiment.NEGATIVE),
        ("👍", Sentiment.POSITIVE),
        ("❤️", Sentiment.POSITIVE),
        ("👍🏽", Sentiment.POSITIVE),
        ("ㅠㅠ", Sentiment.NEGATIVE),
        ("ㅡㅡ", Sentiment.NEGATIVE),
        ("^^", Sentiment.POSITIVE),
        (":(", Sentiment.NEGATIVE),
        ("배송 언제 와요? 😡😡", Sentiment.NEGATIVE),
    ],
)
def test_emoji_and_emoticons(text: str, label: Sentiment) -> None:
    assert score(text).label == label


def test_laughter_leans_positive() -> None:
    assert score("ㅋㅋ").score > 0


def test_tears_of_gratitude_stay_positive() -> None:
    assert score("손편지 감동이에요 ㅠㅠ").label == Sentiment.POSITIVE


@pytest.mark.parametrize("text", ["", "   ", "\n", "12345", "…", "When does the store open?", "언제 배송되나요?"])
def test_text_without_sentiment_is_neutral(text: str) -> None:
    assert score(text) == SentimentScore(label=Sentiment.NEUTRAL, score=0.0)


@pytest.mark.parametrize("text", ["안녕하세요", "사기 전에 문의드려요", "추천해 주세요", "두 개 주문했어요"])
def test_korean_words_that_only_look_like_stems(text: str) -> None:
    assert score(text).label == Sentiment.NEUTRAL


def test_korean_contrast_weighs_what_follows() -> None:
    assert score("디자인은 예쁜데 너무 늦게 왔어요").label == Sentiment.NEGATIVE
    assert score("배송은 좀 늦었는데 제품은 정말 좋아요").label == Sentiment.POSITIVE


def test_mixed_korean_and_english() -> None:
    assert score("배송 super fast 👍 감사해요").label == Sentiment.POSITIVE
    assert score("quality 진짜 별로네요").label == Sentiment.NEGATIVE


def test_decomposed_hangul_scores_like_composed() -> None:
    import unicodedata

    assert score(unicodedata.normalize("NFD", "최악이에요")) == score("최악이에요")


def test_score_is_bounded_and_labels_are_strings() -> None:
    result = score("WORST. SERVICE. EVER!!!! 😡😡😡 최악 최악 최악")
    assert -1.0 <= result.score <= 1.0
    assert result.label == "negative"
    assert score("최고 최고 최고 😍😍😍!!!").score <= 1.0


def test_result_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        score("good").score = 0.0  # type: ignore[misc]


def test_long_emoji_text_scores_quickly() -> None:
    started = time.perf_counter()
    result = score("😡" * 10_000)
    assert time.perf_counter() - started < 0.25
    assert result.label == Sentiment.NEGATIVE


def test_typical_message_scores_well_under_a_millisecond() -> None:
    messages = [
        ("My order arrived late and the box was damaged, but the support agent was really helpful. " * 4)[:300],
        ("주문한 지 2주가 넘었는데 아직도 안 와요. 고객센터는 연결이 안 되고 너무 실망했어요 ㅠㅠ 환불해 주세요. " * 6)[:300],
        ("배송 super fast 👍 감사해요 but the box was damaged 😡 진짜 별로 안 좋아요!!! " * 6)[:300],
    ]
    rounds = 200
    started = time.perf_counter()
    for _ in range(rounds):
        for message in messages:
            score(message)
    per_message = (time.perf_counter() - started) / (rounds * len(messages))
    # Typically 0.1-0.3 ms here; the bound leaves room for a loaded CI machine.
    assert per_message < 0.002


def test_deterministic_across_threads() -> None:
    rows = load_sample("tune")
    expected = [score(row["text"]) for row in rows]
    results: list[list[SentimentScore]] = []

    def score_all() -> None:
        results.append([score(row["text"]) for row in rows])

    threads = [threading.Thread(target=score_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


@pytest.mark.parametrize("text", [
    "포장은 예뻤는데 향은 별로 좋지 않아요",  # a hedge before a negated predicate: not a double negation
    "디자인은 괜찮은데 착용감이 그다지 편하지 않네요",
    "나쁘진 않은데 다시 사진 않을 것 같아요",  # 나쁘진 않은데: the fused -진 negates
])
def test_korean_mixed_reviews_end_negative(text: str) -> None:
    assert score(text).label == Sentiment.NEGATIVE


def test_extra_evidence_is_added_on_the_same_scale() -> None:
    assert score("I know where you work.").label == Sentiment.NEUTRAL
    assert score("I know where you work.", extra=-3.0).label == Sentiment.NEGATIVE
