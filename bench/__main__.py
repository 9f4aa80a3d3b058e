"""python -m bench <name>... [--quick] [--database-url URL] [--results-dir DIR] | all | report"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import (QUICK_RESULTS_DIR, RESULTS_DIR, Options, Result, Skipped, load_average, print_table,
                          write_result)

BENCHMARKS = ("ack", "ingest", "latency", "to_slack", "drain", "sla", "digest", "memory", "triage", "search")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.names == ["report"]:
        from bench.report import write_report

        print(f"wrote {write_report(args.results_dir or RESULTS_DIR)}")
        return 0
    names = list(BENCHMARKS) if args.names == ["all"] else args.names
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"bench: unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}, all, report",
              file=sys.stderr)
        return 2
    options = Options(
        quick=args.quick,
        postgres_url=args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"),
        results_dir=args.results_dir or (QUICK_RESULTS_DIR if args.quick else RESULTS_DIR),
    )
    for name in names:
        _run_one(name, importlib.import_module(f"bench.{name}").run, options)
    return 0


def _run_one(name: str, run: Callable[[Options], Result], options: Options) -> None:
    started, load_before = time.monotonic(), load_average()
    try:
        result = run(options)
    except Skipped as skipped:
        print(f"\n{name}: skipped: {skipped}")
        return
    load = {"before": load_before, "after": load_average()}
    print_table(result)
    print(f"  load average (1, 5, 15 min): before {load['before']}, after {load['after']}")
    path = write_result(result, options, load)
    print(f"  ({time.monotonic() - started:.0f} s; wrote {path})")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="socialdesk benchmarks")
    parser.add_argument("names", nargs="+", metavar="name",
                        help=f"one or more of {', '.join(BENCHMARKS)}; or all; or report (writes docs/BENCHMARKS.md)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run (results in bench/results/quick/)")
    parser.add_argument("--database-url", help="PostgreSQL server URL for the PostgreSQL parts "
                        "(default: $BENCH_DATABASE_URL, then $TEST_DATABASE_URL; without one they are skipped)")
    parser.add_argument("--results-dir", type=Path, help="where to write (or, for report, read) the JSON results")
    return parser


if __name__ == "__main__":
    sys.exit(main())
