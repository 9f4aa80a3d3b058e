"""Triage as a pure function: app.yaml rules, the built-in risk categories and sentiment decide a
message's priority, tags, channel and whether it needs a thread at all.

The same rules tests/test_triage.py checks through a running bot and the Slack stand-in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.config import Config
from bot.inbound import Author, InboundMessage
from bot.triage.risk import RiskSign
from bot.triage.rules import _risk, only_tags_friends, rank, triage
from tests.support.config import TRIAGE_RULES as RULES, make_config

SENT_AT = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def config() -> Config:
    return make_config("http://127.0.0.1:9/replies", RULES)


def message(text: str, kind: str = "comment", **fields: Any) -> InboundMessage:
    author = fields.pop("author", Author("fb-1001", "Kim Minji", "@minji"))
    return InboundMessage(source_id="acme-hook", external_id="m1", conversation_external_id="c1", kind=kind,
                          author=author, text=text, url=None, sent_at=SENT_AT, **fields)


def test_keywords_in_korean_and_english_set_priority_and_tags(config):
    refund = triage(config, "acme", message("환불해 주세요. 두 번째 문의입니다."))
    assert (refund.priority, refund.tags, refund.sentiment) == ("high", ("refund",), "neutral")
    legal = triage(config, "acme", message("This is a scam, I will file a lawsuit"))
    assert (legal.priority, legal.tags, legal.category, legal.evidence) == ("urgent", ("legal",), "legal", "lawsuit")


def test_the_highest_priority_of_all_matching_rules_wins(config):
    verdict = triage(config, "acme", message("환불 안 해주면 소송할 거예요"))
    assert verdict.priority == "urgent" and verdict.tags[:2] == ("refund", "legal")
    assert triage(config, "acme", message("Where is my parcel?")).priority == "normal"


def test_a_priority_the_sender_set_is_a_floor(config):
    assert triage(config, "acme", message("Where is my parcel?", priority="urgent")).priority == "urgent"
    assert triage(config, "acme", message("I want a refund", priority="low")).priority == "high"


def test_a_one_star_review_is_urgent_without_any_rule():
    verdict = triage(make_config("http://127.0.0.1:9/replies"), "acme",
                     message("Never again. The worst service, so disappointed.", kind="review", rating=1))
    assert (verdict.priority, verdict.sentiment, verdict.tags) == ("urgent", "negative", ())


def test_press_is_routed_to_its_own_channel(config):
    verdict = triage(config, "acme", message("Could we feature your spring line?",
                                             author=Author("ig-77", "VOGUE Korea", "@vogue_korea")))
    assert (verdict.channel, verdict.tags, verdict.priority) == ("C0PR0001", ("press",), "high")


def test_sentiment_rules_route_negative_reviews():
    rule = "triage: {rules: [{kinds: [review], sentiment: negative, channel: C0LEGAL01, tags: [bad-review]}]}\n"
    config = make_config("http://127.0.0.1:9/replies", rule)
    happy = triage(config, "acme", message("정말 최고예요! 배송도 빨라요 👍", kind="review", rating=4))
    angry = triage(config, "acme", message("포장이 엉망이고 제품이 파손돼서 왔어요 😡", kind="review", rating=3))
    assert (happy.sentiment, happy.channel, happy.tags) == ("positive", None, ())
    assert (angry.sentiment, angry.channel, angry.tags) == ("negative", "C0LEGAL01", ("bad-review",))


def test_a_friend_tag_and_a_quiet_rule_need_no_thread(config):
    assert triage(config, "acme", message("@jisoo_k 이거 봐!! 😍")).quiet == "only tags other people"
    assert triage(config, "acme", message("free followers at example dot com")).quiet == "matched a quiet rule"


def test_a_friend_tag_that_asks_the_brand_something_gets_a_thread(config):
    assert triage(config, "acme", message("@jisoo_k 이거 언제 다시 입고되나요?")).quiet is None


def test_dms_and_pressing_messages_are_never_quiet(config):
    assert triage(config, "acme", message("free followers at example dot com", kind="dm")).quiet is None
    assert triage(config, "acme", message("free followers, refund now")).quiet is None  # high priority


def test_a_lead_is_tagged(config):
    verdict = triage(config, "acme", message("We run 40 cafés, do you sell wholesale?"))
    assert "lead" in verdict.tags and verdict.quiet is None


def test_which_rules_matched_is_kept_for_the_record(config):
    assert triage(config, "acme", message("refund, or I sue: this is a scam")).rules[:2] == (0, 1)


@pytest.mark.parametrize(("text", "friends_only"), [
    ("@jisoo_k look!", True),
    ("@jisoo_k @minho 이거 봐!!", True),
    ("@jisoo_k when is this back in stock?", False),
    ("no mention at all", False),
    ("@jisoo_k this is the one I told you about last week at the cafe", False),
])
def test_only_tags_friends(text, friends_only):
    assert only_tags_friends(text) is friends_only


def test_priorities_rank_low_to_urgent_and_unknown_as_normal():
    assert [rank(p) for p in ("low", "normal", "high", "urgent")] == [0, 1, 2, 3]
    assert rank("whatever") == rank("normal")


def test_what_the_patterns_found_beats_an_unsure_model_at_the_same_priority(config):
    found = (RiskSign("safety", "burnt", 0.55, tentative=True), RiskSign("legal", "my lawyer"))
    settings, sign = _risk(config, "acme", found)
    assert (sign.category, settings.priority) == ("legal", "high")
    sure = (RiskSign("safety", "burnt", 0.9), RiskSign("legal", "my lawyer"))
    assert _risk(config, "acme", sure)[1].category == "safety"
