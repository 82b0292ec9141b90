"""Leave requests and their approval (SPEC §8). Every change is atomic, validated and logged.

A request is for the actor themself. It is decided by the head of a window where the requester
holds a post, or by center management; from 2 working days on only by center management.
Decisions lock the row, so two approvers at once cannot both decide. Every change after the
request is checked against the leave state machine, `govhall/staffing/leave_transitions.py`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.models import Staff
from govhall.staffing.events import LEAVE_DECISION_EVENTS, StaffingEvent
from govhall.staffing.leave_transitions import (
    DECISIONS,
    LEAVE_TRANSITIONS,
    LeaveAction,
    LeaveParty,
)
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.queries.leave import OPEN_STATUSES, LeaveViewer, last_local_day
from govhall.staffing.services import presence as presence_services
from govhall.staffing.services.errors import StaleDecision
from govhall.workdays.queries.calendar import calendar_for

# SPEC §8: from this many working days on, center management decides.
MANAGEMENT_FROM_WORKDAYS = 2
REASON_MAX_LENGTH = Leave._meta.get_field("reason").max_length or 300
NOTE_MAX_LENGTH = Leave._meta.get_field("decision_note").max_length or 300


def leave_working_days(
    center_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> int:
    """Working days of the center's calendar touched by the period (local days)."""
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at - datetime.timedelta(microseconds=1)).date()
    return calendar_for(center_id).count_workdays(first, last)


