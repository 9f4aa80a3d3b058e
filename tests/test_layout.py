"""Test modules share helpers through tests/support/, never by importing another test module."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def names_a_test_module(module: str | None, level: int) -> bool:
    """Whether an import of `module` (relative by `level`) names a test module."""
    parts = (module or "").split(".")
    if level == 0 and parts[0] != "tests":
        return False
    return any(part.startswith("test_") for part in parts)


def imported_names_a_test_module(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if names_a_test_module(alias.name, 0)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if names_a_test_module(node.module, node.level):
                found.append(module)
            elif node.level or node.module == "tests":
                prefix = module if module.endswith(".") else module + "."
                found += [prefix + alias.name for alias in node.names if alias.name.startswith("test_")]
    return found


def test_no_test_module_imports_another():
    offenders = {
        str(path.relative_to(TESTS.parent)): imported
        for path in sorted(TESTS.rglob("test_*.py"))
        if (imported := imported_names_a_test_module(path))
    }
    assert offenders == {}, "move the shared helpers to tests/support/ and import them from there"


def test_the_check_sees_every_way_of_importing_a_test_module(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import tests.test_storage\n"
        "from tests.test_storage import make_desk\n"
        "from tests import test_storage\n"
        "from .test_storage import inbound\n"
        "from . import test_triage\n"
        "from tests.unit.test_triage_rules import RULES\n"
        "from tests.support.desk import make_desk\n"
        "import pytest\n",
        encoding="utf-8",
    )
    assert imported_names_a_test_module(sample) == [
        "tests.test_storage", "tests.test_storage", "tests.test_storage", ".test_storage", ".test_triage",
        "tests.unit.test_triage_rules",
    ]


def test_surfaces_and_listeners_are_kept_from_every_storage_query_module():
    """The import contracts name the storage modules one by one: a new one must be added there."""
    root = TESTS.parent
    contracts = {contract["name"]: contract
                 for contract in tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]}
    readable = {"__init__", "db", "models", "query_results"}
    queries = {f"storage.{path.stem}" for path in (root / "storage").glob("*.py") if path.stem not in readable}
    for name in ("Slack surfaces build Block Kit from what they are given: no listeners, no domain, no queries",
                 "Listeners act through the domain: no queries and no outbox worker of their own"):
        forbidden = {module for module in contracts[name]["forbidden_modules"] if module.startswith("storage.")}
        assert forbidden == queries | {"storage.migrations"}, name
