"""What every benchmark shares: its result record, statistics, the printed table, the JSON file."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).parent / "results"
QUICK_RESULTS_DIR = RESULTS_DIR / "quick"
PACKAGES = ("socialdesk", "slack-bolt", "slack-sdk", "sqlalchemy", "psycopg", "uvicorn", "starlette",
            "pydantic", "apscheduler", "httpx", "matplotlib")


class Skipped(Exception):
    """The benchmark cannot run here (e.g. it needs PostgreSQL); the message says why."""


@dataclass
class Check:
    """One target of the contract and whether this run met it."""

    target: str
    measured: str
    met: bool


@dataclass
class Result:
    name: str
    title: str
    method: str
    sizes: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]
    checks: list[Check] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    quick: bool
    postgres_url: str | None
    results_dir: Path


# -- statistics ------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (what a p99 usually means in latency reports)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(value: float, floor: float) -> float:
    return value / floor if floor else float("inf")


@dataclass(frozen=True)
class Spread:
    """The median of repeated measurements and their range."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(median(values), min(values), max(values)) if values else cls(*(3 * [float("nan")]))

    def text(self, digits: int = 3, unit: str = "") -> str:
        return (f"{rounded(self.median, digits)}{unit} "
                f"({rounded(self.low, digits)}–{rounded(self.high, digits)})")


def load_average() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes."""
    return [round(value, 2) for value in os.getloadavg()]


def rounded(value: Any, digits: int = 3) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):  # a floor that measured no work at all on a busy machine
            return str(value)
        return float(f"{value:.{digits}g}") if abs(value) < 1000 else round(value)
    return value


# -- output ----------------------------------------------------------------------------------


def print_table(result: Result) -> None:
    print(f"\n{result.title}")
    cells = [[str(rounded(cell)) for cell in row] for row in result.rows]
    widths = [max(len(column), *(len(row[i]) for row in cells)) if cells else len(column)
              for i, column in enumerate(result.columns)]
    print("  ".join(column.ljust(width) for column, width in zip(result.columns, widths, strict=True)))
    print("  ".join("-" * width for width in widths))
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)))
    for check in result.checks:
        print(f"  [{'met' if check.met else 'MISSED'}] {check.target}: {check.measured}")


def write_result(result: Result, options: Options, load: dict[str, list[float]] | None = None) -> Path:
    record = {
        "name": result.name,
        "title": result.title,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": options.quick,
        "machine": machine(),
        "python": sys.version.split()[0],
        "packages": package_versions(),
        "postgresql": postgres_version(options.postgres_url) if options.postgres_url else None,
        "load_average": load,
        "method": result.method,
        "sizes": result.sizes,
        "columns": result.columns,
        "rows": [[rounded(cell, 4) for cell in row] for row in result.rows],
        "checks": [asdict(check) for check in result.checks],
        "details": result.details,
    }
    options.results_dir.mkdir(parents=True, exist_ok=True)
    path = options.results_dir / f"{result.name}.json"
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def machine() -> dict[str, Any]:
    return {
        "system": f"{platform.system()} {platform.release()}",
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def postgres_version(url: str) -> str | None:
    from sqlalchemy.exc import SQLAlchemyError

    from bench.databases import postgres_version as server_version

    try:
        return server_version(url)
    except SQLAlchemyError:  # the version is a nicety; an unreachable server shows up elsewhere
        return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, in seconds (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident set size of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")
