"""Who answered, shown to the customer where the brand wants it: the webhook's agent, the brand's signature."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, parse_config
from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, CONFIG_TEMPLATE, PEOPLE
from tests.support.platforms.mastodon import TOKEN, masto_config
from tests.support.slack import reply_in_slack

SIGNATURE = "    replying: {signature: '— {{ agent.first_name }}, {{ brand }}'}\n"


def signed_config(config_text: str, signature: str = SIGNATURE) -> str:
    return config_text.replace("    ref_prefix: ACME\n", "    ref_prefix: ACME\n" + signature, 1)


def test_the_webhook_payload_names_the_teammate_who_answered(bot, receiver):
    bot.webhook(customer_message())

    reply_in_slack(bot, "On its way!")

    delivery = receiver.wait_for(lambda: receiver.deliveries)[0]
    assert delivery.body["agent"] == {"name": PEOPLE[ALICE], "slack_id": ALICE}
    assert delivery.body["text"] == "On its way!"


def test_the_brands_signature_follows_every_reply(database_url, slack_api, receiver):
    config = parse_config(signed_config(CONFIG_TEMPLATE.replace("{reply_url}", receiver.url)))
    with running_bot(database_url, slack_api, config) as bot:
        bot.webhook(customer_message())
        reply_in_slack(bot, "On its way!")
        bot.slack.command(ALICE, "/social", "reply ACME-1 And tracked.", "C0ACME01")

        receiver.wait_for(lambda: len(receiver.deliveries) == 2)
        assert [d.body["text"] for d in receiver.deliveries] == ["On its way!\n\n— Alice, Acme",
                                                                "And tracked.\n\n— Alice, Acme"]


def test_the_signature_counts_within_the_platforms_limit(database_url, slack_api, mastodon):
    mastodon.mention("Where is my order?", acct="minji@mastodon.social")
    config = masto_config(mastodon.url)
    config.brands["acme"] = config.brands["acme"].model_copy(update={"replying": parse_config(
        signed_config(CONFIG_TEMPLATE.replace("{reply_url}", "http://127.0.0.1:9/r"))).brands["acme"].replying})
    with running_bot(database_url, slack_api, config, credentials={"acme-masto": {"token": TOKEN}}) as bot:
        bot.runtime.pollers["acme-masto"].tick()

        # "@minji " (7) + text + "\n\n— Alice, Acme" (15): 478 letters make 500.
        refused = reply_in_slack(bot, "a" * 479).json()["errors"]
        [message] = refused.values()
        assert message.startswith("Mastodon accepts at most 500 characters; this reply has 501 (with the")
        assert "signature socialdesk adds" in message

        assert reply_in_slack(bot, "b" * 478).status_code == 200
        post = mastodon.wait_for(lambda: mastodon.requests_to("POST", "/api/v1/statuses"))[0]
        assert post.json["status"] == "@minji@mastodon.social " + "b" * 478 + "\n\n— Alice, Acme"


@pytest.mark.parametrize("template", ["— {{ agent.nickname }}", "— {{ customer }}", "— {% for %}"])
def test_a_signature_that_does_not_fill_in_is_refused_at_load(template):
    with pytest.raises(ConfigError) as refused:
        parse_config(signed_config(CONFIG_TEMPLATE.replace("{reply_url}", "http://127.0.0.1:9/r"),
                                   f"    replying: {{signature: '{template}'}}\n"))
    assert "brands.acme.replying.signature" in str(refused.value)
    assert "{{ agent.first_name }}" in str(refused.value)
