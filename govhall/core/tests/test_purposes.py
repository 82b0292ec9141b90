"""Message purposes are shown by their labels (issue 17 item 11): every purpose a service sends
with is registered, like event names, and the outbox page reads the label."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.utils import translation

from govhall.cases.services.messages import PURPOSES as CASE_PURPOSES
from govhall.core.notify import purpose_label, registered_purposes

ROOT = Path(__file__).resolve().parents[2]
# The functions that take a message purpose, and where a positional purpose stands.
SENDERS = {"send_sms": None, "notify": None, "appointment_sms": 2}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _purposes_in(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, purpose) of every literal purpose handed to a sender in one module; a module-level
    constant (PURPOSE = "…") counts as a literal."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in SENDERS:
            continue
        given = [kw.value for kw in node.keywords if kw.arg == "purpose"]
        position = SENDERS[_name(node.func)]
        if position is not None and len(node.args) > position:
            given.append(node.args[position])
        for value in given:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield node.lineno, value.value
            elif isinstance(value, ast.Name) and value.id in constants:
                yield node.lineno, constants[value.id]


def test_every_purpose_sent_is_registered():
    registered = registered_purposes()
    unknown = []
    found = 0
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line, purpose in _purposes_in(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            if purpose not in registered:
                unknown.append(f"{path.relative_to(ROOT)}:{line} {purpose}")
    unknown += [f"cases {p}" for p in sorted(CASE_PURPOSES) if f"case.{p}" not in registered]
    assert found > 10  # the scan sees the senders
    assert unknown == []


def test_a_purpose_reads_as_chinese():
    with translation.override("zh-hans"):
        assert purpose_label("case.accepted") == "受理通知"
        assert purpose_label("appointment.remind") == "预约提醒"
    assert purpose_label("no.such_purpose") == "no.such_purpose"
