"""Built-in risk triage: found without any rule, explained on the parent, corrected and audited."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.config import ConfigError
from bot.triage.risk import signs
from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, BOB, make_config
from tests.support.slack import button_labels


def triage_text(message) -> str:
    return next(block for block in message.blocks if block.get("block_id") == "triage")["elements"][0]["text"]


def cli(database_url: str, tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=tmp_path)


def test_a_safety_message_is_urgent_with_its_evidence_and_not_urgent_corrects_it(bot, database_url, tmp_path):
    bot.webhook(customer_message(text="My boy ate two of your cookies and now his face is all swollen *help*"))
    parent = bot.parent()
    assert triage_text(parent) == (
        ':rotating_light: Priority: `urgent` · safety — "face is all swollen"  ·  Sentiment: `negative`'
        "  ·  Tags: `safety`"
    )
    assert "Not urgent" in button_labels(parent)

    assert bot.slack.click(BOB, parent, "not_urgent").status_code == 200
    bot.api.wait_for(lambda: "Priority: `normal`" in triage_text(bot.parent()))
    corrected = bot.parent()
    assert "safety —" not in triage_text(corrected)
    assert "Not urgent" not in button_labels(corrected)
    bot.api.wait_for(lambda: any("set the priority to `normal` (was `urgent`)" in m.text
                                 for m in bot.api.thread("C0ACME01", parent.ts)))
    bot.wait_idle()

    audit = cli(database_url, tmp_path, "audit", "--ref", "ACME-1", "--format", "json")
    assert audit.returncode == 0, audit.stderr
    assert [(e["who"], e["action"], e["outcome"]) for e in json.loads(audit.stdout)] == [
        (BOB, "triage_corrected", "done")]

    exported = cli(database_url, tmp_path, "triage", "export-corrections")
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.strip() == "socialdesk: 1 correction(s) exported"
    (line,) = [json.loads(line) for line in exported.stdout.splitlines()]
    assert line["text"].startswith("My boy ate two of your cookies")
    assert (line["lang"], line["category"], line["priority"], line["sentiment"]) == ("en", None, "normal", "negative")
    assert (line["ref"], line["previous_priority"], line["previous_category"], line["corrected_by"]) == (
        "ACME-1", "urgent", "safety", BOB)


def test_the_slash_command_sets_a_priority_and_refuses_a_wrong_one(bot):
    bot.webhook(customer_message(text="기자입니다. 이번 리콜 관련해 홍보팀 연락처 부탁드립니다"))
    assert 'Priority: `high` · press — "기자입니다"' in triage_text(bot.parent())
    answer = bot.slack.command(ALICE, "/social", "triage ACME-1 low", "C0ACME01").json()["text"]
    assert answer == "ACME-1 is now `low` (was `high`)."
    again = bot.slack.command(ALICE, "/social", "triage ACME-1 low", "C0ACME01").json()["text"]
    assert again == "ACME-1 is already `low`."
    bad = bot.slack.command(ALICE, "/social", "triage ACME-1 asap", "C0ACME01").json()["text"]
    assert bad == "`asap` is not a priority: use urgent, high, normal or low."
    bot.api.wait_for(lambda: triage_text(bot.parent()).startswith("Priority: `low`  ·  Sentiment"))


def test_evidence_is_escaped_for_mrkdwn(bot):
    bot.webhook(customer_message(text="<!channel> someone hacked my account & ordered 3 TVs"))
    line = triage_text(bot.parent())
    assert '· security — "hacked"' in line
    bot.webhook(customer_message(text="I will sue <@U0BOSS> & co"))
    line = triage_text(bot.api.wait_for(lambda: [m for m in bot.api.messages("C0ACME01") if "ACME-2" in m.text])[0])
    assert "<@" not in line and "<!" not in line


def test_categories_are_overridden_per_brand_and_a_teams_rule_wins(database_url, slack_api, receiver):
    extra = """
triage:
  rules:
    - {keywords: [reporter], priority: low, tags: [press-list]}
  categories:
    press: {channel: C0PR0001}
    viral: off
    legal: {priority: urgent, tag: lawyer}
