"""Reads are checked like changes: drafts, canned replies and App Home figures only for those who may view the brand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.bot import Bot, customer_message, running_bot
from tests.support.config import ALICE, BOB, make_config
from tests.support.slack import all_text, open_home, open_reply_modal, section

DAVE = "U0DAVE001"
ROLES = """
roles:
  admin: [U0ADMIN01]
  approver: [U0BOB0001]
  agent: [U0ALICE01]
approval: {roles: [agent]}
"""


@pytest.fixture
def gated(database_url, slack_api, receiver) -> Iterator[Bot]:
    with running_bot(database_url, slack_api, make_config(receiver.url, ROLES)) as bot:
        yield bot


def test_drafts_of_a_named_brand_are_shown_only_to_who_may_view_it(gated):
    gated.webhook(customer_message())
    gated.parent()
    gated.slack.command(ALICE, "/social", "reply ACME-1 Our secret refund offer", "C0ACME01")
    assert "secret refund" in gated.slack.command(BOB, "/social", "drafts acme", "C0ACME01").json()["text"]

    answer = gated.slack.command(DAVE, "/social", "drafts acme", "C0ACME01").json()["text"]
    assert "secret refund" not in answer
    assert answer.startswith("You cannot view for Acme")


def test_canned_replies_are_listed_only_to_who_may_view_the_brand(gated):
    answer = gated.slack.command(DAVE, "/social", "templates acme", "C0ACME01").json()["text"]
    assert "ships today" not in answer and answer.startswith("You cannot view for Acme")
    assert "ships today" in gated.slack.command(ALICE, "/social", "templates acme", "C0ACME01").json()["text"]


def test_home_figures_count_only_the_brands_the_viewer_may_see(gated):
    gated.webhook(customer_message())
    gated.wait_idle()
    assert "Messages in: *1*" in section(open_home(gated, ALICE), "home_figures")
    assert "Messages in: *0*" in section(open_home(gated, DAVE), "home_figures")


def test_the_template_picker_fills_nothing_for_someone_who_may_not_reply(gated):
    gated.webhook(customer_message())
    modal = open_reply_modal(gated)
    # The same modal, as if someone without a role had it open (a forwarded view, a role removed since).
    gated.slack.choose(DAVE, modal, "reply_template", "shipping")
    updated = gated.api.wait_for(lambda: (view := gated.api.view_for_user(ALICE)) and view.get("hash") != modal.get("hash")
                                 and view)
    assert "ships today" not in all_text(updated["blocks"])
    assert "You cannot reply for Acme" in all_text(updated["blocks"])
