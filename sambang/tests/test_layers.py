"""The apps depend on each other in one direction: what writes records does not know who
counts them (issue 20). The evaluation listens to field work (``fieldwork.processing``
announces processed reports); field work never imports the evaluation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SAMBANG = Path(__file__).resolve().parent.parent

# app → the apps it must not import (outside its tests)
FORBIDDEN = {"fieldwork": {"evaluation", "worklist"}}


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and node.level == 0
            else []
        )
        found |= {name.split(".")[1] for name in names if name.startswith("sambang.")}
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_does_not_import_what_builds_on_it(app: str) -> None:
    sources = [p for p in (SAMBANG / app).rglob("*.py") if "tests" not in p.parts]
    assert sources
    wrong = {
        str(path.relative_to(SAMBANG)): sorted(imported_apps(path) & FORBIDDEN[app])
        for path in sources
        if imported_apps(path) & FORBIDDEN[app]
    }
    assert wrong == {}


def test_the_check_finds_such_an_import(tmp_path: Path) -> None:
    source = tmp_path / "services.py"
    source.write_text("from sambang.evaluation.rollups import rollups_batched\nimport os\n")
    assert imported_apps(source) == {"evaluation"}
