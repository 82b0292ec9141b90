"""SPEC §2: an import never points up a layer, and a dependency is never hidden inside a function.

Checked on the source, so it needs no database:

- an app imports only apps of a lower rank or its peers (`RANKS`); inside layer 3 the order is
  real: staffing < cases < frontdesk (cases asks staffing who serves a window; the queue opens
  cases);
- an import of another govhall app inside a function body is refused (it would hide a dependency
  from this test and from the reader), except in `AppConfig.ready()` (Django's place for
  wiring) and in tests; an import of the app's own module inside a function is left for the
  cycles it breaks, each with a comment naming the cycle;
- peers do not import each other in a circle;
- no test imports another test module: shared helpers live in `govhall/testing/`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from govhall.testing.source import parse_source

# (layer, order inside the layer): an app may import apps of a lower or equal rank.
RANKS: dict[str, tuple[int, int]] = {
    "core": (1, 0),
    "workdays": (1, 0),
    "org": (2, 0),
    "catalog": (2, 0),
    "staffing": (3, 0),
    "cases": (3, 1),
    "frontdesk": (3, 2),
    # The online hall (issue 19): accounts and applications over cases and the front desk.
    "online": (3, 3),
    # Joint meetings and emergencies (issue 21 item 4): over core, org and staffing.
    "hallops": (3, 4),
    # Layer 4, to come: above every app of layer 3, below the faces.
    "supervision": (4, 0),
    "assessment": (4, 0),
    "feedback": (4, 0),
    "stats": (4, 0),
    "portal": (5, 0),
    "workbench": (5, 0),
    "api": (5, 0),
    "cli": (5, 0),
    # Helpers shared by the tests: nothing of the application imports them.
    "testing": (6, 0),
}
PACKAGE = Path(__file__).resolve().parents[2]


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "govhall" and parts[1] in RANKS:
        return parts[1]
    return None


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def _is_app_config(node: ast.ClassDef) -> bool:
    return any(
        (isinstance(base, ast.Name) and base.id == "AppConfig")
        or (isinstance(base, ast.Attribute) and base.attr == "AppConfig")
        for base in node.bases
    )


def _imports(tree: ast.Module) -> Iterator[tuple[ast.AST, str | None]]:
    """Every import in `tree` with the function it sits in (None at module or class level);
    `AppConfig.ready` counts as module level."""

    def walk(
        node: ast.AST, function: str | None, app_config: bool = False
    ) -> Iterator[tuple[ast.AST, str | None]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, function
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, function, _is_app_config(child))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                name = "<lambda>" if isinstance(child, ast.Lambda) else child.name
                ready = app_config and function is None and name == "ready"
                yield from walk(child, None if ready else function or name)
            else:
                yield from walk(child, function)

    yield from walk(tree, None)


def imported_apps(source: str) -> set[str]:
    """The govhall apps a module's source imports, wherever the import sits."""
    apps: set[str] = set()
    for node, _function in _imports(parse_source(source)):
        apps.update(app for name in _imported_modules(node) if (app := _app_of(name)))
    return apps


def layer_problems(app: str, source: str) -> list[str]:
    """What is wrong with the imports of one module of `app`, given its source text."""
    problems = []
    for node, function in _imports(parse_source(source)):
        for name in _imported_modules(node):
            other = _app_of(name)
            if other is None or other == app:
                continue
            line = getattr(node, "lineno", 0)
            if RANKS[other] > RANKS[app]:
                problems.append(f"line {line}: {app} {RANKS[app]} imports {name} {RANKS[other]}")
            if function is not None:
                problems.append(f"line {line}: {name} imported inside {function}()")
    return problems


