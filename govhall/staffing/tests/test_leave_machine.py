"""The leave state machine (staffing/leave_transitions.py) under random use.

Two requests of the clerk (one day: the window head decides; three working days: the head
endorses, management decides) and one of the window head (management decides) are acted on by
the clerk, the head, the director and a colleague, in random order, at random moments (before
or after the leave starts). After every step:

- the buttons are what the service accepts: an action `leave_actions` offers succeeds, one it
  does not offer is refused (approving covers the head's endorsement, as on the page);
- a refused step changes nothing;
- every status change is a row of the transition table.

Each example runs in a savepoint rolled back at its end.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.roles import Role
from govhall.staffing.leave_transitions import LEAVE_TRANSITIONS, LeaveAction
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.services.leave import (
    leave_actions,
    leave_approve,
    leave_cancel,
    leave_endorse,
    leave_reject,
    leave_request,
)
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)
NOW = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=TZ)
LEAVES = ("short", "long", "head")
ACTORS = ("clerk", "head", "director", "colleague")
ACTIONS = tuple(LeaveAction.values)


def moment(day: str, clock: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


def snapshot(pk: int) -> dict[str, Any]:
    row = Leave.objects.filter(pk=pk).values().get()
    row.pop("updated_at")
    return row


def act(action: str, user: Any, leave: Leave, at: datetime.datetime) -> None:
    if action == LeaveAction.APPROVE:
        leave_approve(actor=user, leave=leave, note="同意", at=at)
    elif action == LeaveAction.ENDORSE:
        leave_endorse(actor=user, leave=leave, note="同意", at=at)
    elif action == LeaveAction.REJECT:
        leave_reject(actor=user, leave=leave, note="人手不足", at=at)
    else:
        leave_cancel(actor=user, leave=leave, at=at)


@pytest.fixture
def hall(county, department, clerk, window_head, director):
    window = WindowFactory(center=county, head=window_head, name="市场监管综合窗口")
    window.departments.add(department)
    PostFactory(window=window, name="登记受理岗", a_staff=clerk)
    colleague = make_staff(Role.CLERK, county, department, username="colleague", window_staff=True)
    users = {"clerk": clerk, "head": window_head, "director": director, "colleague": colleague}
    return users


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(LEAVES),
            st.sampled_from(ACTORS),
            st.sampled_from(ACTIONS),
            st.booleans(),
        ),
        min_size=1,
        max_size=14,
    )
)
def test_offered_actions_are_what_the_services_accept(hall, steps):
    users = hall
    with transaction.atomic():
        leaves = {
            "short": leave_request(
                actor=users["clerk"],
                kind=LeaveKind.PERSONAL,
                starts_at=moment("2026-09-02", "08:30"),
                ends_at=moment("2026-09-02", "17:30"),
                reason="家中有事",
                at=NOW,
            ),
            "long": leave_request(
                actor=users["clerk"],
                kind=LeaveKind.ANNUAL,
                starts_at=moment("2026-09-07", "08:30"),
                ends_at=moment("2026-09-09", "17:30"),
                reason="年休",
                at=NOW,
            ),
            "head": leave_request(
                actor=users["head"],
                kind=LeaveKind.SICK,
                starts_at=moment("2026-09-03", "08:30"),
                ends_at=moment("2026-09-03", "17:30"),
                reason="看病",
                at=NOW,
            ),
        }
        assert leaves["long"].needs_management and not leaves["short"].needs_management
        for which, who, action, started in steps:
            pk = leaves[which].pk
            leave = Leave.objects.select_related("decided_by").get(pk=pk)
            user = users[who]
            at = leave.starts_at + datetime.timedelta(hours=1) if started else NOW
            offered = {row.action for row in leave_actions(user, leave, at)}
            before = snapshot(pk)
            expected = action in offered or (
                action == LeaveAction.APPROVE and LeaveAction.ENDORSE in offered
            )
            try:
                with transaction.atomic():
                    act(action, user, leave, at)
            except ValidationError as refusal:
                assert not expected, f"{who} {action} offered but refused: {refusal.messages}"
                assert refusal.messages and all(refusal.messages)
                assert snapshot(pk) == before, "a refused step changed the leave"
                continue
            assert expected, f"{who} {action} on {before['status']} accepted but not offered"
            after = snapshot(pk)
            taken = (
                LeaveAction.ENDORSE
                if action == LeaveAction.APPROVE and LeaveAction.APPROVE not in offered
                else action
            )
            row = LEAVE_TRANSITIONS.row(before["status"], taken)
            assert row is not None and after["status"] == row.next_state
            if taken == LeaveAction.ENDORSE:
                assert after["head_approved_by_id"] == user.pk
        transaction.set_rollback(True)


def test_the_table_names_every_status_and_action():
    states = {row.state for row in LEAVE_TRANSITIONS} | {
        row.next_state for row in LEAVE_TRANSITIONS
    }
    assert states <= set(LeaveStatus.values)
    assert {row.action for row in LEAVE_TRANSITIONS} == set(LeaveAction.values)
    # Nothing leaves a final status.
    finals = {LeaveStatus.REJECTED, LeaveStatus.CANCELLED}
    assert not [row for row in LEAVE_TRANSITIONS if row.state in finals]