"""
    with running_bot(database_url, slack_api, make_config(receiver.url, extra)) as bot:
        bot.webhook(customer_message(id="p1", conversation_id="p1", text="I'm a reporter at the Herald, any comment?"))
        press = bot.parent("C0PR0001")
        assert triage_text(press).startswith('Priority: `low` · press — "I\'m a reporter"')
        assert "`press-list` `press`" in triage_text(press)
        bot.webhook(customer_message(id="v1", conversation_id="v1", text="#BoycottAcme is trending everywhere"))
        bot.webhook(customer_message(id="l1", conversation_id="l1", text="my attorney will be in touch"))
        channel = bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 2 and bot.api.messages("C0ACME01"))
        viral, legal = sorted(channel, key=lambda message: "ACME-3" in message.text)
        assert triage_text(viral).startswith("Priority: `normal`  ·")
        assert triage_text(legal).startswith(':rotating_light: Priority: `urgent` · legal — "my attorney"')
        assert "`lawyer`" in triage_text(legal)


def test_a_bad_category_setting_is_named(receiver):
    with pytest.raises(ConfigError) as error:
        make_config(receiver.url, "triage: {categories: {fire: {priority: high}}}\n")
    assert str(error.value) == ("app.yaml: triage.categories: unknown risk category 'fire'; use safety, violence, "
                                "security, privacy, legal, regulator, harassment, press, viral")
    with pytest.raises(ConfigError) as error:
        make_config(receiver.url, "triage: {categories: {safety: {escalate_to: nobody}}}\n")
    assert str(error.value).startswith("app.yaml: triage.categories.safety.escalate_to: unknown escalation tier 'nobody'")


def test_escalate_to_posts_in_the_tiers_channel(database_url, slack_api, receiver):
    extra = "triage: {categories: {privacy: {escalate_to: legal}}}\n"
    with running_bot(database_url, slack_api, make_config(receiver.url, extra)) as bot:
        bot.webhook(customer_message(text="your reply shows my home address for everyone to see"))
        tier_channel = bot.config.escalation["legal"].slack_channel
        assert "privacy" in triage_text(bot.parent(tier_channel))


@pytest.mark.parametrize("text", [
    "these nachos are straight fire 🔥", "you guys are killing it with the new menu", "I'm dying 😂😂 best ad ever",
    "존맛 죽겠다 진짜", "배터리 폭발적으로 오래가요", "my lawyer friend recommended you", "고소한 참기름 향 최고",
    "화상 회의 때 쓰기 좋은 마이크 있나요?", "no allergic reaction at all, finally a cream for me",
    "알레르기 반응 하나도 없었어요", "Is this safe for a nut allergy?",
])
def test_look_alikes_are_not_risks(text):
    assert signs(text) == []


@pytest.mark.parametrize(("text", "category"), [
    ("the adapter caught fire while charging", "safety"),
    ("아이가 자석을 삼켰어요", "safety"),
    ("소액소송 준비 중입니다", "legal"),
    ("누가 제 계정으로 로그인해서 주문했어요", "security"),
    ("댓글에 제 전화번호가 그대로 보여요", "privacy"),
    ("I'll find out where your manager lives and hurt him", "violence"),
    ("직원이 반말하고 욕했어요", "harassment"),
    ("my video about this has 300k views already", "viral"),
    ("식약처에 신고할게요", "regulator"),
])
def test_categories_are_found_in_both_languages(text, category):
    assert category in [sign.category for sign in signs(text)]


@pytest.mark.parametrize(("pattern", "starts"), [
    (r"allergic reaction", {"allergic reaction"}),
    (r"(?:lips?|face)\b[^.]{0,5}swell", {"lip", "face"}),
    (r"(?:all )?my followers", {"all ", "my followers"}),
    (r"불(?:을)?질러|불지르", {"불", "불지르"}),
    (r"\d+ views", set("0123456789")),
])
def test_every_pattern_has_the_literal_starts_its_matches_begin_with(pattern, starts):
    from bot.triage.prefilter import prefixes

    assert prefixes(pattern) == starts


def test_a_quiet_rule_drops_a_doubted_category_only_where_it_can_quiet_the_message(database_url, slack_api, receiver):
    extra = "triage:\n  rules:\n    - {keywords: [lol], quiet: true}\n"
    text = "thought someone hacked my account but it was my son lol"
    with running_bot(database_url, slack_api, make_config(receiver.url, extra)) as bot:
        bot.webhook(customer_message(id="c1", conversation_id="c1", kind="comment", text=text))
        line = bot.api.wait_for(lambda: bot.api.messages("C0ACME01"))[0]
        assert "1 message today needed no answer (1 matched a quiet rule)" in json.dumps(line.blocks, ensure_ascii=False)
        bot.webhook(customer_message(id="d1", conversation_id="d1", kind="dm", text=text))
        parent = bot.api.wait_for(lambda: next((message for message in bot.api.messages("C0ACME01")
                                                if message.blocks and any(block.get("block_id") == "triage"
                                                                          for block in message.blocks)), None))
        # A direct message cannot be quieted, so the doubted category stays, held at high.
        assert triage_text(parent).startswith(':small_red_triangle: Priority: `high` · security — "hacked"')
