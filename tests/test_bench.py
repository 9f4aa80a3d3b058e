"""The benchmarks' quick variants run and write well-formed results (no timed assertions here)."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EVERYWHERE = ("ack", "ingest", "latency", "to_slack", "drain", "memory", "triage", "search")
POSTGRES_ONLY = ("sla", "digest")
KEYS = {"name", "title", "date", "quick", "machine", "python", "packages", "method", "sizes", "columns", "rows",
        "checks", "details", "load_average"}


def run_bench(*args: str, env: dict[str, str], results: Path) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", *args, "--quick", "--results-dir", str(results)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed


def assert_well_formed(path: Path, name: str) -> dict:
    record = json.loads(path.read_text(encoding="utf-8"))
    assert set(record) >= KEYS, f"{name}: missing {KEYS - set(record)}"
    assert record["name"] == name and record["quick"] is True
    assert record["rows"] and all(len(row) == len(record["columns"]) for row in record["rows"])
    assert all({"target", "measured", "met"} <= set(check) for check in record["checks"])
    assert set(record["load_average"]) == {"before", "after"}
    return record


def test_quick_benchmarks_run_without_postgresql(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("TEST_DATABASE_URL", "BENCH_DATABASE_URL")}
    completed = run_bench("all", env=env, results=tmp_path)
    for name in EVERYWHERE:
        record = assert_well_formed(tmp_path / f"{name}.json", name)
        assert record["postgresql"] is None
    ack = json.loads((tmp_path / "ack.json").read_text(encoding="utf-8"))
    assert all(len(ratios) >= 3 for ratios in ack["details"]["ratios"].values()), "a spread needs 3 repetitions"
    assert all(check["met"] for check in ack["checks"] if "opened its modal" in check["target"])
    for name in POSTGRES_ONLY:
        assert not (tmp_path / f"{name}.json").exists()
        assert f"{name}: skipped: needs PostgreSQL" in completed.stdout
    report = tmp_path / "BENCHMARKS.md"
    from bench.report import write_report

    write_report(tmp_path, report)
    assert "## Summary" in report.read_text(encoding="utf-8")


@pytest.mark.postgresql_only
def test_quick_benchmarks_run_on_postgresql(tmp_path: Path) -> None:
    url = os.environ["TEST_DATABASE_URL"]
    run_bench("ingest", *POSTGRES_ONLY, "--database-url", url, env=dict(os.environ), results=tmp_path)
    ingest = assert_well_formed(tmp_path / "ingest.json", "ingest")
    assert [row[0] for row in ingest["rows"]] == ["sqlite", "postgresql"]
    for name in POSTGRES_ONLY:
        assert assert_well_formed(tmp_path / f"{name}.json", name)["postgresql"]


def test_open_loop_sends_on_schedule_and_counts_from_the_due_time() -> None:
    """A slow answer neither delays the requests due after it nor hides its own wait."""
    from starlette.applications import Starlette
    from starlette.requests import Request as HttpRequest
    from starlette.responses import Response
    from starlette.routing import Route

    from bench.load import Request, run_open_loop
    from bot.demo.standins.server import ServerThread

    async def answer(request: HttpRequest) -> Response:
        if request.path_params["number"] == "0":
            await asyncio.sleep(0.6)
        return Response("ok")

    app = Starlette(routes=[Route("/{number}", answer, methods=["POST"])])
    with ServerThread(app) as server:
        sent = run_open_loop(server.url, lambda index: Request(f"/{index}", b"", {}), rate=20, duration=0.5)
    sent.sort(key=lambda item: item.index)
    assert [item.index for item in sent] == list(range(10)) and all(item.status == 200 for item in sent)
    assert all(abs((later.due - earlier.due) - 0.05) < 1e-9 for earlier, later in itertools.pairwise(sent))
    assert sent[0].latency >= 0.6
    # Requests due while the first waited were answered before it: they went out on other connections.
    assert all(item.due + item.latency < sent[0].due + sent[0].latency for item in sent[1:3])
