"""Leave requests and their approval (SPEC §8). Every change is atomic, validated and logged.

A request is for the actor themself. It is decided by the head of a window where the requester
holds a post, or by center management; from 2 working days on only by center management.
Decisions lock the row, so two approvers at once cannot both decide. Every change after the
request is checked against the leave state machine, `govhall/staffing/leave_transitions.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.models import Center, Staff
from govhall.staffing.events import LEAVE_DECISION_EVENTS, StaffingEvent
from govhall.staffing.leave_transitions import (
    DECISIONS,
    LEAVE_TRANSITIONS,
    LeaveAction,
    LeaveParty,
)
from govhall.staffing.models import Delegation
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.models.presence import DelegationReason
from govhall.staffing.queries.leave import OPEN_STATUSES, LeaveViewer, last_local_day
from govhall.staffing.queries.leave_cover import (
    leave_affected_posts,
    leave_cover_plan,
    leave_sessions,
)
from govhall.staffing.services import presence as presence_services
from govhall.staffing.services.errors import StaleDecision

# SPEC §8: from this many working days on, center management decides; below, the window head.
# Leave length counts half days (issue 16 item 2): the half-day service sessions (morning,
# afternoon of the center's service hours on its working days) the leave touches, two per
# working day, so 15:00 Monday to 10:00 Tuesday is one day, not two.
MANAGEMENT_FROM_WORKDAYS = 2
MANAGEMENT_FROM_HALF_DAYS = 2 * MANAGEMENT_FROM_WORKDAYS
REASON_MAX_LENGTH = Leave._meta.get_field("reason").max_length or 300
NOTE_MAX_LENGTH = Leave._meta.get_field("decision_note").max_length or 300


def leave_half_days(
    center_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> int:
    """Half-day service sessions of the center the period touches (see above). Raises
    ValueError for days outside the work calendar's range."""
    center = Center.objects.get(pk=center_id)
    return len(leave_sessions(center, starts_at, ends_at))


