"""Canned replies: one voice per brand, filled in safely, editable before sending."""

from __future__ import annotations

import time

import pytest

from bot.config import ConfigError, parse_config
from bot.templates import TemplateBook
from tests.support.bot import customer_message
from tests.support.config import ALICE


def open_reply_modal(bot):
    bot.slack.click(ALICE, bot.parent(), "reply")
    return bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))


def test_the_reply_modal_offers_the_brands_templates_and_fills_the_box(bot, receiver):
    bot.webhook(customer_message(author={"id": "a", "name": "{{ 7*7 }} {% raw %}Mallory"}))
    modal = open_reply_modal(bot)
    picker = next(b for b in modal["blocks"] if b["block_id"] == "templates")["elements"][0]
    assert [o["value"] for o in picker["options"]] == ["broken", "shipping", "thanks"]
    assert [o["text"]["text"] for o in picker["options"]][1] == "Shipping delay"

    bot.slack.choose(ALICE, modal, "reply_template", "thanks")

    filled = bot.api.wait_for(lambda: (v := bot.api.view_for_user(ALICE)) and v["hash"] != modal["hash"] and v)
    box = filled["blocks"][-1]
    assert box["block_id"] == "reply_1"
    assert box["element"]["initial_value"] == "Thanks {{ 7*7 }} {% raw %}Mallory! — Alice from Acme"

    bot.slack.submit(ALICE, filled, {"text": box["element"]["initial_value"] + " (edited)"})
    delivery = receiver.wait_for(lambda: receiver.deliveries)[0]
    assert delivery.body["text"].endswith("Mallory! — Alice from Acme (edited)")


def test_the_brand_voice_overrides_the_shared_template(bot, receiver):
    bot.webhook(customer_message(author={"id": "a", "name": "Kim"}))
    bot.wait_idle()
    answer = bot.slack.command(ALICE, "/social", "reply ACME-1 template:shipping", "C0ACME01").json()["text"]
    assert answer == "Sending your reply to ACME-1…"
    assert receiver.wait_for(lambda: receiver.deliveries)[0].body["text"] == "Hi Kim, your order ACME-1 ships today."



def test_a_template_reply_by_command_is_acked_in_time_when_slack_is_slow_to_say_who_asks(bot, receiver):
    bot.webhook(customer_message(author={"id": "a", "name": "Kim"}))
    bot.wait_idle()
    bot.api.set_delay("users.info", 4)

    started = time.monotonic()
    answer = bot.slack.command(ALICE, "/social", "reply ACME-1 template:shipping", "C0ACME01")

    assert time.monotonic() - started < 3
    assert answer.json()["text"] == "Sending your reply to ACME-1…"
    assert receiver.wait_for(lambda: receiver.deliveries)[0].body["text"] == "Hi Kim, your order ACME-1 ships today."

def test_a_template_that_cannot_be_filled_says_why_in_the_modal(bot, receiver):
    bot.webhook(customer_message())
    modal = open_reply_modal(bot)

    bot.slack.choose(ALICE, modal, "reply_template", "broken")

    updated = bot.api.wait_for(lambda: (v := bot.api.view_for_user(ALICE)) and v["hash"] != modal["hash"] and v)
    notice = next(b for b in updated["blocks"] if b["block_id"] == "notice")
    assert "'broken' could not be filled: 'customer_nickname' is undefined" in notice["elements"][0]["text"]
    assert "initial_value" not in updated["blocks"][-1]["element"]
    assert receiver.requests == []


def test_templates_command_lists_the_brands_canned_replies(bot):
    answer = bot.slack.command(ALICE, "/social", "templates", "C0ACME01").json()["text"]
    assert "*Canned replies for Acme*" in answer
    assert "`shipping` — Shipping delay" in answer and "`thanks`" in answer
    unknown = bot.slack.command(ALICE, "/social", "reply ACME-9 template:x", "C0ACME01").json()["text"]
    assert "No conversation ACME-9" in unknown


def test_unknown_template_by_command(bot, receiver):
    bot.webhook(customer_message())
    bot.wait_idle()
    answer = bot.slack.command(ALICE, "/social", "reply ACME-1 template:nope", "C0ACME01").json()["text"]
    assert answer == "No template 'nope' for this brand (known: broken, shipping, thanks)."
    assert receiver.requests == []


@pytest.mark.parametrize(
    "hostile",
    ["{{ 7*7 }}", "{% for x in range(10**9) %}x{% endfor %}", "{{ ''.__class__.__mro__ }}", "{{ config }}"],
)
def test_customer_text_is_never_template_code(hostile):
    config = parse_config("brands:\n  a: {name: A, ref_prefix: A, slack_channel: C0A0001, templates: {t: 'Hi {{ author_name }}'}}")
    book = TemplateBook(config)
    assert book.render("a", "t", {"author_name": hostile}) == f"Hi {hostile}"


def test_a_template_with_a_syntax_error_is_a_config_error():
    config = parse_config("brands:\n  a: {name: A, ref_prefix: A, slack_channel: C0A0001}\ntemplates:\n  bad: 'Hi {{ name'\n")
    with pytest.raises(ConfigError, match=r"templates.bad: line 1: unexpected end of template"):
        TemplateBook(config)


def test_the_sandbox_refuses_unsafe_template_code():
    config = parse_config("brands:\n  a: {name: A, ref_prefix: A, slack_channel: C0A0001}\ntemplates:\n  evil: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"\n")
    from bot.templates import TemplateProblem

    with pytest.raises(TemplateProblem, match="could not be filled"):
        TemplateBook(config).render("a", "evil", {})


def test_templates_folder_per_brand(tmp_path):
    (tmp_path / "tpl" / "a").mkdir(parents=True)
    (tmp_path / "tpl" / "hello.j2").write_text("Hello {{ author_name }}")
    (tmp_path / "tpl" / "a" / "hello.j2").write_text("안녕하세요 {{ author_name }}님")
    config = parse_config("brands:\n  a: {name: A, ref_prefix: A, slack_channel: C0A0001}\n"
                          "  b: {name: B, ref_prefix: B, slack_channel: C0B0001}\ntemplates_dir: tpl\n")
    book = TemplateBook(config, tmp_path)
    assert book.render("a", "hello", {"author_name": "민지"}) == "안녕하세요 민지님"
    assert book.render("b", "hello", {"author_name": "Sam"}) == "Hello Sam"
