"""The weekly digest: text from a jinja2 template (overridable) and a PNG chart of the week."""

from __future__ import annotations

import io
import math
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.clock import Clock
from bot.config import Config, ConfigError
from bot.domain.report import Figures, Report, build_report
from bot.durations import format_duration
from bot.slack_ui.text import escape, link
from storage.db import Database

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def load_digest_template(path: str | None, base_dir: Path) -> str:
    if path is None:
        return resources.files("bot.builtin").joinpath("digest.j2").read_text(encoding="utf-8")
    try:
        return (base_dir / path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"digest.template: cannot read {path}: {error.strerror}") from None


def render_digest(report: Report, template: str) -> str:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=False)
    variables = {
        "brand": escape(report.brand_name),
        "since": _local_day(report.current.since, report.timezone),
        "until": _local_day(report.current.until - timedelta(seconds=1), report.timezone),
        "current": report.current,
        "previous": report.previous,
        "duration": lambda seconds: format_duration(timedelta(seconds=seconds)) if seconds is not None else "–",
        "percent": lambda figures: f"{figures.sla_percent:.0f}% ({figures.sla_met} of {figures.sla_due})"
        if figures.sla_percent is not None else "–",
        "change": _change,
        "thread": lambda ref, url: link(url, ref) if url else ref,
    }
    try:
        return env.from_string(template).render(**variables).strip()
    except TemplateError as error:
        raise ConfigError(f"digest.template: cannot be filled: {error}") from None


def _change(now: float | None, before: float | None, lower_is_better: bool = False) -> str:
    if now is None or before is None or before == 0:
        return ""
    delta = (now - before) / before * 100
    if abs(delta) < 0.5:
        return "(= last week)"
    better = (delta < 0) == lower_is_better
    arrow = ":small_red_triangle:" if delta > 0 else ":small_red_triangle_down:"
    return f"({arrow} {abs(delta):.0f}% {'better' if better else 'worse'} than last week)"


def _local_day(moment: datetime, zone_name: str) -> str:
    return moment.astimezone(ZoneInfo(zone_name)).strftime("%a %d %b")


def chart_figure(figures: Figures, title: str) -> Figure:
    """Daily messages (bars, whole numbers) and the median and 90th percentile of the first response
    in minutes (lines, as in the text); a day without a first response is a gap, not zero."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = [day.day.strftime("%a %d") for day in figures.days]
    volume = [day.messages for day in figures.days]
    fig = Figure(figsize=(8, 4), dpi=100)
    bars = fig.add_subplot()
    bars.bar(labels, volume, color="#457b9d", label="messages")
    bars.set_ylabel("messages")
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))
    bars.set_ylim(bottom=0, top=max([1, *volume]) * 1.1)
    line = bars.twinx()
    for name, seconds, color in (("median", "median_first_response_seconds", "#e63946"),
                                 ("90th percentile", "p90_first_response_seconds", "#f4a261")):
        values = [_minutes(getattr(day, seconds)) for day in figures.days]
        line.plot(labels, values, color=color, marker="o", label=f"first response, {name} (min)")
    line.set_ylabel("first response (min)")
    line.set_ylim(bottom=0)
    bars.set_title(title)
    fig.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


def _minutes(seconds: float | None) -> float:
    return math.nan if seconds is None else seconds / 60  # NaN: matplotlib leaves a gap


def chart_png(figures: Figures, title: str) -> bytes:
    buffer = io.BytesIO()
    chart_figure(figures, title).savefig(buffer, format="png")
    return buffer.getvalue()


class DigestComposer:
    """Builds a brand's digest for a period: the report, its text and its chart."""

    def __init__(self, db: Database, config: Config, clock: Clock, base_dir: Path) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self._templates = {
            brand_id: load_digest_template(config.digest_for(brand_id).template, base_dir) for brand_id in config.brands
        }

    def report(self, brand_id: str, since: datetime, until: datetime) -> Report:
        return build_report(self.db, self.config, brand_id, since, until, self.clock.now())

    def text(self, report: Report) -> str:
        return render_digest(report, self._templates[report.brand_id])

    def chart(self, report: Report) -> bytes:
        return chart_png(report.current, f"{report.brand_name}: messages and first response by day")
