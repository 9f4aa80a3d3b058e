"""The README's first command works and shows each step."""

from __future__ import annotations

from bot.demo.run import run_demo


def test_demo_shows_every_step_and_leaves_nothing_pending():
    lines: list[str] = []

    assert run_demo(out=lines.append) == 0

    output = "\n".join(lines)
    for expected in (
        "#acme-social new message:",
        "ACME-1  ·  Comment on Facebook",
        "주문한 제품이 아직 도착하지 않았어요",
        "@alice assigned @bob",
        "@bob replied:",
        "platform received:",
        "#pr-team new message:",
        "@pr-team",
        "@bob resolved this",
        "Review on Google reviews",
        "Open  ·  Assignee: unassigned",
        "(only bob sees: ACME-2 is already resolved.)",
    ):
        assert expected in output, expected
    # The samples were written minutes before the demo ran: their deadlines are still ahead.
    assert "overdue" not in output.lower()
    assert "Reply due" in output and " (in " in output
    assert "<!channel> Park" in output  # a customer's "<!channel>" is shown, not executed
    assert output.count("@bob resolved this") == 1
    assert lines[-1].startswith("demo finished: 4 conversations in Slack")
    assert lines[-1].endswith("0 effects left pending")
