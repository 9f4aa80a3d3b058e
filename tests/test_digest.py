"""The weekly digest on a known week, with every figure computed by hand."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from bot.clock import ManualClock
from tests.support.bot import running_bot
from tests.support.config import ALICE, BOB
from tests.support.digest import at, fast_config, move_to, play_the_week


def test_the_monday_digest_has_the_weeks_figures_and_a_chart(database_url, slack_api, receiver):
    clock = ManualClock(at(17, 10, 0))
    config = fast_config(receiver)
    with running_bot(database_url, slack_api, config, clock) as bot:
        play_the_week(bot, clock, receiver)
        assert len(slack_api.messages("C0PR0001")) == 2
        move_to(clock, bot, at(23, 8, 59))
        assert not [m for m in slack_api.messages("C0ACME01") if "Weekly digest" in m.text]

        move_to(clock, bot, at(23, 9, 0))

        digest = bot.api.wait_for(lambda: [m for m in slack_api.messages("C0ACME01") if "Weekly digest" in m.text])[0]
        text = "\n".join(block["text"]["text"] for block in digest.blocks)
        chart = bot.api.wait_for(lambda: slack_api.files)
    assert "*Weekly digest — Acme* (Mon 16 Nov – Mon 23 Nov)" in text
    assert "*Messages in:* 3" in text and "*New conversations:* 3" in text
    assert "• Facebook comment: 2" in text and "• Facebook dm: 1" in text
    # First responses: 30 min (ACME-1) and 25 h (ACME-2); in business hours 30 min and 10 h.
    assert "*First response* — median 30 min" in text and "90th percentile 1 d 1 h" in text
    assert "*In business hours* — median 30 min, 90th percentile 10 h" in text
    # On time: ACME-1 only, of three whose first deadline came.
    assert "*First replies on time:* 33% (1 of 3)" in text
    assert "*Breaches:* 2" in text and "|ACME-2>" in text and "|ACME-3>" in text
    assert "*Still open:* under 1 day: 0 · 1-3 days: 0 · 3-7 days: 3 · over 7 days: 0" in text
    assert "*Escalations:* 2" in text and "PR team: 2" in text
    assert f"<@{ALICE}>: 1 replies, 1 first responses (average 30 min), 0 resolved" in text
    assert f"<@{BOB}>: 1 replies, 1 first responses (average 1 d 1 h), 0 resolved" in text
    [file] = [f for f in chart.values() if f["channel"] == "C0ACME01"]
    assert file["data"].startswith(b"\x89PNG") and file["thread_ts"] == digest.ts


def test_a_digest_is_sent_once_even_after_a_restart_and_caught_up_when_late(database_url, slack_api, receiver):
    clock = ManualClock(at(23, 9, 0) + timedelta(hours=5))  # the bot was down at 09:00
    config = fast_config(receiver)
    with running_bot(database_url, slack_api, config, clock) as bot:
        bot.api.wait_for(lambda: [m for m in slack_api.messages("C0ACME01") if "Weekly digest" in m.text])
        time.sleep(0.5)
        bot.wait_idle()
    with running_bot(database_url, slack_api, config, clock) as bot:
        time.sleep(0.5)
        bot.wait_idle()
    digests = [m for m in slack_api.messages("C0ACME01") if "Weekly digest" in m.text]
    assert len(digests) == 1
    # Haneul keeps UTC: its Monday 09:00 has not come yet, and last week's is over a day late.
    assert [m for m in slack_api.messages("C0HANEUL1") if "Weekly digest" in m.text] == []


def test_report_command_gives_the_same_figures_as_csv_and_json(database_url, slack_api, receiver, tmp_path):
    import os
    import subprocess
    import sys

    clock = ManualClock(at(17, 10, 0))
    with running_bot(database_url, slack_api, fast_config(receiver), clock) as bot:
        play_the_week(bot, clock, receiver)
    config_file = tmp_path / "app.yaml"
    config_file.write_text("brands:\n  acme: {name: Acme, ref_prefix: ACME, slack_channel: C0ACME01, timezone: Asia/Seoul}\n")
    env = {**os.environ, "SOCIALDESK_CONFIG": str(config_file), "DATABASE_URL": database_url}
    period = ["--since", "2026-11-16", "--until", "2026-11-23"]

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "bot", "report", "--brand", "acme", *period, *args],
                                env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    rows = run("--format", "csv").splitlines()
    assert rows[0] == "metric,this period,previous period"
    assert "messages,3,0" in rows and "median first response (s),1800.0," in rows
    figures = json.loads(run("--format", "json"))
    chart = tmp_path / "week.png"
    dry = subprocess.run([sys.executable, "-m", "bot", "digest", "--brand", "acme", *period, "--dry-run",
                          "--chart", str(chart)], env=env, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert "*First replies on time:* 33% (1 of 3)" in dry.stdout
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert figures["current"]["sla_met"] == 1 and figures["current"]["sla_due"] == 3
    assert figures["current"]["p90_first_response_business_seconds"] == 36000.0
    assert len(figures["current"]["days"]) == 7
