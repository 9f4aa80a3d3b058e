"""Moderation from the thread: the platform's own actions, recorded, and marking spam."""

from __future__ import annotations

from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.platforms.meta import PAGE_ID, delivery, entry, feed_comment, post, start
from tests.support.slack import shown

COMMENT = "122131676912594941_1213590066982748"


def menu_values(message) -> list[str]:
    for block in message.blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == "moderate":
                return [option["value"].split(":")[0] for option in element["options"]]
    return []


def test_hide_then_unhide_a_facebook_comment_from_the_thread(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "1213590066982748", "사기꾼들 ㅡㅡ")]))
    with start(database_url, slack_api, graph) as bot:
        post(bot, body)
        parent = bot.parent()
        assert menu_values(parent) == ["hide", "unhide", "delete", "spam"]

        bot.slack.pick(ALICE, parent, "moderate", f"hide:{parent.blocks[-1]['elements'][0]['value']}")
        hidden = graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{COMMENT}"))
        assert hidden[0].form == {"is_hidden": "true"}
        note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", parent.ts) if ":shield:" in m.text])
        assert "hide comment — done on the platform" in note[0].text

        answer = bot.slack.command(ALICE, "/social", "moderate ACME-1 unhide", "C0ACME01").json()["text"]
        assert answer == "Unhide comment on Facebook…"
        graph.wait_for(lambda: len(graph.requests_to("POST", f"/v21.0/{COMMENT}")) == 2)
        assert graph.requests_to("POST", f"/v21.0/{COMMENT}")[1].form == {"is_hidden": "false"}


def test_marking_spam_files_it_away_hides_it_and_can_be_undone(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "1213590066982748", "cheap followers here")]))
    with start(database_url, slack_api, graph) as bot:
        post(bot, body)
        answer = bot.slack.command(ALICE, "/social", "moderate ACME-1 spam", "C0ACME01").json()["text"]
        assert answer == "ACME-1 marked as spam."
        graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{COMMENT}"))
        bot.api.wait_for(lambda: "Filtered" in shown(bot.parent()))
        assert "ACME-1" not in bot.slack.command(ALICE, "/social", "queue", "C0ACME01").json()["text"]

        assert bot.slack.command(ALICE, "/social", "unquiet ACME-1", "C0ACME01").json()["text"] == \
            "ACME-1 is back in the channel."
        bot.api.wait_for(lambda: "Open" in shown(bot.parent()))
        assert len(bot.api.messages("C0ACME01")) == 1


def test_a_webhook_source_offers_only_spam(bot):
    bot.webhook(customer_message())
    assert menu_values(bot.parent()) == ["spam"]
    refused = bot.slack.command(ALICE, "/social", "moderate ACME-1 delete", "C0ACME01").json()["text"]
    assert refused == "Facebook does not let socialdesk do that to ACME-1 (possible: spam)."
    usage = bot.slack.command(ALICE, "/social", "moderate ACME-1", "C0ACME01").json()["text"]
    assert usage.endswith("Usage: `/social moderate <REF> hide|unhide|delete|block|dismiss|spam`")
