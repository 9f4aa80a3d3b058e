"""Triage from app.yaml rules: priority, tags, routing, messages that need no answer, leads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.bot import Bot, customer_message, running_bot
from tests.support.config import ALICE, TRIAGE_RULES, make_config
from tests.support.slack import all_text, shown


@pytest.fixture
def triaged(database_url, slack_api, receiver) -> Iterator[Bot]:
    with running_bot(database_url, slack_api, make_config(receiver.url, TRIAGE_RULES)) as bot:
        yield bot


def triage_text(message) -> str:
    return next(block for block in message.blocks if block.get("block_id") == "triage")["elements"][0]["text"]


def test_keywords_in_korean_and_english_set_priority_and_tags(triaged):
    triaged.webhook(customer_message(id="m1", conversation_id="c1", text="환불해 주세요. 두 번째 문의입니다."))
    parent = triaged.parent()
    assert triage_text(parent) == ":small_red_triangle: Priority: `high`  ·  Sentiment: `neutral`  ·  Tags: `refund`"

    triaged.webhook(customer_message(id="m2", conversation_id="c2", text="This is a scam, I will file a lawsuit"))
    second = triaged.api.wait_for(lambda: [m for m in triaged.api.messages("C0ACME01") if "ACME-2" in m.text])[0]
    assert triage_text(second) == (':rotating_light: Priority: `urgent` · legal — "lawsuit"  ·  Sentiment: `negative`'
                                   "  ·  Tags: `legal`")


def test_the_highest_priority_wins_and_a_later_message_can_raise_it(triaged):
    triaged.webhook(customer_message(id="m1", conversation_id="c1", text="Where is my parcel?"))
    assert "Priority: `normal`" in triage_text(triaged.parent())
    triaged.webhook(customer_message(id="m2", conversation_id="c1", text="환불 안 해주면 소송할 거예요"))
    triaged.api.wait_for(lambda: "Priority: `urgent`" in triage_text(triaged.parent()))
    assert "`refund` `legal`" in triage_text(triaged.parent())


def test_a_one_star_review_is_urgent_without_any_rule(bot):
    bot.webhook(customer_message(kind="review", rating=1, text="Never again. The worst service, so disappointed."))
    assert triage_text(bot.parent()) == ":rotating_light: Priority: `urgent`  ·  Sentiment: `negative`"


def test_sentiment_routes_negative_reviews_to_their_own_channel(database_url, slack_api, receiver):
    rule = "triage: {rules: [{kinds: [review], sentiment: negative, channel: C0LEGAL01, tags: [bad-review]}]}\n"
    with running_bot(database_url, slack_api, make_config(receiver.url, rule)) as bot:
        bot.webhook(customer_message(id="r1", kind="review", rating=4, text="정말 최고예요! 배송도 빨라요 👍"))
        bot.webhook(customer_message(id="r2", kind="review", rating=3, text="포장이 엉망이고 제품이 파손돼서 왔어요 😡"))
        happy = bot.parent("C0ACME01")
        angry = bot.parent("C0LEGAL01")
    assert triage_text(happy) == "Priority: `normal`  ·  Sentiment: `positive`"
    assert triage_text(angry) == "Priority: `normal`  ·  Sentiment: `negative`  ·  Tags: `bad-review`"


def test_press_is_routed_to_its_own_channel(triaged):
    triaged.webhook(customer_message(author={"id": "ig-77", "name": "VOGUE Korea", "handle": "@vogue_korea"},
                                     text="Could we feature your spring line?"))
    parent = triaged.parent("C0PR0001")
    assert "`press`" in triage_text(parent)
    assert triaged.api.messages("C0ACME01") == []


def test_a_friend_tag_gets_no_thread_but_a_quiet_line_and_can_be_pulled_back(triaged):
    triaged.webhook(customer_message(id="f1", conversation_id="f1", text="@jisoo_k 이거 봐!! 😍"))
    line = triaged.api.wait_for(lambda: triaged.api.messages("C0ACME01"))[0]
    assert "1 message today needed no answer (1 only tag other people)" in all_text(line.blocks)
    triaged.webhook(customer_message(id="f2", conversation_id="f2", text="free followers at example dot com"))
    triaged.api.wait_for(lambda: "2 messages today" in all_text(triaged.api.messages("C0ACME01")[0].blocks))
    assert len(triaged.api.messages("C0ACME01")) == 1  # the same line, edited in place

    listing = triaged.slack.command(ALICE, "/social", "quiet", "C0ACME01").json()["text"]
    assert "ACME-1" in listing and "ACME-2" in listing and "only tags other people" in listing
    refused = triaged.slack.command(ALICE, "/social", "reply ACME-1 hi", "C0ACME01").json()["text"]
    assert "bring it back with `/social unquiet ACME-1` first" in refused

    answer = triaged.slack.command(ALICE, "/social", "unquiet ACME-1", "C0ACME01").json()["text"]
    assert answer == "ACME-1 is back in the channel."
    parent = triaged.api.wait_for(lambda: [m for m in triaged.api.messages("C0ACME01") if "ACME-1" in m.text])[0]
    assert "Reply due" in shown(parent)


def test_a_friend_tag_that_asks_the_brand_something_gets_a_thread(triaged):
    triaged.webhook(customer_message(text="@jisoo_k 이거 언제 다시 입고되나요?"))
    assert "ACME-1" in triaged.parent().text


def test_tags_from_the_command_and_the_lead_hand_off(triaged):
    triaged.webhook(customer_message(text="We run 40 cafés, do you sell wholesale?"))
    lead = triaged.api.wait_for(lambda: triaged.api.messages("C0LEGAL01"))[0]
    assert "*Lead* from Acme: *ACME-1*" in all_text(lead.blocks)
    assert "by a triage rule" in all_text(lead.blocks)

    answer = triaged.slack.command(ALICE, "/social", "tag ACME-1 pricing bug", "C0ACME01").json()["text"]
    assert answer == "ACME-1 tagged pricing, bug."
    again = triaged.slack.command(ALICE, "/social", "tag ACME-1 bug", "C0ACME01").json()["text"]
    assert again == "ACME-1 has those tags already."
    bad = triaged.slack.command(ALICE, "/social", "tag ACME-1 #Bug!", "C0ACME01").json()["text"]
    assert bad.startswith("`#bug!` is not a tag")
    triaged.api.wait_for(lambda: "`lead` `pricing` `bug`" in triage_text(triaged.parent()))
    removed = triaged.slack.command(ALICE, "/social", "untag ACME-1 bug", "C0ACME01").json()["text"]
    assert removed == "ACME-1: removed bug."


def test_a_bad_rule_is_reported_with_its_key(receiver):
    from bot.config import ConfigError

    with pytest.raises(ConfigError) as error:
        make_config(receiver.url, "triage: {rules: [{keywords: [refund]}]}\n")
    assert str(error.value) == "app.yaml: triage.rules.0: a rule needs an effect: priority, tags, channel or quiet"
    with pytest.raises(ConfigError) as error:
        make_config(receiver.url, "triage: {rules: [{regex: '(', priority: high}]}\n")
    assert "triage.rules.0.regex" in str(error.value) and "not a valid regular expression" in str(error.value)
