"""The digest's chart, read back from the figure: whole-number message counts, the text's statistics
(median and 90th percentile of the first response) and gaps on days without a first response."""

from __future__ import annotations

import math
from pathlib import Path

from bot.clock import ManualClock
from bot.digest import DigestComposer, chart_figure
from tests.support.bot import running_bot
from tests.support.digest import at, fast_config, play_the_week


def test_the_chart_plots_counts_and_the_texts_statistics_with_gaps(database_url, slack_api, receiver):
    clock = ManualClock(at(17, 10, 0))
    with running_bot(database_url, slack_api, fast_config(receiver), clock) as bot:
        play_the_week(bot, clock, receiver)
        composer = DigestComposer(bot.runtime.db, bot.config, clock, Path("."))
        report = composer.report("acme", at(16, 0), at(23, 0))
    figure = chart_figure(report.current, "Acme")
    bars, lines = figure.axes

    assert [label.get_text() for label in bars.get_xticklabels()] == [
        "Mon 16", "Tue 17", "Wed 18", "Thu 19", "Fri 20", "Sat 21", "Sun 22"]
    assert [patch.get_height() for patch in bars.patches] == [0, 2, 1, 0, 0, 0, 0]
    assert all(tick == int(tick) for tick in bars.get_yticks())

    # Tue 17: ACME-1 answered in 30 min, ACME-2 in 25 h (nearest rank, as in the text); Wed 18's
    # ACME-3 was never answered and the other days had no conversation: gaps, not zeros.
    plotted = {line.get_label(): list(line.get_ydata()) for line in lines.get_lines()}
    median = plotted["first response, median (min)"]
    p90 = plotted["first response, 90th percentile (min)"]
    assert median[1] == 30 and p90[1] == 25 * 60
    assert all(math.isnan(value) for index, value in enumerate(median + p90) if index % 7 != 1)
    assert composer.chart(report).startswith(b"\x89PNG")