def leave_working_days(
    center_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> Decimal:
    """The leave's length in working days, counted in half days."""
    return Decimal(leave_half_days(center_id, starts_at, ends_at)) / 2


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
    half_days = 0
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
            half_days = leave_half_days(staff.center_id, starts_at, ends_at)
        except ValueError as exc:  # outside the calendar's range
            errors.add("ends_at", str(exc))
    errors.raise_if_any()
    working_days = Decimal(half_days) / 2
    leave = Leave.objects.create(
        user=actor,
        center=staff.center,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        working_days=working_days,
        needs_management=half_days >= MANAGEMENT_FROM_HALF_DAYS,
    )
    record_event(
        actor=actor,
        action=StaffingEvent.LEAVE_REQUEST,
        obj=leave,
        center_id=staff.center_id,
        data={
            "kind": kind,
            "working_days": float(working_days),
            "half_days": half_days,
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


# --- the cover fixed before the leave is granted (issue 16 item 2) ------------------------------


def _cover_refusal(leave: Leave, cover: User) -> str:
    """Why `cover` cannot be named as cover for `leave` ("" when they can)."""
    if cover.pk == leave.user_id:
        return _("The cover must be someone other than the person on leave.")
    if not (
        cover.is_active
        and Staff.objects.filter(
            user_id=cover.pk, center_id=leave.center_id, is_window_staff=True
        ).exists()
    ):
        return _("%(name)s is not window staff of this center.") % {"name": cover.display_name}
    if (
        Leave.objects.filter(
            user_id=cover.pk,
            status=LeaveStatus.APPROVED,
            starts_at__lt=leave.ends_at,
            ends_at__gt=leave.starts_at,
        )
        .exclude(pk=leave.pk)
        .exists()
    ):
        return _("%(name)s is on leave during this leave too.") % {"name": cover.display_name}
    return ""


def _fix_covers(
    leave: Leave, covers: Mapping[int, User] | None, cover: User | None
) -> dict[int, User]:
    """The covers to name for `leave`, by post: those proposed per post (`covers`), and `cover`
    for every other post nobody would serve. Refused, with nothing changed, when a proposed
    cover cannot serve or a post would still be left empty during service hours."""
    errors = FieldErrors()
    posts = leave_affected_posts(leave)
    by_pk = {post.pk: post for post in posts}
    named: dict[int, User] = {}
    for post_id, person in (covers or {}).items():
        if post_id not in by_pk:
            errors.add(
                "covers", _("Post #%(post)s is not a post of this leave.") % {"post": post_id}
            )
            continue
        why = _cover_refusal(leave, person)
        if why:
            errors.add("covers", why)
        named[post_id] = person
    if cover is not None:
        why = _cover_refusal(leave, cover)
        if why:
            errors.add("cover", why)
    errors.raise_if_any()
    if cover is not None:
        for row in leave_cover_plan(leave, named, posts=posts):
            if row.needs_cover:
                named[row.post.pk] = cover
    empty = [row for row in leave_cover_plan(leave, named, posts=posts) if row.needs_cover]
    if empty:
        first = min(row.empty_at for row in empty if row.empty_at is not None)
        errors.add(
            "covers",
            _("Name a cover first: nobody would serve %(posts)s during this leave (from %(when)s).")
            % {
                "posts": "、".join(str(row.post) for row in empty),
                "when": timezone.localtime(first).strftime("%Y-%m-%d %H:%M"),
            },
        )
    errors.raise_if_any()
    return named


def _name_covers(*, actor: User, leave: Leave, named: Mapping[int, User]) -> None:
    """Write the cover records (AB岗责任制委托书) of the covers named at approval."""
    records = Delegation.objects.bulk_create(
        [
            Delegation(
                post_id=post_id,
                absent_user_id=leave.user_id,
                cover_user=person,
                reason=DelegationReason.NAMED,
                starts_at=leave.starts_at,
                ends_at=leave.ends_at,
                leave=leave,
            )
            for post_id, person in named.items()
        ]
    )
    for record in records:
        record_event(
            actor=actor,
            action=StaffingEvent.DELEGATION_OPEN,
            obj=record,
            center_id=leave.center_id,
            data={"leave_id": leave.pk, "cover_id": record.cover_user_id, "named": True},
        )


def _decide(
    *,
    actor: User,
    leave: Leave,
    action: str,
    note: str,
    at: datetime.datetime | None,
    covers: Mapping[int, User] | None = None,
    cover: User | None = None,
) -> Leave:
    now = at or timezone.now()
    locked = _lock(leave)
    named: dict[int, User] = {}
    if action == LeaveAction.APPROVE:
        refusal = _refusal(actor, locked, LeaveAction.APPROVE, now)
        if refusal:
            # A head's approval of a long leave endorses it for center management.
            endorsing = _refusal(actor, locked, LeaveAction.ENDORSE, now)
            if endorsing is None:
                return _endorse(actor=actor, leave=leave, locked=locked, note=note, at=now)
            # The head who endorsed it already clicks again: stale, answered as a conflict.
            _raise(endorsing if endorsing[1] and not refusal[1] else refusal)
        # Granted only once every post it touches has someone to serve it (issue 16 item 2).
        named = _fix_covers(locked, covers, cover)
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
        data={"covers": {str(post_id): person.pk for post_id, person in named.items()}}
        if named
        else None,
    )
    if named:
        _name_covers(actor=actor, leave=locked, named=named)
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
    *,
    actor: User,
    leave: Leave,
    note: str = "",
    covers: Mapping[int, User] | None = None,
    cover: User | None = None,
    at: datetime.datetime | None = None,
) -> Leave:
    """Approve a leave (or, for the window head of a long one, endorse it). A leave that would
    leave a post empty during service hours is granted only with a cover named for it:
    `covers` per post id, or one `cover` for every such post (seeds/000… 篇5 考勤 4); the
    approver sees the plan first (`govhall.staffing.queries.leave_cover.leave_cover_plan`)."""
    errors = FieldErrors()
    note = errors.text("note", note, max_length=NOTE_MAX_LENGTH)
    errors.raise_if_any()
    approved = _decide(
        actor=actor,
        leave=leave,
        action=LeaveAction.APPROVE,
        note=note,
        at=at,
        covers=covers,
        cover=cover,
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
    # A cover named for the leave no longer stands in (it never started: zero length).
    Delegation.objects.filter(leave=locked, reason=DelegationReason.NAMED).update(
        ends_at=F("starts_at")
    )
    record_event(
        actor=actor,
        action=StaffingEvent.LEAVE_CANCEL,
        obj=locked,
        center_id=locked.center_id,
        data={"previous_status": previous, "last_day": last_local_day(locked).isoformat()},
    )
    leave.status = locked.status
    return locked
