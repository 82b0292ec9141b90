"""Joint meetings of the stationed departments (驻厅单位联席会议, seeds/000… 篇3 四).

Entry points:
def meeting_plan(*, actor, center, held_at, place, agenda, chair=None) -> JointMeeting
def meeting_act(*, actor, meeting, action) -> JointMeeting           (MEETING_TRANSITIONS)
def meeting_attendance_save(*, actor, meeting, rows) -> int
def meeting_minutes_save(*, actor, meeting, minutes) -> JointMeeting
def decision_add(*, actor, meeting, text, department, due_on) -> MeetingDecision
def decision_act(*, actor, decision, action, note="") -> MeetingDecision (DECISION_TRANSITIONS)

A manager of the center plans a meeting, marks it held, records who came for each stationed
department (one row per department), writes the minutes and the decisions (each owned by a
department of the center, with a due date), then publishes the minutes (not without minutes).
A decision is marked done by a manager or by the leader of its own department, or dropped by a
manager with a note. Every write is atomic with its event; a refusal changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors, StateRefusal, refusal_error
from govhall.hallops.access.hallops import can_run_center, center_parties, decision_parties
from govhall.hallops.events import HallOpsEvent
from govhall.hallops.models import (
    JointMeeting,
    MeetingAttendance,
    MeetingDecision,
    MeetingStatus,
    Presence,
)
from govhall.hallops.transitions import (
    DECISION_TRANSITIONS,
    MEETING_EDITABLE_STATES,
    MEETING_TRANSITIONS,
    DecisionAction,
    MeetingAction,
)
from govhall.org.models import Center, Department, Staff

PLACE_MAX = 100
AGENDA_MAX = 5000
MINUTES_MAX = 20000
DECISION_MAX = 500
NOTE_MAX = 300
NAME_MAX = 50

_EVENT_OF_MEETING_ACTION = {
    MeetingAction.HOLD: HallOpsEvent.MEETING_HOLD,
    MeetingAction.PUBLISH: HallOpsEvent.MEETING_PUBLISH,
    MeetingAction.CANCEL: HallOpsEvent.MEETING_CANCEL,
}
_EVENT_OF_DECISION_ACTION = {
    DecisionAction.DONE: HallOpsEvent.DECISION_DONE,
    DecisionAction.DROP: HallOpsEvent.DECISION_DROP,
}


@dataclass(frozen=True)
class AttendanceDraft:
    """One department's line of the attendance form."""

    department_id: int
    presence: str
    attendee_name: str = ""


def _check_runner(actor: User | None, center_id: int) -> None:
    if not can_run_center(actor, center_id):
        raise ValidationError(_("You may not run the joint meetings of this center."))


def _check_editable(meeting: JointMeeting) -> None:
    if meeting.status not in MEETING_EDITABLE_STATES:
        raise refusal_error(
            StateRefusal(
                _(
                    "Attendance, minutes and decisions are written after the meeting is held,"
                    " until its minutes are published."
                )
            )
        )


def _locked(meeting: JointMeeting) -> JointMeeting:
    return JointMeeting.objects.select_for_update().get(pk=meeting.pk)


def center_departments(center_id: int) -> list[Department]:
    """The stationed departments of a center (the lines of a meeting's attendance)."""
    return list(Department.objects.filter(center_id=center_id, is_active=True).order_by("code"))


@transaction.atomic
def meeting_plan(
    *,
    actor: User | None,
    center: Center,
    held_at: object,
    place: object,
    agenda: object,
    chair: User | None = None,
) -> JointMeeting:
    _check_runner(actor, center.pk)
    errors = FieldErrors()
    if not isinstance(held_at, datetime.datetime):
        errors.add("held_at", _("Enter the date and time of the meeting."))
    place_text = errors.text(
        "place", place, max_length=PLACE_MAX, required=_("Say where the meeting is held.")
    )
    agenda_text = errors.text(
        "agenda", agenda, max_length=AGENDA_MAX, required=_("Write the agenda.")
    )
    if (
        chair is not None
        and not Staff.objects.filter(user=chair, center_id=center.pk, user__is_active=True).exists()
    ):
        errors.add("chair", _("The chair must be a member of this center's staff."))
    errors.raise_if_any()
    assert isinstance(held_at, datetime.datetime)
    recorder = actor if actor is not None else chair
    if recorder is None:
        raise ValidationError({"chair": [_("Name the chair of the meeting.")]})
    meeting = JointMeeting.objects.create(
        center=center,
        held_at=held_at,
        place=place_text,
        agenda=agenda_text,
        chair=chair,
        recorded_by=recorder,
    )
    record_event(
        actor=actor,
        action=HallOpsEvent.MEETING_PLAN,
        obj=meeting,
        center_id=center.pk,
        data={"held_at": held_at.isoformat()},
    )
    return meeting


