"""The complaint state machine (feedback/complaint_transitions.py) under random use: a
complaint about a clerk is acted on by a director, a supervisor, a clerk and the leader of the
department, the target staff member and an outsider, in random order. After every step:

- the buttons are what the services accept: an action `complaint_actions` offers succeeds, one
  it does not offer is refused;
- a refused step changes nothing;
- every status change is a row of the transition table, and the version goes up by one.

Each example runs in a savepoint rolled back at its end.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.roles import Role
from govhall.feedback.complaint_transitions import COMPLAINT_TRANSITIONS, ComplaintAction
from govhall.feedback.models import Complaint, ComplaintStatus
from govhall.feedback.services.complaints import (
    complaint_actions,
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_reply,
    complaint_tell,
)
from govhall.testing.complaints import make_complaint
from govhall.testing.factories import make_staff

pytestmark = pytest.mark.django_db
ACTORS = ("director", "supervisor", "clerk", "dept_leader", "target", "outsider")
A = ComplaintAction


def snapshot(pk: int) -> dict[str, Any]:
    return Complaint.objects.filter(pk=pk).values().get()


def act(action: str, user: Any, complaint: Complaint, department_id: int) -> None:
    common = {"actor": user, "complaint": complaint, "version": complaint.version}
    if action == A.ASSIGN:
        complaint_assign(**common, department_id=department_id)
    elif action == A.REPLY:
        complaint_reply(**common, reply="已核实")
    elif action == A.ANSWER:
        complaint_answer(**common, finding="unfounded", result="已说明", delay_reason="核实")
    elif action == A.TELL:
        complaint_tell(**common, via="phone")
    else:
        complaint_close(**common)


@pytest.fixture
def people(county, department, director, supervisor, clerk, dept_leader, outsider):
    target = make_staff(Role.CLERK, county, department, username="target", window_staff=True)
    return {
        "director": director,
        "supervisor": supervisor,
        "clerk": clerk,
        "dept_leader": dept_leader,
        "target": target,
        "outsider": outsider,
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTORS), st.sampled_from(A.values)), min_size=1, max_size=12
    )
)
def test_offered_actions_are_what_the_services_accept(people, county, department, steps):
    with transaction.atomic():
        pk = make_complaint(people["director"], county, target=people["target"]).pk
        for who, action in steps:
            complaint = Complaint.objects.select_related("center").get(pk=pk)
            user = people[who]
            offered = {row.action for row in complaint_actions(user, complaint)}
            before = snapshot(pk)
            try:
                with transaction.atomic():
                    act(action, user, complaint, department.pk)
            except ValidationError as refusal:
                assert action not in offered, f"{who} {action} offered but refused: {refusal}"
                assert refusal.messages and all(refusal.messages)
                assert snapshot(pk) == before, "a refused step changed the complaint"
                continue
            assert action in offered, f"{who} {action} on {before['status']} accepted"
            assert who not in ("target", "outsider")
            after = snapshot(pk)
            row = COMPLAINT_TRANSITIONS.row(before["status"], action)
            assert row is not None and after["status"] == row.next_state
            assert after["version"] == before["version"] + 1
        transaction.set_rollback(True)


def test_the_table_names_every_status_and_action():
    states = {row.state for row in COMPLAINT_TRANSITIONS} | {
        row.next_state for row in COMPLAINT_TRANSITIONS
    }
    assert states <= set(ComplaintStatus.values)
    assert {row.action for row in COMPLAINT_TRANSITIONS} == set(A.values)
    assert not [row for row in COMPLAINT_TRANSITIONS if row.state == ComplaintStatus.CLOSED]
