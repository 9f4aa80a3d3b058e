"""App Home: the viewer's queue and the team's week, published through the Slack stand-in."""

from __future__ import annotations

from tests.support.bot import customer_message
from tests.support.config import ALICE, BOB
from tests.support.slack import all_text, open_home, section


def test_opening_home_shows_the_queue_and_the_week(bot, receiver):
    bot.webhook(customer_message(id="m1", created_at=None))
    bot.webhook(customer_message(id="m2", created_at="2026-01-01T00:00:00Z", text="old and late"))
    bot.wait_idle()
    bot.slack.command(ALICE, "/social", "assign ACME-1 me", "C0ACME01")
    bot.slack.command(ALICE, "/social", "reply ACME-1 Done!", "C0ACME01")
    receiver.wait_for(lambda: receiver.deliveries)
    bot.wait_idle()

    view = open_home(bot, ALICE)

    assert view["type"] == "home"
    assert "ACME-1" in section(view, "home_mine")
    assert "ACME-2" in section(view, "home_unassigned") and "ACME-1" not in section(view, "home_unassigned")
    assert "ACME-2" in section(view, "home_overdue")
    figures = section(view, "home_figures")
    assert "Messages in: *2*" in figures and "New conversations: *2*" in figures
    # ACME-1 was answered within its hour; ACME-2's deadline passed in January without an answer.
    assert "First replies on time: *50% (1 of 2)*" in figures
    assert "Median first response: *" in figures and "–" not in figures.split("Median first response:")[1].split("·")[0]


def test_an_empty_home_says_so(bot):
    view = open_home(bot, BOB)
    assert "Nothing here" in section(view, "home_mine")
    assert "Messages in: *0*" in section(view, "home_figures")
    assert "First replies on time: *–*" in section(view, "home_figures")


def test_home_is_republished_when_my_conversations_change(bot):
    bot.webhook(customer_message())
    bot.wait_idle()

    bot.slack.command(ALICE, "/social", f"assign ACME-1 <@{BOB}|bob>", "C0ACME01")
    bob_home = bot.api.wait_for(lambda: bot.api.home_view(BOB))
    assert "ACME-1" in section(bob_home, "home_mine")

    bot.slack.command(ALICE, "/social", "assign ACME-1 me", "C0ACME01")
    bot.api.wait_for(lambda: "ACME-1" not in section(bot.api.home_view(BOB), "home_mine"))
    assert "ACME-1" in section(bot.api.wait_for(lambda: bot.api.home_view(ALICE)), "home_mine")
    assert "ACME-1" in all_text(bot.api.home_view(ALICE)["blocks"])
