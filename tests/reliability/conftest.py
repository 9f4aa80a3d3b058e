"""Prints the reliability report after the run."""

from __future__ import annotations

from typing import Any

from tests.support.reliability import REPORT


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not REPORT:
        return
    terminalreporter.section("reliability report")
    for tally in REPORT:
        figures = "  ".join(f"{name.replace('_', ' ')}: {value}" for name, value in tally.figures.items())
        terminalreporter.write_line(f"{tally.scenario:<48} {figures}")
