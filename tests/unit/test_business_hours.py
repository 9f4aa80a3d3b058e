"""Business-time arithmetic across nights, weekends, holidays and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.business_hours import BusinessCalendar, ClosedDates, parse_spans

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = {day: parse_spans("09:00-18:00") for day in range(5)}
SPLIT = {day: parse_spans("09:00-12:00, 13:00-18:00") for day in range(6)}

instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))
calendars = st.sampled_from([
    BusinessCalendar(SEOUL, OFFICE, holidays.country_holidays("KR")),
    BusinessCalendar(NEW_YORK, SPLIT, holidays.country_holidays("US", subdiv="NY")),
    BusinessCalendar(NEW_YORK, {0: parse_spans("00:00-24:00"), 6: parse_spans("00:30-02:30")}),
])


@settings(max_examples=300, deadline=None)
@given(calendar=calendars, start=instants, duration=durations)
def test_adding_then_measuring_gives_the_duration_back(calendar, start, duration):
    end = calendar.add(start, duration)
    assert end >= start
    assert calendar.between(start, end) == duration


@settings(max_examples=300, deadline=None)
@given(calendar=calendars, start=instants, duration=durations)
def test_a_deadline_falls_inside_open_hours(calendar, start, duration):
    end = calendar.add(start, duration)
    if duration:
        local_day = end.astimezone(calendar.zone).date()
        spans = calendar.open_spans(local_day) + calendar.open_spans(local_day - timedelta(days=1))
        assert any(opens < end <= closes for opens, closes in spans)


@settings(max_examples=200, deadline=None)
@given(calendar=calendars, start=instants, a=durations, b=durations)
def test_more_time_never_ends_earlier(calendar, start, a, b):
    short, long = sorted((a, b))
    assert calendar.add(start, short) <= calendar.add(start, long)


@settings(max_examples=300, deadline=None)
@given(start=instants, duration=durations, zone=st.sampled_from([NEW_YORK, SEOUL, ZoneInfo("Europe/London")]))
def test_always_open_is_plain_elapsed_time_even_across_dst(start, duration, zone):
    assert BusinessCalendar.always_open(zone).add(start, duration) == start + duration


def seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def test_friday_evening_message_is_due_monday_morning():
    calendar = BusinessCalendar(SEOUL, OFFICE)
    # Friday 2026-11-27 17:00: one business hour left that day, one more on Monday.
    assert calendar.add(seoul(2026, 11, 27, 17, 0), timedelta(hours=2)) == seoul(2026, 11, 30, 10, 0)


def test_weekend_message_waits_for_monday():
    calendar = BusinessCalendar(SEOUL, OFFICE)
    assert calendar.add(seoul(2026, 11, 28, 11, 0), timedelta(hours=24)) == seoul(2026, 12, 2, 15, 0)


def test_holidays_from_the_country_and_explicit_dates_are_closed():
    calendar = BusinessCalendar(SEOUL, OFFICE, ClosedDates("KR", dates=[date(2026, 12, 31)]))
    # Thu 2026-12-24 17:00 + 2h: Christmas (Fri) closed, weekend closed → Mon 28th 10:00.
    assert calendar.add(seoul(2026, 12, 24, 17, 0), timedelta(hours=2)) == seoul(2026, 12, 28, 10, 0)
    # Wed 2026-12-30 17:00 + 2h: the 31st closed by config, 1 Jan a public holiday → Mon 4 Jan 10:00.
    assert calendar.add(seoul(2026, 12, 30, 17, 0), timedelta(hours=2)) == seoul(2027, 1, 4, 10, 0)


def test_a_business_day_across_spring_forward_is_counted_in_real_hours():
    calendar = BusinessCalendar(NEW_YORK, {6: parse_spans("00:00-24:00")})  # Sundays only
    spring_sunday = date(2026, 3, 8)
    opens, closes = calendar.open_spans(spring_sunday)[0]
    assert closes - opens == timedelta(hours=23)
    autumn_sunday = date(2026, 11, 1)
    opens, closes = calendar.open_spans(autumn_sunday)[0]
    assert closes - opens == timedelta(hours=25)


@pytest.mark.parametrize("text", ["9-18", "18:00-09:00", "09:00-25:00", "09:00-12:00, 11:00-13:00", "09:60-10:00"])
def test_bad_spans_are_refused(text):
    with pytest.raises(ValueError):
        parse_spans(text)

