"""Durations as app.yaml writes them and as Slack shows them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.durations import format_duration, parse_duration


@pytest.mark.parametrize(("written", "meant"), [
    ("90s", timedelta(seconds=90)),
    ("15m", timedelta(minutes=15)),
    ("4h", timedelta(hours=4)),
    ("3d", timedelta(days=3)),
    ("250ms", timedelta(milliseconds=250)),
    (" 1.5h ", timedelta(minutes=90)),
    (30, timedelta(seconds=30)),
    (0.5, timedelta(milliseconds=500)),
    (timedelta(minutes=7), timedelta(minutes=7)),
])
def test_durations_are_read_with_their_unit_and_a_bare_number_is_seconds(written, meant):
    assert parse_duration(written) == meant


@pytest.mark.parametrize("written", ["15", "15 minutes", "1w", "-5m", "", "h", True, -1, None, [15]])
def test_anything_else_is_refused_with_a_hint(written):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(written)


@pytest.mark.parametrize(("delta", "shown"), [
    (timedelta(seconds=45), "45s"),
    (timedelta(minutes=12, seconds=59), "12 min"),
    (timedelta(hours=1), "1 h"),
    (timedelta(hours=3, minutes=5), "3 h 5 min"),
    (timedelta(days=2), "2 d"),
    (timedelta(days=2, hours=4, minutes=30), "2 d 4 h"),
    (-timedelta(minutes=14), "14 min"),
])
def test_durations_are_shown_short_and_rounded_down(delta, shown):
    assert format_duration(delta) == shown


def test_what_is_shown_reads_back_as_at_most_the_duration():
    for delta in (timedelta(seconds=45), timedelta(minutes=12)):
        shown = format_duration(delta).replace(" min", "m")
        assert parse_duration(shown) <= delta
