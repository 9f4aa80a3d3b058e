"""`/social search`: conversations found by customer words (Korean too), author, tag or reference."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.bot import Bot, customer_message, running_bot
from bot.slack_ui.search_results import SEARCH_ACTION
from tests.support.config import ALICE, make_config
from tests.support.slack import all_text, open_home


def search(bot: Bot, words: str, user: str = ALICE) -> str:
    return bot.slack.command(user, "/social", f"search {words}", "C0ACME01").json()["text"]


def arrive(bot: Bot, text: str, **overrides) -> None:
    bot.webhook(customer_message(text=text, **overrides))
    bot.wait_idle()


def test_korean_words_are_found_inside_longer_words(bot):
    arrive(bot, "환불해주세요. 제품이 깨져서 왔어요")
    arrive(bot, "환불이 아직 안 됐어요", author={"id": "fb-2", "name": "Lee Jun", "handle": "@jun"})
    arrive(bot, "배송은 언제 되나요?", author={"id": "fb-3", "name": "Park Ara", "handle": "@ara"})

    answer = search(bot, "환불")
    assert "ACME-2" in answer and "ACME-1" in answer and "ACME-3" not in answer
    assert answer.index("ACME-2") < answer.index("ACME-1")  # newest first
    assert "환불이 아직" in answer and "Lee Jun" in answer
    assert "ACME-3" in search(bot, "배송")
    assert "No conversation matches" in search(bot, "교환")


def test_english_words_authors_tags_and_references(bot):
    arrive(bot, "My order arrived broken, I want a refund", author={"id": "fb-9", "name": "Sam Hill", "handle": "@sam"})
    arrive(bot, "Where is my parcel?", author={"id": "fb-8", "name": "Ana Ruiz", "handle": "@ana"})
    bot.slack.command(ALICE, "/social", "tag ACME-2 shipping", "C0ACME01")

    assert "ACME-1" in search(bot, "refunds") or "ACME-1" in search(bot, "refund")
    assert "ACME-2" not in search(bot, "refund")
    assert "ACME-1" in search(bot, "sam")
    assert "ACME-2" in search(bot, "shipping") and "ACME-1" not in search(bot, "shipping")
    assert "ACME-2" in search(bot, "acme-2") and "ACME-1" not in search(bot, "ACME-2")
    assert "ACME-1" in search(bot, "broken refund") and "No conversation" in search(bot, "broken parcel")


def test_customer_text_is_escaped_and_the_line_links_to_the_thread(bot):
    arrive(bot, "refund <!channel> & <@U0ALICE01> " + "long words " * 80)
    answer = search(bot, "refund")
    assert "<!channel>" not in answer and "&lt;!channel&gt;" in answer
    line = next(line for line in answer.splitlines() if "ACME-1" in line)
    assert line.startswith("• <https://") and len(line) < 300


def test_at_most_ten_lines_then_how_many_more(bot):
    for n in range(12):
        arrive(bot, f"refund number {n}", id=f"m-many-{n}")
    answer = search(bot, "refund")
    assert answer.count("\n• ") == 10
    assert "and 2 more — refine the search" in answer
    assert "ACME-12" in answer and "ACME-1 " not in answer


@pytest.mark.parametrize("words, problem", [("", "Say what to search for"), ("x" * 201, "201 characters"),
                                            ("!!! ???", "no letters or digits")])
def test_bad_searches_get_one_line_saying_how(bot, words, problem):
    answer = search(bot, words)
    assert problem in answer and "Usage: `/social search <words>`" in answer
    assert "\n" not in answer


ROLES = """
roles:
  admin: [U0ADMIN01]
  agent: [U0ALICE01]
"""


@pytest.fixture
def gated(database_url, slack_api, receiver) -> Iterator[Bot]:
    with running_bot(database_url, slack_api, make_config(receiver.url, ROLES)) as bot:
        yield bot


def test_only_conversations_of_brands_the_user_may_view_are_found(gated):
    arrive(gated, "secret refund offer")
    assert "ACME-1" in search(gated, "refund")
    assert "ACME-1" not in search(gated, "refund", user="U0DAVE001")


def test_app_home_search_box_opens_the_results(bot):
    arrive(bot, "환불해주세요")
    home = open_home(bot, ALICE)
    assert bot.slack.enter(ALICE, home, SEARCH_ACTION, "환불").status_code == 200
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert "ACME-1" in all_text(modal["blocks"]) and "환불해주세요" in all_text(modal["blocks"])


def test_app_home_search_of_nothing_says_how(bot):
    home = open_home(bot, ALICE)
    bot.slack.enter(ALICE, home, SEARCH_ACTION, "   ")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert "Say what to search for" in all_text(modal["blocks"])