def meeting_refusal(actor: User | None, meeting: JointMeeting, action: str) -> str | None:
    """Why `actor` may not take `action` on `meeting` now (None: they may)."""
    row = MEETING_TRANSITIONS.row(meeting.status, action)
    if row is None:
        if action not in MEETING_TRANSITIONS.actions():
            return _("Choose from the list.")
        return StateRefusal(_("The meeting is not in a state for this."))
    if not row.who & center_parties(actor, meeting.center_id):
        return _("You may not run the joint meetings of this center.")
    if row.guard == "has_minutes" and not meeting.minutes.strip():
        return _("Write the minutes before publishing them.")
    return None


def meeting_actions(actor: User | None, meeting: JointMeeting) -> list[tuple[str, str]]:
    """(action, label) of the buttons `actor` may press on `meeting` now."""
    return [
        (row.action, str(MeetingAction(row.action).label))
        for row in MEETING_TRANSITIONS.rows_from(meeting.status)
        if meeting_refusal(actor, meeting, row.action) is None
    ]


@transaction.atomic
def meeting_act(*, actor: User | None, meeting: JointMeeting, action: str) -> JointMeeting:
    locked = _locked(meeting)
    refusal = meeting_refusal(actor, locked, action)
    if refusal is not None:
        raise refusal_error(refusal, field="action")
    row = MEETING_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    before = locked.status
    locked.status = row.next_state
    fields = ["status", "updated_at"]
    if row.next_state == MeetingStatus.PUBLISHED:
        locked.published_at = timezone.now()
        fields.append("published_at")
    locked.save(update_fields=fields)
    record_event(
        actor=actor,
        action=_EVENT_OF_MEETING_ACTION[MeetingAction(action)],
        obj=locked,
        center_id=locked.center_id,
        data={"from": before, "to": locked.status},
    )
    return locked


@transaction.atomic
def meeting_attendance_save(
    *, actor: User | None, meeting: JointMeeting, rows: Sequence[AttendanceDraft]
) -> int:
    """Record who came for each stationed department (one row per department; a row sent again
    replaces the earlier one). Returns how many rows were written."""
    locked = _locked(meeting)
    _check_runner(actor, locked.center_id)
    _check_editable(locked)
    departments = {d.pk: d for d in center_departments(locked.center_id)}
    errors = FieldErrors()
    seen: set[int] = set()
    clean: list[tuple[Department, str, str]] = []
    for row in rows:
        prefix = f"department_{row.department_id}"
        department = departments.get(row.department_id)
        if department is None or row.department_id in seen:
            errors.add(prefix, _("This department is not stationed in the meeting's center."))
            continue
        seen.add(row.department_id)
        presence = errors.choice(f"{prefix}.presence", row.presence, Presence.values)
        name = errors.text(f"{prefix}.attendee_name", row.attendee_name, max_length=NAME_MAX)
        if presence == Presence.PRESENT and not name:
            errors.add(f"{prefix}.attendee_name", _("Name who came for the department."))
        clean.append((department, str(presence or ""), name))
    if not rows:
        errors.add("rows", _("Record at least one department."))
    errors.raise_if_any()
    for department, presence, name in clean:
        attendee = (
            Staff.objects.filter(department=department, user__full_name=name, user__is_active=True)
            .values_list("user_id", flat=True)
            .first()
            if name
            else None
        )
        MeetingAttendance.objects.update_or_create(
            meeting=locked,
            department=department,
            defaults={"presence": presence, "attendee_name": name, "attendee_id": attendee},
        )
    record_event(
        actor=actor,
        action=HallOpsEvent.MEETING_RECORD_ATTENDANCE,
        obj=locked,
        center_id=locked.center_id,
        data={"rows": len(clean)},
    )
    return len(clean)


