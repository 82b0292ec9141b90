"""Study sessions and trainings (issue 21 item 2; seeds/001… 华蓥 中心组学习制度, seeds/000… 篇3 五,
seeds/002… 二2).

Entry points:
def study_session_plan(*, actor, center, held_on, starts, ends, topic, place="", plan="",
                       host="") -> StudySession
def study_register_mark(*, actor, session, marks, notes=None, today=None) -> int
def study_notes_record(*, actor, session, notes) -> StudySession
def study_session_archive(*, actor, session, today=None, at=None) -> StudySession
def training_event_record(*, actor, center, kind, title, starts_on, ends_on, hours,
                          organizer="", place="", description="") -> TrainingEvent
def training_participation_record(*, actor, event, user_id, mark, result="")
    -> TrainingParticipation

The hall's management of a center (`access.learning.can_run_learning_at`) plans its
sessions. "每次学习不少于2小时": a session shorter than GOVHALL_STUDY_MIN_HOURS is refused
here, the one home of the length rule. They keep the register (who was present, excused or
absent; the people expected are `queries.learning.expected_people`), the discussion notes
("学习讨论要有记录") and archive the session ("资料归档"): once archived nothing of it
changes (`study_transitions`). Trainings (courses, skill contests, study visits:
seeds/000… 篇3 五 "开展业务技能竞赛…考察学习") are recorded with each participant's
attendance and result, which land in the person's file (`queries.learning.training_records`).
Every write is atomic with its event; a refusal changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors, StateRefusal, refusal_error
from govhall.org.models import Center
from govhall.staffing.access.learning import can_run_learning_at
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models.learning import (
    AttendanceMark,
    StudyAttendance,
    StudySession,
    TrainingEvent,
    TrainingKind,
    TrainingParticipation,
)
from govhall.staffing.queries.learning import expected_people, training_candidates
from govhall.staffing.study_transitions import STUDY_TRANSITIONS, StudyAction, StudyState

TOPIC_MAX = 200
PLACE_MAX = 100
HOST_MAX = 50
NOTE_MAX = 200
TEXT_MAX = 5000
RESULT_MAX = 200
HOURS_MAX = Decimal("999.9")


def study_state(session: StudySession) -> str:
    return StudyState.ARCHIVED if session.archived_at is not None else StudyState.OPEN


def study_refusal(
    actor: object, session: StudySession, action: str, *, today: datetime.date | None = None
) -> str | None:
    """Why `actor` may not take `action` on `session` now (None: they may) — the table's row,
    the party and its guard."""
    row = STUDY_TRANSITIONS.row(study_state(session), action)
    if row is None:
        return StateRefusal(_("This study session is archived: it no longer changes."))
    if not can_run_learning_at(actor, session.center_id):
        return _("Only the hall's management of this center keeps its study sessions.")
    day = today or timezone.localdate()
    if row.guard == "held" and session.held_on > day:
        return StateRefusal(_("The session has not taken place yet: mark the register after it."))
    if row.guard == "complete":
        if session.held_on > day:
            return StateRefusal(_("The session has not taken place yet: archive it after it."))
        missing = _unmarked(session)
        if missing:
            return StateRefusal(
                ngettext(
                    "%(count)d person expected is not marked in the register yet.",
                    "%(count)d people expected are not marked in the register yet.",
                    missing,
                )
                % {"count": missing}
            )
        if not session.discussion_notes.strip():
            return StateRefusal(_("Record the discussion notes before archiving."))
    return None


def allowed_study_actions(actor: object, session: StudySession) -> list[str]:
    return [
        str(row.action)
        for row in STUDY_TRANSITIONS.rows_from(study_state(session))
        if study_refusal(actor, session, row.action) is None
    ]


def _unmarked(session: StudySession) -> int:
    marked = StudyAttendance.objects.filter(session=session).values("user_id")
    return (
        expected_people(center_id=session.center_id, day=session.held_on)
        .exclude(pk__in=marked)
        .count()
    )


def _check(actor: object, session: StudySession, action: str, today: datetime.date | None) -> None:
    refusal = study_refusal(actor, session, action, today=today)
    if refusal is not None:
        raise refusal_error(refusal)


def _time(errors: FieldErrors, field: str, value: object, required: str) -> datetime.time | None:
    if value is None or value == "":
        errors.add(field, required)
        return None
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(field, _("Enter a time as HH:MM."))
        return None


def study_length_refusal(starts: datetime.time, ends: datetime.time) -> str | None:
    """ "每次学习不少于2小时" (seeds/001… 中心组学习制度 (三)3): the one home of the length rule."""
    minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    if minutes <= 0:
        return _("The session must end after it starts.")
    hours = int(settings.GOVHALL_STUDY_MIN_HOURS)
    if minutes < hours * 60:
        return ngettext(
            "A study session lasts at least %(hours)d hour.",
            "A study session lasts at least %(hours)d hours.",
            hours,
        ) % {"hours": hours}
    return None


def _check_center(actor: User, center: Center) -> None:
    if not can_run_learning_at(actor, center.pk):
        raise ValidationError(
            {"center": [_("Only the hall's management of this center keeps its study sessions.")]}
        )


@transaction.atomic
def study_session_plan(
    *,
    actor: User,
    center: Center,
    held_on: datetime.date | str,
    starts: datetime.time | str,
    ends: datetime.time | str,
    topic: str,
    place: str = "",
    plan: str = "",
    host: str = "",
) -> StudySession:
    """Plan a session of `center` (or record one held already): date, hours, topic, plan, host."""
    _check_center(actor, center)
    errors = FieldErrors()
    day = errors.day("held_on", held_on, required=_("Enter the date."))
    start = _time(errors, "starts", starts, _("Enter the start time."))
    end = _time(errors, "ends", ends, _("Enter the end time."))
    if start is not None and end is not None:
        refusal = study_length_refusal(start, end)
        if refusal:
            errors.add("ends", refusal)
    topic_text = errors.text(
        "topic", topic, max_length=TOPIC_MAX, required=_("Enter the topic of the session.")
    )
    place_text = errors.text("place", place, max_length=PLACE_MAX)
    plan_text = errors.text("plan", plan, max_length=TEXT_MAX)
    host_text = errors.text("host", host, max_length=HOST_MAX)
    errors.raise_if_any()
    assert day is not None and start is not None and end is not None
    session = StudySession.objects.create(
        center=center,
        held_on=day,
        starts=start,
        ends=end,
        topic=topic_text,
        place=place_text,
        plan=plan_text,
        host=host_text,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action=StaffingEvent.STUDY_SESSION_PLAN,
        obj=session,
        center_id=center.pk,
        data={"held_on": day.isoformat(), "starts": f"{start:%H:%M}", "ends": f"{end:%H:%M}"},
    )
    return session


def _lock(session: StudySession) -> StudySession:
    return StudySession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def study_register_mark(
    *,
    actor: User,
    session: StudySession,
    marks: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
    today: datetime.date | None = None,
) -> int:
    """Mark the register: {user id: "present" | "excused" | "absent"}, with an optional note per
    person (the reason of an excuse). Only the people expected and those on the register already
    may be marked. Returns how many lines were written."""
    locked = _lock(session)
    _check(actor, locked, StudyAction.MARK, today)
    errors = FieldErrors()
    if not marks:
        errors.add("marks", _("Mark at least one person."))
    allowed = set(
        expected_people(center_id=locked.center_id, day=locked.held_on).values_list("pk", flat=True)
    ) | set(locked.register.values_list("user_id", flat=True))
    notes = notes or {}
    checked: list[tuple[int, str, str]] = []
    for user_id, mark in marks.items():
        field = f"mark_{user_id}"
        if user_id not in allowed:
            errors.add(field, _("This person is not expected at this session."))
            continue
        chosen = errors.choice(field, mark, AttendanceMark.values)
        note = errors.text(f"note_{user_id}", notes.get(user_id, ""), max_length=NOTE_MAX)
        if chosen:
            checked.append((user_id, str(chosen), note))
    errors.raise_if_any()
    for user_id, mark, note in checked:
        StudyAttendance.objects.update_or_create(
            session=locked, user_id=user_id, defaults={"mark": mark, "note": note}
        )
    record_event(
        actor=actor,
        action=StaffingEvent.STUDY_REGISTER_MARK,
        obj=locked,
        center_id=locked.center_id,
        data={"marks": {str(pk): mark for pk, mark, _note in checked}},
    )
    return len(checked)


@transaction.atomic
def study_notes_record(*, actor: User, session: StudySession, notes: str) -> StudySession:
    """Record the discussion notes (学习讨论要有记录)."""
    locked = _lock(session)
    _check(actor, locked, StudyAction.NOTES, None)
    errors = FieldErrors()
    text = errors.text(
        "discussion_notes",
        notes,
        max_length=TEXT_MAX,
        required=_("Write what was discussed."),
    )
    errors.raise_if_any()
    locked.discussion_notes = text
    locked.save(update_fields=["discussion_notes", "updated_at"])
    record_event(
        actor=actor,
        action=StaffingEvent.STUDY_NOTES_RECORD,
        obj=locked,
        center_id=locked.center_id,
        data={"length": len(text)},
    )
    return locked


@transaction.atomic
def study_session_archive(
    *,
    actor: User,
    session: StudySession,
    today: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> StudySession:
    """Archive a session held, with everyone expected marked and the notes written: from now on
    neither the register nor the notes change."""
    locked = _lock(session)
    _check(actor, locked, StudyAction.ARCHIVE, today)
    locked.archived_at = at or timezone.now()
    locked.save(update_fields=["archived_at", "updated_at"])
    counts = dict.fromkeys(AttendanceMark.values, 0)
    for mark in locked.register.values_list("mark", flat=True):
        counts[mark] += 1
    record_event(
        actor=actor,
        action=StaffingEvent.STUDY_SESSION_ARCHIVE,
        obj=locked,
        center_id=locked.center_id,
        data=counts,
    )
    return locked


def _hours(errors: FieldErrors, value: object) -> Decimal | None:
    if value is None or value == "":
        errors.add("hours", _("Enter the hours."))
        return None
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add("hours", _("Enter a number of hours, such as 2 or 1.5."))
        return None
    if not hours.is_finite() or hours <= 0 or hours > HOURS_MAX:
        errors.add("hours", _("Enter a number of hours, such as 2 or 1.5."))
        return None
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def training_event_record(
    *,
    actor: User,
    center: Center,
    kind: str,
    title: str,
    starts_on: datetime.date | str,
    ends_on: datetime.date | str,
    hours: Decimal | str | int,
    organizer: str = "",
    place: str = "",
    description: str = "",
) -> TrainingEvent:
    """Record a training course, skill contest or study visit of `center`."""
    _check_center(actor, center)
    errors = FieldErrors()
    chosen = errors.choice("kind", kind, TrainingKind.values)
    title_text = errors.text(
        "title", title, max_length=TOPIC_MAX, required=_("Enter the title of the training.")
    )
    start = errors.day("starts_on", starts_on, required=_("Enter the date."))
    end = errors.day("ends_on", ends_on, required=_("Enter the date."))
    if start and end and end < start:
        errors.add("ends_on", _("The last day cannot be before the first."))
    amount = _hours(errors, hours)
    organizer_text = errors.text("organizer", organizer, max_length=PLACE_MAX)
    place_text = errors.text("place", place, max_length=PLACE_MAX)
    description_text = errors.text("description", description, max_length=TEXT_MAX)
    errors.raise_if_any()
    assert start is not None and end is not None and amount is not None
    event = TrainingEvent.objects.create(
        center=center,
        kind=chosen,
        title=title_text,
        starts_on=start,
        ends_on=end,
        hours=amount,
        organizer=organizer_text,
        place=place_text,
        description=description_text,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action=StaffingEvent.TRAINING_EVENT_RECORD,
        obj=event,
        center_id=center.pk,
        data={"kind": chosen, "starts_on": start.isoformat(), "hours": str(amount)},
    )
    return event


@transaction.atomic
def training_participation_record(
    *,
    actor: User,
    event: TrainingEvent,
    user_id: int | str,
    mark: str,
    result: str = "",
) -> TrainingParticipation:
    """Record (or correct) one person's attendance and result at a training: a staff member of
    the training's center or a center below it."""
    locked = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    _check_center(actor, locked.center)
    errors = FieldErrors()
    pk = errors.whole_number("user_id", user_id, required=_("Choose a person."), minimum=1)
    if pk is not None and not training_candidates(locked.center).filter(pk=pk).exists():
        errors.add("user_id", _("This person is not on the staff of the training's center."))
    chosen = errors.choice("mark", mark, AttendanceMark.values)
    result_text = errors.text("result", result, max_length=RESULT_MAX)
    errors.raise_if_any()
    assert pk is not None
    line, created = TrainingParticipation.objects.update_or_create(
        event=locked, user_id=pk, defaults={"mark": chosen, "result": result_text}
    )
    record_event(
        actor=actor,
        action=StaffingEvent.TRAINING_PARTICIPATION_RECORD,
        obj=line,
        center_id=locked.center_id,
        data={"event": locked.pk, "user": pk, "mark": chosen, "created": created},
    )
    return line
