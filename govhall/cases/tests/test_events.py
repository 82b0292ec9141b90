"""Every event name cases writes is registered, in the imperative; old names are migrated."""

from __future__ import annotations

import re

import pytest

from govhall.cases.case_transitions import TRANSITIONS, Action
from govhall.cases.events import CaseEvent, action_event
from govhall.core.events import is_registered


def test_every_transition_action_has_a_registered_event_name() -> None:
    for action in {row.action for row in TRANSITIONS} | {Action.SUBMIT, Action.RECEIVE}:
        name = f"case.{action}"
        assert name in CaseEvent.values, f"{name} is missing from CaseEvent"
        assert is_registered(name), f"{name} is not registered"
        assert action_event(action) == name


def test_every_case_event_is_registered_and_imperative() -> None:
    for name in CaseEvent.values:
        assert is_registered(name), name
        noun, verb = name.split(".", 1)
        # The case and what belongs to it: its 一件事 application, its 代办, the library
        # entries and licences it makes (issue 19).
        assert noun in {"case", "case_bundle", "agency", "library", "licence"}, name
        # The past tense ("notice_issued", "fee_recorded", "joint_task_done") is not a command.
        first = verb.split("_")[0]
        assert not re.search(r"(ed|done)$", first) and not verb.endswith(("ed", "_done")), name


def test_an_unknown_action_has_no_event_name() -> None:
    with pytest.raises(ValueError):
        action_event("notice_issued")