@transaction.atomic
def leave_request(
    *,
    actor: User,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    at: datetime.datetime | None = None,
) -> Leave:
    """Ask for leave for oneself. Every error of the request is collected before refusing."""
    now = at or timezone.now()
    staff = Staff.objects.select_related("center").filter(user_id=actor.pk).first()
    if staff is None:
        raise ValidationError(_("Only staff of a center can ask for leave."))
    errors = FieldErrors()
    errors.choice("kind", kind, LeaveKind.values, message=_("Choose a kind of leave."))
    reason = errors.text(
        "reason", reason, max_length=REASON_MAX_LENGTH, required=_("Give the reason for the leave.")
    )
    period_ok = ends_at > starts_at
    if not period_ok:
        errors.add("ends_at", _("The leave must end after it starts."))
    if timezone.localtime(starts_at).date() < timezone.localtime(now).date():
        errors.add("starts_at", _("Leave cannot start before today."))
        period_ok = False
    working_days = 0
    if period_ok:
        # Lock the requester's open leaves so two requests at once cannot both pass the overlap
        # check.
        overlapping = (
            Leave.objects.select_for_update()
            .filter(
                user_id=actor.pk,
                status__in=OPEN_STATUSES,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            .first()
        )
        if overlapping is not None:
            errors.add(
                "starts_at",
                _("This overlaps your %(status)s leave from %(start)s to %(end)s.")
                % {
                    "status": overlapping.get_status_display(),
                    "start": timezone.localtime(overlapping.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(overlapping.ends_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
        try:
            working_days = leave_working_days(staff.center_id, starts_at, ends_at)
        except ValueError as exc:  # outside the calendar's range
            errors.add("ends_at", str(exc))
    errors.raise_if_any()
    leave = Leave.objects.create(
        user=actor,
        center=staff.center,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        working_days=working_days,
        needs_management=working_days >= MANAGEMENT_FROM_WORKDAYS,
    )
    record_event(
        actor=actor,
        action=StaffingEvent.LEAVE_REQUEST,
        obj=leave,
        center_id=staff.center_id,
        data={
            "kind": kind,
            "working_days": working_days,
            "needs_management": leave.needs_management,
        },
    )
    return leave


# --- the state machine (govhall/staffing/leave_transitions.py) --------------------------------


def _management_decides() -> str:
    return _("Leave of 2 working days or more is decided by center management.")


# A guard answers why not ("" when it passes) and whether the refusal is stale: the leave
# changed since the caller looked (the head has endorsed it meanwhile), which the API answers
# with 409 instead of 422.
Refusal = tuple[str, bool]
PASS: Refusal = ("", False)


def _guard_final_decision(leave: Leave, parties: frozenset[str], now: datetime.datetime) -> Refusal:
    if leave.needs_management and LeaveParty.MANAGER not in parties:
        return _management_decides(), False
    return PASS


def _guard_awaits_endorsement(
    leave: Leave, parties: frozenset[str], now: datetime.datetime
) -> Refusal:
    if not leave.needs_management:
        return _("Leave of less than 2 working days needs no endorsement; decide it."), False
    if leave.head_approved_by_id is not None:
        return _("The window head has already endorsed this leave."), True
    return PASS


def _guard_head_acts_once(leave: Leave, parties: frozenset[str], now: datetime.datetime) -> Refusal:
    if leave.head_approved_by_id is not None and LeaveParty.MANAGER not in parties:
        return _management_decides(), True
    return PASS


def _guard_not_started(leave: Leave, parties: frozenset[str], now: datetime.datetime) -> Refusal:
    if leave.starts_at <= now:
        return _("This leave has already started; it cannot be cancelled."), False
    return PASS


LEAVE_GUARDS = {
    "final_decision": _guard_final_decision,
    "awaits_endorsement": _guard_awaits_endorsement,
    "head_acts_once": _guard_head_acts_once,
    "not_started": _guard_not_started,
}


def _who_refusal(leave: Leave, action: str, parties: frozenset[str]) -> str:
    if action not in DECISIONS:
        return _("Only the requester can cancel a leave.")
    if LeaveParty.REQUESTER in parties:
        return _("Nobody approves their own leave.")
    if leave.needs_management:
        return _management_decides()
    return _("You may not decide this leave request.")


def _refusal(
    actor: object,
    leave: Leave,
    action: str,
    now: datetime.datetime | None = None,
    *,
    viewer: LeaveViewer | None = None,
) -> Refusal | None:
    """`leave_refusal`, with whether the refusal is stale (the leave's status, or the head's
    endorsement, no longer allows what the actor's page offered)."""
    moment = now or timezone.now()
    row = LEAVE_TRANSITIONS.row(leave.status, action)
    if row is None and action in DECISIONS:
        decider = leave.decided_by.display_name if leave.decided_by is not None else ""
        return _("This request was already decided: %(status)s %(by)s.") % {
            "status": leave.get_status_display(),
            "by": decider,
        }, True
    parties = (viewer or LeaveViewer(actor)).parties(leave)
    if not parties & LEAVE_TRANSITIONS.who_may(action):
        return _who_refusal(leave, action, parties), False
    if row is None:
        return _("This request is %(status)s; it cannot be cancelled.") % {
            "status": leave.get_status_display()
        }, True
    if not parties & row.who:
        return _who_refusal(leave, action, parties), False
    if row.guard:
        message, stale = LEAVE_GUARDS[row.guard](leave, parties, moment)
        return (message, stale) if message else None
    return None


def leave_refusal(
    actor: object,
    leave: Leave,
    action: str,
    now: datetime.datetime | None = None,
    *,
    viewer: LeaveViewer | None = None,
) -> str | None:
    """Why `actor` may not take `action` on `leave` now (the transition table, its parties and
    guards), or None when allowed."""
    refusal = _refusal(actor, leave, action, now, viewer=viewer)
    return refusal[0] if refusal else None


def leave_actions(
    user: object,
    leave: Leave,
    at: datetime.datetime | None = None,
    *,
    viewer: LeaveViewer | None = None,
) -> list[Transition]:
    """The rows of the leave table `user` may take on `leave` now (the buttons of the leave
    page and the API's `actions`): exactly what the services accept."""
    moment = at or timezone.now()
    viewer = viewer or LeaveViewer(user)
    return [
        row
        for row in LEAVE_TRANSITIONS.rows_from(leave.status)
        if leave_refusal(user, leave, row.action, moment, viewer=viewer) is None
    ]


def _lock(leave: Leave) -> Leave:
    return (
        Leave.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=leave.pk)
    )


def _raise(refusal: Refusal) -> None:
    message, stale = refusal
    raise StaleDecision(message, code="stale") if stale else ValidationError(message)


def _refuse_unless_allowed(actor: User, locked: Leave, action: str, now: datetime.datetime) -> None:
    refusal = _refusal(actor, locked, action, now)
    if refusal:
        _raise(refusal)


def _decide(
    *, actor: User, leave: Leave, action: str, note: str, at: datetime.datetime | None
) -> Leave:
    now = at or timezone.now()
    locked = _lock(leave)
    if action == LeaveAction.APPROVE:
        refusal = _refusal(actor, locked, LeaveAction.APPROVE, now)
        # A head's approval of a long leave endorses it for center management.
        if refusal and _refusal(actor, locked, LeaveAction.ENDORSE, now) is None:
            return _endorse(actor=actor, leave=leave, locked=locked, note=note, at=now)
        if refusal:
            _raise(refusal)
    else:
        _refuse_unless_allowed(actor, locked, action, now)
    row = LEAVE_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    locked.status = row.next_state
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    record_event(
        actor=actor,
        action=LEAVE_DECISION_EVENTS[action],
        obj=locked,
        center_id=locked.center_id,
        note=note,
    )
    # Keep the caller's object in step with the row.
    leave.status, leave.decided_by, leave.decided_at, leave.decision_note = (
        locked.status,
        locked.decided_by,
        locked.decided_at,
        locked.decision_note,
    )
    return locked


def _endorse(
    *, actor: User, leave: Leave, locked: Leave, note: str, at: datetime.datetime
) -> Leave:
    """The window head's approval of a long leave: it stays pending for center management."""
    locked.head_approved_by = actor
    locked.head_approved_at = at
    locked.save(update_fields=["head_approved_by", "head_approved_at", "updated_at"])
    record_event(
        actor=actor,
        action=StaffingEvent.LEAVE_ENDORSE,
        obj=locked,
        center_id=locked.center_id,
        note=note,
    )
    leave.head_approved_by, leave.head_approved_at = (
        locked.head_approved_by,
        locked.head_approved_at,
    )
    return locked


@transaction.atomic
def leave_endorse(
    *, actor: User, leave: Leave, note: str = "", at: datetime.datetime | None = None
) -> Leave:
    """The window head endorses a leave of 2 working days or more for center management (what
    `leave_approve` does when the head approves such a leave)."""
    now = at or timezone.now()
    errors = FieldErrors()
    note = errors.text("note", note, max_length=NOTE_MAX_LENGTH)
    errors.raise_if_any()
    locked = _lock(leave)
    _refuse_unless_allowed(actor, locked, LeaveAction.ENDORSE, now)
    return _endorse(actor=actor, leave=leave, locked=locked, note=note, at=now)


@transaction.atomic
def leave_approve(
    *, actor: User, leave: Leave, note: str = "", at: datetime.datetime | None = None
) -> Leave:
    errors = FieldErrors()
    note = errors.text("note", note, max_length=NOTE_MAX_LENGTH)
    errors.raise_if_any()
    approved = _decide(actor=actor, leave=leave, action=LeaveAction.APPROVE, note=note, at=at)
    # B's cover starts when A's leave is approved (issue 5 item 3): the delegation records are
    # written in the same transaction, so an approval never stands without them.
    if approved.status == LeaveStatus.APPROVED:
        presence_services.delegation_open_for_leave(actor=actor, leave=approved)
    return approved


@transaction.atomic
def leave_reject(
    *, actor: User, leave: Leave, note: str, at: datetime.datetime | None = None
) -> Leave:
    errors = FieldErrors()
    note = errors.text(
        "note", note, max_length=NOTE_MAX_LENGTH, required=_("Say why the request is rejected.")
    )
    errors.raise_if_any()
    return _decide(actor=actor, leave=leave, action=LeaveAction.REJECT, note=note, at=at)


@transaction.atomic
def leave_cancel(*, actor: User, leave: Leave, at: datetime.datetime | None = None) -> Leave:
    """The requester withdraws a pending request, or an approved leave that has not started."""
    now = at or timezone.now()
    locked = _lock(leave)
    _refuse_unless_allowed(actor, locked, LeaveAction.CANCEL, now)
    row = LEAVE_TRANSITIONS.row(locked.status, LeaveAction.CANCEL)
    assert row is not None and row.next_state is not None
    previous = locked.status
    locked.status = row.next_state
    locked.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        action=StaffingEvent.LEAVE_CANCEL,
        obj=locked,
        center_id=locked.center_id,
        data={"previous_status": previous, "last_day": last_local_day(locked).isoformat()},
    )
    leave.status = locked.status
    return locked
