"""SPEC §2: an import never points up a layer. Checked on the source, so it needs no database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAYERS = {
    "core": 1,
    "workdays": 1,
    "org": 2,
    "catalog": 2,
    "cases": 3,
    "frontdesk": 3,
    "staffing": 3,
    "supervision": 4,
    "assessment": 4,
    "feedback": 4,
    "stats": 4,
    "portal": 5,
    "workbench": 5,
    "api": 5,
    "cli": 5,
}
PACKAGE = Path(__file__).resolve().parents[2]


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    apps: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "govhall" and parts[1] in LAYERS:
                apps.add(parts[1])
    return apps


def _sources() -> list[Path]:
    return [
        path
        for app in LAYERS
        if (PACKAGE / app).is_dir()
        for path in sorted((PACKAGE / app).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_points_up_a_layer(path: Path) -> None:
    app = path.relative_to(PACKAGE).parts[0]
    upward = {other for other in _imported_apps(path) if LAYERS[other] > LAYERS[app]}
    assert not upward, f"{path.relative_to(PACKAGE)} (layer {LAYERS[app]}) imports {upward}"


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("from govhall.workbench import views\nimport govhall.org.models\n")
    assert _imported_apps(source) == {"workbench", "org"}
