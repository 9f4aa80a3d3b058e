"""Crisis alerts and surge mode, outside in: signed webhooks in, the Slack stand-in out.

The brand is Haneul Coffee (channel C0HANEUL1, UTC). Its usual level is seeded with webhooks whose
``created_at`` lies 1 to 4 weeks back at this hour: four messages in each of those windows. Time is
a ManualClock; the scans run every 100 ms.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.config import Crisis
from bot.domain.crisis import NEGATIVE, VOLUME, Reading, alarms
from tests.support.bot import running_bot
from tests.support.config import BOB, make_config
from tests.support.slack import button_labels, shown

CRISIS_CHANNEL, BRAND_CHANNEL = "C0CRISIS1", "C0HANEUL1"
HANEUL_SECRET = "haneul-secret"
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
CRISIS = """
crisis:
  channel: C0CRISIS1
  usergroup: S0CRISIS1
  min_messages: 5
  clear_after: 30m
"""


def crisis_config(receiver):
    config = make_config(receiver.url, CRISIS)
    fast = config.scheduler.model_copy(update={"scan_interval": timedelta(milliseconds=100)})
    return config.model_copy(update={"scheduler": fast})


@pytest.fixture
def clock():
    return ManualClock(TUESDAY_10)


@pytest.fixture
def crisis_api(slack_api):
    slack_api.channels.add(CRISIS_CHANNEL)
    return slack_api


@pytest.fixture
def crisis_bot(database_url, crisis_api, receiver, clock):
    with running_bot(database_url, crisis_api, crisis_config(receiver), clock) as bot:
        yield bot


def send(bot, message_id: str, text: str = "Where is my order?", **extra) -> str:
    body = {"id": message_id, "kind": "comment", "author": {"id": f"a-{message_id}", "name": f"Customer {message_id}"},
            "text": text, **extra}
    response = bot.webhook(body, source="haneul-hook", secret=HANEUL_SECRET)
    assert response.status_code == 202, response.text
    return response.json()["ref"]


def seed_usual_level(bot, clock, per_window: int = 4, weeks: int = 4) -> None:
    """The same hour of the previous weeks: ``per_window`` messages in each 30-minute window."""
    now = clock.now()
    for week in range(1, weeks + 1):
        for index in range(per_window):
            sent = now - timedelta(weeks=week) - timedelta(minutes=5 + 5 * index)
            send(bot, f"past-{week}-{index}", conversation_id=f"past-{week}", created_at=sent.isoformat())


def spike(bot, count: int, prefix: str = "s", **extra) -> list[str]:
    texts = ["My battery exploded while charging!", "The battery is melting, I want a refund",
             "<!channel> battery caught fire, refund now", "Is the battery safe? Mine got very hot"]
    return [send(bot, f"{prefix}{index}", texts[index % len(texts)], **extra) for index in range(count)]


def settle(bot, scans: int = 5) -> None:
    time.sleep(0.1 * scans + 0.1)
    bot.wait_idle()


def alerts(bot):
    return bot.api.messages(CRISIS_CHANNEL)


def first_alert(bot, timeout: float = 5.0):
    return bot.api.wait_for(lambda: alerts(bot), timeout=timeout)[0]


def top_level(bot):
    return bot.api.messages(BRAND_CHANNEL)


def surge_parents(bot):
    return [m for m in top_level(bot) if m.text.startswith("Surge:")]


# -- the false-positive side --------------------------------------------------------------------


def test_a_calm_day_at_the_usual_level_raises_no_alert(crisis_bot, clock):
    seed_usual_level(crisis_bot, clock)
    for index in range(8):  # twice the usual 4, over min_messages, under 3 x usual
        send(crisis_bot, f"calm-{index}")
    settle(crisis_bot)
    assert alerts(crisis_bot) == []
    assert surge_parents(crisis_bot) == []


def test_a_tiny_volume_never_alerts_even_without_history(crisis_bot):
    for index in range(4):  # below min_messages
        send(crisis_bot, f"tiny-{index}", "This is the worst, I hate it, terrible")
    settle(crisis_bot)
    assert alerts(crisis_bot) == []


# -- the alert ----------------------------------------------------------------------------------


def test_a_spike_raises_one_alert_with_the_numbers_samples_words_and_ping(crisis_bot, clock):
    seed_usual_level(crisis_bot, clock)
    spike(crisis_bot, 15)
    alert = first_alert(crisis_bot)
    text = shown(alert)

    assert text.startswith("<!subteam^S0CRISIS1> :rotating_light: *Haneul Coffee: messages are well above")
    volume = int(re.search(r"Volume: (\d+) messages", text).group(1))
    # 3 x the usual 4 raises it, or fewer (from min_messages, 5) when most are negative, as these
    # reports of burning batteries are
    assert 5 <= volume <= 15
    assert "usually 4 (same hour, last 4 weeks; alert at 12)" in text
    assert re.search(r"Negative: \d+%", text)  # shown, whether or not it crossed its threshold
    assert "Top words: `battery`" in text and "`refund`" in text
    samples = [block for block in alert.blocks if block.get("block_id", "").startswith("crisis_sample_")]
    assert len(samples) == 3
    assert all(re.search(r"HNL-\d+", block["text"]["text"]) for block in samples)
    assert "<!channel>" not in text.replace("<!subteam^S0CRISIS1>", "")  # customer text stays inert

    spike(crisis_bot, 10, prefix="more")
    clock.advance(timedelta(minutes=5))
    settle(crisis_bot)
    assert len(alerts(crisis_bot)) == 1
    assert crisis_bot.api.thread(CRISIS_CHANNEL, alert.ts) == []


def test_without_weeks_of_history_the_last_days_are_the_usual_level(crisis_bot, clock):
    now = clock.now()
    for index in range(6):  # first one 3 h ago: 2.5 h (5 windows) before the current window, so 1.2 per window
        send(crisis_bot, f"recent-{index}", conversation_id="recent",
             created_at=(now - timedelta(hours=3) + timedelta(minutes=20 * index)).isoformat())
    settle(crisis_bot, scans=2)
    assert alerts(crisis_bot) == []
    spike(crisis_bot, 5)
    assert "usually 1.2 (last 7 days; alert at 5)" in shown(first_alert(crisis_bot))


def test_a_negative_share_spike_at_normal_volume_alerts(crisis_bot, clock):
    seed_usual_level(crisis_bot, clock)
    texts = ["This is the worst service ever. I hate it, terrible and awful.",
             "정말 최악이에요. 너무 화가 나요, 실망했습니다.",
             "Awful, horrible experience. Never again, I am furious."]
    for index in range(6):  # above min_messages, under 3 x the usual 4
        send(crisis_bot, f"neg-{index}", texts[index % len(texts)])
    alert = first_alert(crisis_bot, timeout=3)
    assert "*Negative: 100%*" in shown(alert)


def test_thresholds_volume_or_negative_share_against_the_usual():
    settings = Crisis(min_messages=20, volume_factor=3.0, negative_share=0.5, negative_factor=2.0)

    def reading(volume, negative=0, usual=10.0, usual_share=0.1):
        return Reading(volume, negative, usual, usual_share, "same hour, last 4 weeks")

    assert alarms(reading(29), settings) == []
    assert alarms(reading(30), settings) == [VOLUME]
    assert alarms(reading(25, usual=2.0), settings) == [VOLUME]  # min_messages is the floor
    assert alarms(reading(19, negative=19, usual=2.0), settings) == []  # too few to mean anything
    assert alarms(reading(20, negative=10), settings) == [NEGATIVE]  # 50%: the absolute floor
    assert alarms(reading(20, negative=11, usual_share=0.3), settings) == []  # under 2 x the usual 30%
    assert alarms(reading(20, negative=12, usual_share=0.3), settings) == [NEGATIVE]


# -- surge mode ---------------------------------------------------------------------------------


def test_surge_mode_groups_low_priority_conversations_in_one_thread(crisis_bot, clock):
    seed_usual_level(crisis_bot, clock)
    spike(crisis_bot, 15)
    first_alert(crisis_bot)
    surge = crisis_bot.api.wait_for(lambda: surge_parents(crisis_bot))[0]
    assert shown(surge).startswith(":ocean: *Surge: low-priority messages grouped here while Haneul Coffee is in "
                                   "surge mode.*")

    low_one = send(crisis_bot, "low-1", "Do you sell oat milk?", priority="low", conversation_id="low-1")
    urgent = send(crisis_bot, "urgent-1", "Your cup burnt my hand", priority="urgent")
    low_two = send(crisis_bot, "low-2", "Nice latte art!", priority="low")
    crisis_bot.wait_idle()

    grouped = crisis_bot.api.thread(BRAND_CHANNEL, surge.ts)
    assert [re.search(r"\*(HNL-\d+)\*", shown(m)).group(1) for m in grouped] == [low_one, low_two]
    assert all(button_labels(m) == ["Assign", "Reply", "Escalate", "Resolve"] for m in grouped)
    own_threads = [m for m in top_level(crisis_bot) if f"*{urgent}*" in shown(m)]
    assert len(own_threads) == 1 and "Priority: `urgent`" in shown(own_threads[0])
    assert not any(f"*{low_one}*" in shown(m) or f"*{low_two}*" in shown(m) for m in top_level(crisis_bot))
    assert len(surge_parents(crisis_bot)) == 1

    # The grouped conversation still works like any other: later messages and notes, edits in place.
    send(crisis_bot, "low-1b", "Also, soy milk?", conversation_id="low-1")
    crisis_bot.slack.command(BOB, "/social", f"assign {low_one} me", BRAND_CHANNEL)
    crisis_bot.wait_idle()
    grouped = crisis_bot.api.wait_for(lambda: len(crisis_bot.api.thread(BRAND_CHANNEL, surge.ts)) >= 4
                                      and crisis_bot.api.thread(BRAND_CHANNEL, surge.ts))
    later = [m.text for m in grouped[2:]]
    assert any(t.startswith(f"*{low_one}* · ") and "soy milk" in t for t in later)
    assert f"*{low_one}* · <@{BOB}> took this" in later
    crisis_bot.api.wait_for(lambda: f"<@{BOB}>" in shown(crisis_bot.api.message(BRAND_CHANNEL, grouped[0].ts)))


# -- the all-clear ------------------------------------------------------------------------------


def test_the_all_clear_is_posted_once_after_it_subsides_and_surge_mode_ends(crisis_bot, clock):
    seed_usual_level(crisis_bot, clock)
    spike(crisis_bot, 15)
    alert = first_alert(crisis_bot)
    surge = crisis_bot.api.wait_for(lambda: surge_parents(crisis_bot))[0]

    clock.advance(timedelta(minutes=31))  # the spike has left the window: calm from now on
    settle(crisis_bot)
    clock.advance(timedelta(minutes=20))  # calm for 20 of the 30 minutes clear_after asks
    settle(crisis_bot)
    assert crisis_bot.api.thread(CRISIS_CHANNEL, alert.ts) == []

    clock.advance(timedelta(minutes=11))
    note = crisis_bot.api.wait_for(lambda: crisis_bot.api.thread(CRISIS_CHANNEL, alert.ts))[0]
    assert "*All clear for Haneul Coffee*" in shown(note)
    assert "peaked at" in shown(note)
    settle(crisis_bot)
    clock.advance(timedelta(hours=2))
    settle(crisis_bot)
    assert len(crisis_bot.api.thread(CRISIS_CHANNEL, alert.ts)) == 1
    assert [m.ts for m in alerts(crisis_bot)] == [alert.ts, note.ts]  # also shown in the channel
    ended = crisis_bot.api.thread(BRAND_CHANNEL, surge.ts)
    assert [m.text for m in ended if "is over" in m.text] == [
        ":white_check_mark: Surge mode for Haneul Coffee is over: new conversations get their own threads again. "
        "Those above stay here."]

    low = send(crisis_bot, "after", "Opening hours?", priority="low")
    crisis_bot.api.wait_for(lambda: any(f"*{low}*" in shown(m) for m in top_level(crisis_bot)))


# -- exactly once -------------------------------------------------------------------------------


def test_two_processes_and_a_restart_post_one_alert(database_url, crisis_api, receiver, clock):
    config = crisis_config(receiver)
    with running_bot(database_url, crisis_api, config, clock) as first, \
            running_bot(database_url, crisis_api, config, clock) as second:
        seed_usual_level(first, clock)
        for index in range(20):
            send(first if index % 2 else second, f"both-{index}", "battery exploded")
        first_alert(first)
        settle(first)
        second.wait_idle()

    with running_bot(database_url, crisis_api, config, clock) as restarted:
        send(restarted, "after-restart", "battery exploded again")
        settle(restarted)

    assert len(crisis_api.messages(CRISIS_CHANNEL)) == 1
    assert len([m for m in crisis_api.messages(BRAND_CHANNEL) if m.text.startswith("Surge:")]) == 1


# -- configuration ------------------------------------------------------------------------------


def test_crisis_settings_come_key_by_key_from_the_brand_then_the_top_level(receiver):
    from bot.config import ConfigError, parse_config
    from tests.support.config import CONFIG_TEMPLATE

    base = CONFIG_TEMPLATE.replace("{reply_url}", receiver.url)
    assert make_config(receiver.url).crisis_for("acme") is None  # off unless configured

    on_by_channel = parse_config(base.replace("    slack_channel: C0HANEUL1\n",
                                              "    slack_channel: C0HANEUL1\n    crisis_channel: C0CRISIS1\n"))
    assert on_by_channel.crisis_for("acme") is None
    haneul = on_by_channel.crisis_for("haneul")
    assert (haneul.channel, haneul.min_messages, haneul.window, haneul.surge_below) == (
        "C0CRISIS1", 20, timedelta(minutes=30), ("low",))

    layered = parse_config(base.replace("    slack_channel: C0HANEUL1\n",
                                        "    slack_channel: C0HANEUL1\n    crisis: {enabled: false}\n")
                           + "crisis: {usergroup: S0CRISIS1, surge_below: [low, normal], min_messages: 40}\n")
    assert layered.crisis_for("haneul") is None
    acme = layered.crisis_for("acme")
    assert (acme.channel, acme.usergroup, acme.min_messages, acme.surge_below) == (
        "C0ACME01", "S0CRISIS1", 40, ("low", "normal"))

    with pytest.raises(ConfigError) as problem:
        parse_config(base + "crisis: {channel: '#crisis'}\n")
    assert str(problem.value) == ("app.yaml: crisis.channel: '#crisis' does not look right: expected a Slack "
                                  "channel id such as C0123ABCD (not a #name)")
    with pytest.raises(ConfigError, match=r"^app.yaml: crisis.surge_below.0: "):
        parse_config(base + "crisis: {surge_below: [lowest]}\n")
