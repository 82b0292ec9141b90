"""Role sets live in govhall/core/roles.py by name: no app spells out a set of two or more roles."""

from __future__ import annotations

import ast
from pathlib import Path

from govhall.core import roles
from govhall.core.roles import Role
from govhall.testing.source import parse_source

PACKAGE = Path(__file__).resolve().parents[2]
HOME = PACKAGE / "core" / "roles.py"


def _role_literals(source: str) -> list[tuple[int, list[str]]]:
    """Set, tuple and list literals made of two or more `Role.X` members."""
    found = []
    for node in ast.walk(parse_source(source)):
        if isinstance(node, ast.Set | ast.Tuple | ast.List) and len(node.elts) >= 2:
            names = [
                element.attr
                for element in node.elts
                if isinstance(element, ast.Attribute)
                and isinstance(element.value, ast.Name)
                and element.value.id == "Role"
            ]
            if len(names) == len(node.elts):
                found.append((node.lineno, names))
    return found


def _app_modules() -> list[Path]:
    skip = ("tests", "testing", "migrations")
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != HOME and not any(part in skip for part in path.relative_to(PACKAGE).parts)
    ]


def test_the_scanner_sees_a_planted_set() -> None:
    planted = "ROLES = frozenset({Role.CLERK, Role.WINDOW_HEAD})\nONE = {Role.GUIDE}\n"
    assert _role_literals(planted) == [(1, ["CLERK", "WINDOW_HEAD"])]
    assert _role_literals("if role in (Role.DIRECTOR, Role.ADMIN): pass\n")


def test_no_app_spells_out_a_role_set() -> None:
    problems = [
        f"{path.relative_to(PACKAGE)}:{line}: {{{', '.join(names)}}}"
        for path in _app_modules()
        for line, names in _role_literals(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "name the set in govhall/core/roles.py: " + "; ".join(problems)


def test_each_named_set_is_defined_once_with_its_meaning() -> None:
    named = {
        name: value
        for name, value in vars(roles).items()
        if name.isupper() and isinstance(value, frozenset)
    }
    assert named["WINDOW_ROLES"] == {Role.CLERK, Role.WINDOW_HEAD}
    assert named["MANAGER_ROLES"] == {Role.DIRECTOR, Role.ADMIN}
    assert named["CASE_ACTOR_ROLES"] == {
        Role.CLERK,
        Role.WINDOW_HEAD,
        Role.REVIEWER,
        Role.APPROVER,
        Role.DIRECTOR,
        Role.ADMIN,
    }
    assert named["CASE_READER_ROLES"] == named["CASE_ACTOR_ROLES"] | {
        Role.SUPERVISOR,
        Role.DEPT_LEADER,
    }
    assert named["OVERSIGHT_ROLES"] == {
        Role.DIRECTOR,
        Role.ADMIN,
        Role.SUPERVISOR,
        Role.WINDOW_HEAD,
        Role.DEPT_LEADER,
    }
    # The system administrator does not meet the public: not an inquiry logger.
    assert Role.ADMIN not in named["INQUIRY_LOGGER_ROLES"]
    assert Role.DIRECTOR in named["INQUIRY_LOGGER_ROLES"]
    for name in named:
        if name == "ALL_ROLES":
            continue
        # Nobody else defines a set under the same name.
        for path in _app_modules():
            assert f"\n{name} = " not in path.read_text(encoding="utf-8"), (name, path)
