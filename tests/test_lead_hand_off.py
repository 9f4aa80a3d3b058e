"""A lead tagged by a triage rule reaches the sales channel with the link to its thread: the
hand-off waits for the conversation's parent, like the thread's own messages do."""

from __future__ import annotations

from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, make_config
from tests.support.slack import all_text

LEADS = """
triage:
  rules:
    - {keywords: [wholesale], tags: [lead]}
lead_channel: C0LEGAL01
"""


def test_a_lead_from_a_rule_carries_the_link_to_its_thread(database_url, slack_api, receiver):
    with running_bot(database_url, slack_api, make_config(receiver.url, LEADS)) as bot:
        bot.webhook(customer_message(text="We run 40 cafés, do you sell wholesale?"))
        lead = bot.api.wait_for(lambda: bot.api.messages("C0LEGAL01"))[0]
        parent = bot.parent()
        bot.wait_idle()
    text = all_text(lead.blocks)
    assert "*Lead* from Acme: *ACME-1*" in text
    assert "(thread link unavailable)" not in text
    assert "Open the thread" in text and parent.ts.replace(".", "") in text


def test_a_lead_tagged_by_hand_carries_the_link_too(database_url, slack_api, receiver):
    with running_bot(database_url, slack_api, make_config(receiver.url, LEADS)) as bot:
        bot.webhook(customer_message(text="Where is my parcel?"))
        parent = bot.parent()
        bot.slack.command(ALICE, "/social", "tag ACME-1 lead", "C0ACME01")
        lead = bot.api.wait_for(lambda: bot.api.messages("C0LEGAL01"))[0]
        bot.wait_idle()
    assert "Open the thread" in all_text(lead.blocks) and parent.ts.replace(".", "") in all_text(lead.blocks)
