"""Leave requests and their approval (SPEC §8). Every change is atomic, validated and logged.

A request is for the actor themself. It is decided by the head of a window where the requester
holds a post, or by center management; from 2 working days on only by center management.
Decisions lock the row, so two approvers at once cannot both decide.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.org.models import Staff
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.queries.leave import (
    OPEN_STATUSES,
    last_local_day,
    may_decide,
    may_decide_finally,
)
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


def _lock_pending(leave: Leave) -> Leave:
    locked = (
        Leave.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=leave.pk)
    )
    if locked.status != LeaveStatus.PENDING:
        decider = locked.decided_by.display_name if locked.decided_by else ""
        raise ValidationError(
            _("This request was already decided: %(status)s %(by)s.")
            % {"status": locked.get_status_display(), "by": decider}
        )
    return locked


def _check_decider(actor: User, leave: Leave) -> None:
    if leave.user_id == actor.pk:
        raise ValidationError(_("Nobody approves their own leave."))
    if not may_decide(actor, leave):
        if leave.needs_management:
            raise ValidationError(
                _("Leave of 2 working days or more is decided by center management.")
            )
        raise ValidationError(_("You may not decide this leave request."))


def _decide(
    *, actor: User, leave: Leave, status: str, note: str, at: datetime.datetime | None
) -> Leave:
    locked = _lock_pending(leave)
    _check_decider(actor, locked)
    if status == LeaveStatus.APPROVED and not may_decide_finally(actor, locked):
        return _endorse(actor=actor, leave=leave, locked=locked, note=note, at=at)
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": [
                    _("The note is too long (at most %(max)d characters).")
                    % {"max": NOTE_MAX_LENGTH}
                ]
            }
        )
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = at or timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    record_event(
        actor=actor,
        action=f"leave.{'approve' if status == LeaveStatus.APPROVED else 'reject'}",
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
    *, actor: User, leave: Leave, locked: Leave, note: str, at: datetime.datetime | None
) -> Leave:
    """The window head's approval of a long leave: it stays pending for center management."""
    locked.head_approved_by = actor
    locked.head_approved_at = at or timezone.now()
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
def leave_approve(
    *, actor: User, leave: Leave, note: str = "", at: datetime.datetime | None = None
) -> Leave:
    approved = _decide(
        actor=actor, leave=leave, status=LeaveStatus.APPROVED, note=(note or "").strip(), at=at
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
    return _decide(actor=actor, leave=leave, status=LeaveStatus.REJECTED, note=note, at=at)


@transaction.atomic
def leave_cancel(*, actor: User, leave: Leave, at: datetime.datetime | None = None) -> Leave:
    """The requester withdraws a pending request, or an approved leave that has not started."""
    now = at or timezone.now()
    locked = Leave.objects.select_for_update().get(pk=leave.pk)
    if locked.user_id != actor.pk:
        raise ValidationError(_("Only the requester can cancel a leave."))
    if locked.status == LeaveStatus.APPROVED:
        if locked.starts_at <= now:
            raise ValidationError(_("This leave has already started; it cannot be cancelled."))
    elif locked.status != LeaveStatus.PENDING:
        raise ValidationError(
            _("This request is %(status)s; it cannot be cancelled.")
            % {"status": locked.get_status_display()}
        )
    previous = locked.status
    locked.status = LeaveStatus.CANCELLED
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