def _sources() -> list[Path]:
    return [
        path
        for app in RANKS
        if (PACKAGE / app).is_dir()
        for path in sorted((PACKAGE / app).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _test_sources() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "tests" in path.parts)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_and_sit_at_the_top(path: Path) -> None:
    app = path.relative_to(PACKAGE).parts[0]
    problems = layer_problems(app, path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(PACKAGE)}: " + "; ".join(problems)


def test_peers_do_not_import_each_other_in_a_circle() -> None:
    graph: dict[str, set[str]] = {app: set() for app in RANKS}
    for path in _sources():
        app = path.relative_to(PACKAGE).parts[0]
        graph[app] |= imported_apps(path.read_text(encoding="utf-8")) - {app}
    circles = sorted(
        f"{app} <-> {other}" for app in graph for other in graph[app] if app in graph[other]
    )
    assert not circles, circles


def foreign_test_imports(source: str) -> list[int]:
    """The lines where a test module imports another test module or a conftest."""
    lines = []
    for node, _function in _imports(parse_source(source)):
        names = _imported_modules(node)
        relative = isinstance(node, ast.ImportFrom) and node.level > 0
        if relative or any(".tests" in name or "conftest" in name for name in names):
            lines.append(getattr(node, "lineno", 0))
    return lines


def test_no_test_imports_another_test_module() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in _test_sources()
        for line in foreign_test_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"move the shared helpers into govhall/testing/: {found}"


# --- the checker itself, on planted source text --------------------------------------------------


def test_the_check_sees_every_imported_app() -> None:
    source = "from govhall.workbench import views\nimport govhall.org.models\n"
    assert imported_apps(source) == {"workbench", "org"}


@pytest.mark.parametrize(
    ("app", "source"),
    [
        ("org", "from govhall.workbench import views\n"),
        ("cases", "import govhall.frontdesk.models\n"),
        ("staffing", "from govhall.cases.models import Case\n"),
        ("frontdesk", "from govhall.stats.queries import totals\n"),
        ("stats", "from govhall.api.schemas import PersonOut\n"),
        ("api", "from govhall.testing.factories import make_staff\n"),
        # Hidden in a type-checking block or a function changes nothing.
        ("core", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import govhall.org\n"),
    ],
)
def test_the_check_refuses_a_planted_upward_import(app: str, source: str) -> None:
    problems = layer_problems(app, source)
    assert problems and "imports govhall." in problems[0], problems


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    from govhall.staffing.queries.cover import posts_served_by\n",
        "class A:\n    def m(self):\n        import govhall.org.models\n",
        "async def f():\n    if True:\n        from govhall.core.models import User\n",
        "def f():\n    def g():\n        from govhall.catalog import models\n",
        "class C(AppConfig):\n    def other(self):\n        from govhall.org import models\n",
    ],
)
def test_the_check_refuses_a_planted_hidden_import(source: str) -> None:
    problems = layer_problems("cases", source)
    assert problems and "imported inside" in problems[0], problems


@pytest.mark.parametrize(
    "source",
    [
        "from govhall.staffing.queries.cover import posts_served_by\n",
        "import govhall.core.models\nfrom django.db import models\n",
        # AppConfig.ready is where Django apps wire themselves up.
        "class Config(AppConfig):\n    def ready(self):\n        from govhall.workdays import x\n",
        "class Config(apps.AppConfig):\n    def ready(self):\n        import govhall.org.access\n",
        # Inside its own app a function may import what breaks a cycle (with a comment).
        "def f():\n    from govhall.cases.case_transitions import OPEN_STATUSES\n",
        "def f():\n    import json\n    from django.utils import timezone\n",
    ],
)
def test_the_check_lets_honest_imports_pass(source: str) -> None:
    assert layer_problems("cases", source) == []


def test_the_check_refuses_a_test_importing_another_test_module() -> None:
    source = (
        "from govhall.testing.cases import make_case\n"
        "from govhall.cases.tests.test_notices import accepted_case\n"
        "from .test_leave_pages import ask\n"
        "def test_x():\n    import govhall.workbench.tests.test_browser_leave\n"
        "import govhall.conftest\n"
    )
    assert foreign_test_imports(source) == [2, 3, 5, 6]
