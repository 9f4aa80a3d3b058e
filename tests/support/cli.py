"""The command line run as a user runs it: ``python -m bot ...`` in a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
GOOD_ENV = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "ACME_HOOK_SECRET": "a", "HANEUL_HOOK_SECRET": "b"}


def socialdesk(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_", "ACME_", "HANEUL_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env={**base, **(env or {})}, cwd=cwd,
        capture_output=True, text=True, timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for part in expected:
        assert part in lines[0]


def healthy(url: str) -> bool:
    """Whether the server at ``url`` answers its health check."""
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