@transaction.atomic
def meeting_minutes_save(
    *, actor: User | None, meeting: JointMeeting, minutes: object
) -> JointMeeting:
    locked = _locked(meeting)
    _check_runner(actor, locked.center_id)
    _check_editable(locked)
    errors = FieldErrors()
    text = errors.text("minutes", minutes, max_length=MINUTES_MAX, required=_("Write the minutes."))
    errors.raise_if_any()
    locked.minutes = text
    locked.save(update_fields=["minutes", "updated_at"])
    record_event(
        actor=actor,
        action=HallOpsEvent.MEETING_SAVE_MINUTES,
        obj=locked,
        center_id=locked.center_id,
    )
    return locked


@transaction.atomic
def decision_add(
    *,
    actor: User | None,
    meeting: JointMeeting,
    text: object,
    department: Department | None,
    due_on: object,
) -> MeetingDecision:
    locked = _locked(meeting)
    _check_runner(actor, locked.center_id)
    _check_editable(locked)
    errors = FieldErrors()
    clean_text = errors.text(
        "text", text, max_length=DECISION_MAX, required=_("Write the decision.")
    )
    if department is None or department.center_id != locked.center_id:
        errors.add("department", _("This department is not stationed in the meeting's center."))
    due = errors.day("due_on", due_on, required=_("Give a due date."))
    if due is not None and due < timezone.localtime(locked.held_at).date():
        errors.add("due_on", _("The due date cannot be before the meeting."))
    errors.raise_if_any()
    assert department is not None and due is not None
    decision = MeetingDecision.objects.create(
        meeting=locked, text=clean_text, department=department, due_on=due
    )
    record_event(
        actor=actor,
        action=HallOpsEvent.DECISION_ADD,
        obj=decision,
        center_id=locked.center_id,
        data={"department": department.pk, "due_on": due.isoformat()},
    )
    return decision


def decision_refusal(
    actor: User | None, decision: MeetingDecision, action: str, note: str = "x"
) -> str | None:
    """Why `actor` may not take `action` on `decision` now (None: they may). `note` is the note
    they give (a placeholder when only the buttons are drawn)."""
    row = DECISION_TRANSITIONS.row(decision.status, action)
    if row is None:
        if action not in DECISION_TRANSITIONS.actions():
            return _("Choose from the list.")
        return StateRefusal(_("This decision is closed already."))
    if not row.who & decision_parties(actor, decision):
        return _("Only the management or the leader of the owner department may do this.")
    if row.guard == "has_note" and not note.strip():
        return _("Say why the decision is dropped.")
    return None


def decision_actions(actor: User | None, decision: MeetingDecision) -> list[tuple[str, str]]:
    return [
        (row.action, str(DecisionAction(row.action).label))
        for row in DECISION_TRANSITIONS.rows_from(decision.status)
        if decision_refusal(actor, decision, row.action) is None
    ]


@transaction.atomic
def decision_act(
    *, actor: User | None, decision: MeetingDecision, action: str, note: object = ""
) -> MeetingDecision:
    locked = (
        MeetingDecision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    )
    errors = FieldErrors()
    note_text = errors.text("note", note, max_length=NOTE_MAX)
    errors.raise_if_any()
    refusal = decision_refusal(actor, locked, action, note_text)
    if refusal is not None:
        field = "note" if refusal == _("Say why the decision is dropped.") else "action"
        raise refusal_error(refusal, field=field)
    row = DECISION_TRANSITIONS.row(locked.status, action)
    assert row is not None and row.next_state is not None
    locked.status = row.next_state
    locked.note = note_text
    locked.closed_by = actor
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "note", "closed_by", "closed_at", "updated_at"])
    record_event(
        actor=actor,
        action=_EVENT_OF_DECISION_ACTION[DecisionAction(action)],
        obj=locked,
        center_id=locked.meeting.center_id,
        note=note_text,
    )
    return locked
