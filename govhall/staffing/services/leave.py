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
from govhall.org.models import Staff
from govhall.staffing.leave_transitions import (
    DECISIONS,
    LEAVE_TRANSITIONS,
    LeaveAction,
    LeaveParty,
)
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.queries.leave import OPEN_STATUSES, LeaveViewer, last_local_day
from govhall.staffing.services import presence as presence_services
from govhall.workdays.queries import calendar_for

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
    """Ask for leave for oneself."""
    now = at or timezone.now()
    errors: dict[str, list[str]] = {}
    staff = Staff.objects.select_related("center").filter(user_id=actor.pk).first()
    if staff is None:
        raise ValidationError(_("Only staff of a center can ask for leave."))
    reason = (reason or "").strip()
    if kind not in LeaveKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of leave."))
    if not reason:
        errors.setdefault("reason", []).append(_("Give the reason for the leave."))
    elif len(reason) > REASON_MAX_LENGTH:
        errors.setdefault("reason", []).append(
            _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX_LENGTH}
        )
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The leave must end after it starts."))
    if timezone.localtime(starts_at).date() < timezone.localtime(now).date():
        errors.setdefault("starts_at", []).append(_("Leave cannot start before today."))
    if errors:
        raise ValidationError(errors)
    # Lock the requester's open leaves so two requests at once cannot both pass the overlap check.
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
        raise ValidationError(
            {
                "starts_at": [
                    _("This overlaps your %(status)s leave from %(start)s to %(end)s.")
                    % {
                        "status": overlapping.get_status_display(),
                        "start": timezone.localtime(overlapping.starts_at).strftime(
                            "%Y-%m-%d %H:%M"
                        ),
                        "end": timezone.localtime(overlapping.ends_at).strftime("%Y-%m-%d %H:%M"),
                    }
                ]
            }
        )
    try:
        working_days = leave_working_days(staff.center_id, starts_at, ends_at)
    except ValueError as exc:  # outside the calendar's range
        raise ValidationError({"ends_at": [str(exc)]}) from None
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
        action="leave.request",
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


def _guard_final_decision(leave: Leave, parties: frozenset[str], now: datetime.datetime) -> str:
    if leave.needs_management and LeaveParty.MANAGER not in parties:
        return _management_decides()
    return ""


def _guard_awaits_endorsement(leave: Leave, parties: frozenset[str], now: datetime.datetime) -> str:
    if not leave.needs_management:
        return _("Leave of less than 2 working days needs no endorsement; decide it.")
    if leave.head_approved_by_id is not None:
        return _("The window head has already endorsed this leave.")
    return ""


def _guard_head_acts_once(leave: Leave, parties: frozenset[str], now: datetime.datetime) -> str:
    if leave.head_approved_by_id is not None and LeaveParty.MANAGER not in parties:
        return _management_decides()
    return ""


def _guard_not_started(leave: Leave, parties: frozenset[str], now: datetime.datetime) -> str:
    if leave.starts_at <= now:
        return _("This leave has already started; it cannot be cancelled.")
    return ""


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
    moment = now or timezone.now()
    row = LEAVE_TRANSITIONS.row(leave.status, action)
    if row is None and action in DECISIONS:
        decider = leave.decided_by.display_name if leave.decided_by is not None else ""
        return _("This request was already decided: %(status)s %(by)s.") % {
            "status": leave.get_status_display(),
            "by": decider,
        }
    parties = (viewer or LeaveViewer(actor)).parties(leave)
    if not parties & LEAVE_TRANSITIONS.who_may(action):
        return _who_refusal(leave, action, parties)
    if row is None:
        return _("This request is %(status)s; it cannot be cancelled.") % {
            "status": leave.get_status_display()
        }
    if not parties & row.who:
        return _who_refusal(leave, action, parties)
    if row.guard:
        return LEAVE_GUARDS[row.guard](leave, parties, moment) or None
    return None


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


def _refuse_unless_allowed(actor: User, locked: Leave, action: str, now: datetime.datetime) -> None:
    refusal = leave_refusal(actor, locked, action, now)
    if refusal:
        raise ValidationError(refusal)


def _decide(
    *, actor: User, leave: Leave, action: str, note: str, at: datetime.datetime | None
) -> Leave:
    now = at or timezone.now()
    locked = _lock(leave)
    if action == LeaveAction.APPROVE:
        refusal = leave_refusal(actor, locked, LeaveAction.APPROVE, now)
        # A head's approval of a long leave endorses it for center management.
        if refusal and leave_refusal(actor, locked, LeaveAction.ENDORSE, now) is None:
            return _endorse(actor=actor, leave=leave, locked=locked, note=note, at=now)
        if refusal:
            raise ValidationError(refusal)
    else:
        _refuse_unless_allowed(actor, locked, action, now)
    row = LEAVE_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": [
                    _("The note is too long (at most %(max)d characters).")
                    % {"max": NOTE_MAX_LENGTH}
                ]
            }
        )
    locked.status = row.next_state
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    record_event(
        actor=actor,
        action=f"leave.{action}",
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
        actor=actor, action="leave.head_approve", obj=locked, center_id=locked.center_id, note=note
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
    locked = _lock(leave)
    _refuse_unless_allowed(actor, locked, LeaveAction.ENDORSE, now)
    return _endorse(actor=actor, leave=leave, locked=locked, note=(note or "").strip(), at=now)


@transaction.atomic
def leave_approve(
    *, actor: User, leave: Leave, note: str = "", at: datetime.datetime | None = None
) -> Leave:
    approved = _decide(
        actor=actor, leave=leave, action=LeaveAction.APPROVE, note=(note or "").strip(), at=at
    )
    # B's cover starts when A's leave is approved (issue 5 item 3): the delegation records are
    # written in the same transaction, so an approval never stands without them.
    if approved.status == LeaveStatus.APPROVED:
        presence_services.delegation_open_for_leave(actor=actor, leave=approved)
    return approved


@transaction.atomic
def leave_reject(
    *, actor: User, leave: Leave, note: str, at: datetime.datetime | None = None
) -> Leave:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say why the request is rejected.")]})
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
        action="leave.cancel",
        obj=locked,
        center_id=locked.center_id,
        data={"previous_status": previous, "last_day": last_local_day(locked).isoformat()},
    )
    leave.status = locked.status
    return locked
