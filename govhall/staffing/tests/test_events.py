"""Every event name staffing writes is registered, in the imperative; old names are migrated."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from govhall.core.events import is_registered
from govhall.staffing.events import LEAVE_DECISION_EVENTS, StaffingEvent
from govhall.staffing.leave_transitions import LeaveAction
from govhall.testing.source import parse_source

STAFFING = Path(__file__).resolve().parents[1]
NOUNS = {
    "leave",
    "absence",
    "delegation",
    "post_vacancy",
    "attendance",
    "attendance_explanation",
    "duty",
    "leader_visit",
    "assignment",
    "staff_fact",
    "post_staff",
    "return",
    # Issue 21: selection to trial, study and training, the code of conduct and badges.
    "selection",
    "readiness",
    "trial",
    "study_session",
    "study_register",
    "study_notes",
    "training_event",
    "training_participation",
    "conduct_rule",
    "conduct_code",
    "badge",
}


def test_every_staffing_event_is_registered_and_imperative() -> None:
    for name in StaffingEvent.values:
        assert is_registered(name), name
        noun, verb = name.split(".", 1)
        assert noun in NOUNS, name
        # "signed_in", "day_closed", "opened", "approved": the past tense is not a command.
        assert not re.search(r"ed$", verb.split("_")[0]) and not verb.endswith("ed"), name


def test_every_leave_action_has_its_event() -> None:
    assert set(LEAVE_DECISION_EVENTS) == set(LeaveAction.values)
    assert all(event in StaffingEvent.values for event in LEAVE_DECISION_EVENTS.values())


def _record_event_actions(path: Path) -> list[ast.expr]:
    tree = parse_source(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "record_event":
            found += [kw.value for kw in node.keywords if kw.arg == "action"]
    return found


def test_services_name_their_events_by_constant_not_by_literal() -> None:
    literals = [
        f"{path.name}:{value.lineno}"
        for path in sorted((STAFFING / "services").glob("*.py"))
        for value in _record_event_actions(path)
        if isinstance(value, ast.Constant | ast.JoinedStr)
    ]
    assert literals == []
    assert sum(len(_record_event_actions(p)) for p in (STAFFING / "services").glob("*.py")) >= 15
