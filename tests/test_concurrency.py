"""Two teammates acting at the same moment: one wins, the other is told, the customer hears once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tests.support.bot import customer_message
from tests.support.config import ALICE, BOB
from tests.support.slack import shown


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions in threads released together."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        barrier.wait()
        results[index] = action()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def open_modal(bot, user: str, action_id: str) -> dict[str, Any]:
    bot.slack.click(user, bot.parent(), action_id)
    return bot.api.wait_for(lambda: bot.api.view_for_user(user))


def test_two_teammates_taking_the_same_conversation_get_one_winner(bot):
    bot.webhook(customer_message())
    alice_form, bob_form = open_modal(bot, ALICE, "assign"), open_modal(bot, BOB, "assign")

    answers = at_once(lambda: bot.slack.submit(ALICE, alice_form, {"user": ALICE}),
                      lambda: bot.slack.submit(BOB, bob_form, {"user": BOB}))

    refused = [a.json() for a in answers if a.content and a.json().get("response_action") == "errors"]
    assert len(refused) == 1
    [message] = refused[0]["errors"].values()
    winner = ALICE if f"<@{ALICE}>" in message else BOB
    assert message == f"<@{winner}> took ACME-1 a moment ago. To hand it over anyway, press Assign again."
    bot.wait_idle()
    assert f"<@{winner}>" in shown(bot.parent())
    assigned = [m for m in bot.api.thread("C0ACME01", bot.parent().ts) if "took this" in m.text]
    assert len(assigned) == 1


def test_two_replies_written_at_once_reach_the_customer_once_unless_confirmed(bot, receiver):
    bot.webhook(customer_message())
    alice_form, bob_form = open_modal(bot, ALICE, "reply"), open_modal(bot, BOB, "reply")

    answers = at_once(lambda: bot.slack.submit(ALICE, alice_form, {"text": "Alice's answer"}),
                      lambda: bot.slack.submit(BOB, bob_form, {"text": "Bob's answer"}))

    crossed = [a.json() for a in answers if a.content]
    assert len(crossed) == 1 and crossed[0]["response_action"] == "update"
    notice = shown_view_text(crossed[0]["view"])
    assert "replied to ACME-1 while you were writing" in notice
    receiver.wait_for(lambda: len(receiver.deliveries) == 1)
    bot.wait_idle()
    assert len(receiver.deliveries) == 1

    # Having read it, the second teammate sends theirs anyway: that is a choice, and it goes out.
    second = ALICE if "Bob's answer" in receiver.deliveries[0].body["text"] else BOB
    updated = {**crossed[0]["view"], "id": (alice_form if second == ALICE else bob_form)["id"]}
    again = bot.slack.submit(second, updated, {"text": "Mine as well"})
    assert not again.content
    receiver.wait_for(lambda: len(receiver.deliveries) == 2)


def test_a_double_submitted_reply_is_sent_once(bot, receiver):
    bot.webhook(customer_message())
    form = open_modal(bot, ALICE, "reply")

    at_once(lambda: bot.slack.submit(ALICE, form, {"text": "Once"}),
            lambda: bot.slack.submit(ALICE, form, {"text": "Once"}))

    receiver.wait_for(lambda: receiver.deliveries)
    bot.wait_idle()
    assert [d.body["text"] for d in receiver.deliveries] == ["Once"]


def shown_view_text(view: dict[str, Any]) -> str:
    from tests.support.slack import all_text

    return all_text(view["blocks"])
