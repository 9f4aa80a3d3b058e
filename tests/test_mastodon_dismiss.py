"""Mastodon's one moderation action, dismissing the mention's notification, from Slack."""

from __future__ import annotations

from tests.support.config import ALICE
from tests.support.platforms.mastodon import start


def moderation_options(message) -> list[str]:
    for block in message.blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == "moderate":
                return [option["value"] for option in element["options"]]
    return []


def test_dismiss_from_the_parents_menu_clears_the_notification(database_url, slack_api, mastodon):
    notification = mastodon.mention("spammy spam")
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        parent = bot.parent()
        options = moderation_options(parent)
        assert [value.split(":")[0] for value in options] == ["dismiss", "spam"]

        bot.slack.pick(ALICE, parent, "moderate", options[0])

        [dismissed] = mastodon.wait_for(lambda: mastodon.requests_to(
            "POST", f"/api/v1/notifications/{notification['id']}/dismiss"))
        assert dismissed.headers["authorization"].startswith("Bearer ")
        assert notification["id"] not in mastodon.notifications
        note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", parent.ts) if ":shield:" in m.text])
        assert "dismiss notification — done on the platform" in note[0].text


def test_dismiss_by_command_goes_through_the_outbox(database_url, slack_api, mastodon):
    notification = mastodon.mention("please ignore")
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()

        answer = bot.slack.command(ALICE, "/social", "moderate ACME-1 dismiss", "C0ACME01").json()["text"]

        assert answer == "Dismiss notification on Mastodon…"
        mastodon.wait_for(lambda: mastodon.requests_to(
            "POST", f"/api/v1/notifications/{notification['id']}/dismiss"))
        bot.api.wait_for(lambda: any(":shield:" in m.text for m in bot.api.thread("C0ACME01", bot.parent().ts)))


def test_a_notification_dismissed_elsewhere_already_is_done(database_url, slack_api, mastodon):
    notification = mastodon.mention("seen in the web app")
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        del mastodon.notifications[notification["id"]]

        bot.slack.command(ALICE, "/social", "moderate ACME-1 dismiss", "C0ACME01")

        note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", bot.parent().ts)
                                         if ":shield:" in m.text])
        assert "done on the platform" in note[0].text
        assert mastodon.attempts_to("POST", "/api/v1/notifications/") == []
