"""Commands that only read (audit, report, digest --dry-run) never create a database: run in the
wrong folder, they say which database they looked for."""

from __future__ import annotations

import pytest

from storage.db import Database, DatabaseError, open_existing
from tests.support.cli import ROOT, assert_one_line_error, socialdesk
from tests.support.serve import free_port

READ_ONLY = [
    ("audit",),
    ("report", "--brand", "acme"),
    ("digest", "--brand", "acme", "--dry-run"),
]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda command: command[0])
def test_read_only_command_in_the_wrong_folder_creates_nothing(tmp_path, command):
    result = socialdesk(*command, env={"SOCIALDESK_CONFIG": str(ROOT / "app.yaml")}, cwd=tmp_path)
    assert_one_line_error(result, "no database at sqlite:///socialdesk.db", str(tmp_path / "socialdesk.db"),
                          "set DATABASE_URL")
    assert list(tmp_path.iterdir()) == []


def test_a_database_without_the_schema_is_named_and_left_alone(tmp_path):
    empty = tmp_path / "other.db"
    Database(f"sqlite:///{empty}").ping()  # an SQLite file of something else
    result = socialdesk("audit", env={"DATABASE_URL": f"sqlite:///{empty}"}, cwd=tmp_path)
    assert_one_line_error(result, f"sqlite:///{empty} holds no socialdesk data")


def test_an_unreachable_server_is_named_without_its_password(tmp_path):
    port = free_port()
    url = f"postgresql://desk:s3cret@127.0.0.1:{port}/desk"
    with pytest.raises(DatabaseError) as refused:
        open_existing(url)
    assert f"postgresql://desk:***@127.0.0.1:{port}/desk" in str(refused.value)
    assert "s3cret" not in str(refused.value)


def test_an_existing_database_opens(tmp_path):
    url = f"sqlite:///{tmp_path / 'socialdesk.db'}"
    Database(url).migrate()
    result = socialdesk("audit", env={"DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "socialdesk: no audit entries match"
