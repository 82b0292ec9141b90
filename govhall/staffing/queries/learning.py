"""Reading study sessions and trainings (issue 21 item 2; seeds/001… 华蓥 中心组学习,
seeds/000… 篇3 五, seeds/002… 二2).

`missed_study_sessions` and `training_records` feed the person's assessment file: the sessions a
person missed (marked absent in a session held in the period) and the trainings in their file.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.models.assignment import Assignment
from govhall.staffing.models.learning import (
    AttendanceMark,
    StudyAttendance,
    StudySession,
    TrainingParticipation,
)


def missed_study_sessions(
    *, user_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """The number of sessions held in [start, end] where each user was marked absent (one query).

    Users without an absence are left out of the answer (read it with `.get(user_id, 0)`).
    """
    ids = list(user_ids)
    if not ids:
        return {}
    rows = (
        StudyAttendance.objects.filter(
            user_id__in=ids,
            mark=AttendanceMark.ABSENT,
            session__held_on__gte=start,
            session__held_on__lte=end,
        )
        .values("user_id")
        .annotate(n=Count("session_id", distinct=True))
        .order_by()
    )
    return {row["user_id"]: row["n"] for row in rows}


def training_records(*, user_id: int) -> QuerySet[TrainingParticipation]:
    """A person's trainings (courses, contests, visits) with the event, newest first."""
    return (
        TrainingParticipation.objects.filter(user_id=user_id)
        .select_related("event")
        .order_by("-event__starts_on", "-event_id")
    )


# --- the cadence of study sessions ---------------------------------------------------------------
# seeds/001… 中心组学习制度 (三)3: "原则上每两周一次集中学习,每次学习不少于2小时,假期时间不少于每月
# 一次集中学习". `study_due_by` is the one home of the cadence rule, `study_cadence` reads it for a
# center (the sessions list, the API).


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _holiday(day: datetime.date) -> bool:
    return day.month in set(settings.GOVHALL_STUDY_HOLIDAY_MONTHS)


def study_due_by(previous: datetime.date) -> datetime.date:
    """The last day the next session is on time after a session held on `previous`.

    Normally `previous` + GOVHALL_STUDY_INTERVAL_DAYS (14: a session 14 days later is on time,
    15 is late). When that day falls in a holiday month (GOVHALL_STUDY_HOLIDAY_MONTHS) the rule
    is one session a month: the next is due by the end of that month — or, when `previous` was
    already in it, by the end of the following month if that is a holiday month too, else two
    weeks into the following month, when the normal cadence resumes.
    """
    interval = datetime.timedelta(days=int(settings.GOVHALL_STUDY_INTERVAL_DAYS))
    candidate = previous + interval
    if not _holiday(candidate):
        return candidate
    if (candidate.year, candidate.month) != (previous.year, previous.month):
        return _month_end(candidate)
    following = _month_end(candidate) + datetime.timedelta(days=1)
    if _holiday(following):
        return _month_end(following)
    return following + interval - datetime.timedelta(days=1)


@dataclass(frozen=True)
class StudyGap:
    """A period without a session: after `after`, the next was due by `due_by`; it came on
    `held_on` (None: not yet)."""

    after: datetime.date
    due_by: datetime.date
    held_on: datetime.date | None
    days_late: int


@dataclass(frozen=True)
class StudyCadence:
    last_held: datetime.date | None
    next_due: datetime.date | None
    overdue: bool
    next_planned: datetime.date | None
    gaps: list[StudyGap] = field(default_factory=list)
    held: int = 0


def study_cadence(*, center_id: int, today: datetime.date) -> StudyCadence:
    """The cadence of a center's sessions up to `today`: when the next is due, whether it is
    overdue, and every period without a session on time (newest first)."""
    days = list(
        StudySession.objects.filter(center_id=center_id)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .distinct()
    )
    held = [d for d in days if d <= today]
    planned = [d for d in days if d > today]
    gaps: list[StudyGap] = []
    for previous, following in itertools.pairwise(held):
        due = study_due_by(previous)
        if following > due:
            gaps.append(StudyGap(previous, due, following, (following - due).days))
    next_due = study_due_by(held[-1]) if held else None
    overdue = next_due is not None and today > next_due
    if next_due is not None and overdue:
        gaps.append(StudyGap(held[-1], next_due, None, (today - next_due).days))
    return StudyCadence(
        last_held=held[-1] if held else None,
        next_due=next_due,
        overdue=overdue,
        next_planned=planned[0] if planned else None,
        gaps=list(reversed(gaps)),
        held=len(held),
    )


# --- who is expected at a center's sessions ------------------------------------------------


def expected_people(*, center_id: int, day: datetime.date) -> QuerySet[User]:
    """The people a session of the center on `day` expects: its window staff (the staff records
    marked as window staff, as `org.queries.staff.staff_users` lists them) and whoever holds a
    window assignment at the center that day."""
    assigned = Assignment.objects.filter(center_id=center_id, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(staff__center_id=center_id, staff__is_window_staff=True)
            | Q(pk__in=assigned.values("user_id"))
        )
        .distinct()
        .select_related("staff__department")
        .order_by("staff__department__code", "username")
    )


@dataclass
class RegisterRow:
    user: User
    mark: str
    mark_label: str
    note: str
    expected: bool


def register_rows(session: StudySession) -> list[RegisterRow]:
    """The register of a session: everyone expected and everyone marked, with their mark ("" not
    marked yet). Once archived, the register as it was kept: its lines only."""
    lines = {
        line.user_id: line for line in session.register.select_related("user__staff__department")
    }
    expected = (
        [line.user for line in lines.values()]
        if session.archived_at is not None
        else list(expected_people(center_id=session.center_id, day=session.held_on))
    )
    people = {user.pk: user for user in expected}
    for line in lines.values():
        people.setdefault(line.user_id, line.user)
    expected_ids = {user.pk for user in expected}
    labels = dict(AttendanceMark.choices)
    rows = []
    for pk, user in people.items():
        found = lines.get(pk)
        mark = found.mark if found else ""
        rows.append(
            RegisterRow(
                user=user,
                mark=mark,
                mark_label=str(labels.get(mark, "")),
                note=found.note if found else "",
                expected=pk in expected_ids,
            )
        )
    return rows


def register_counts(session: StudySession) -> dict[str, int]:
    counts = dict.fromkeys(AttendanceMark.values, 0)
    for mark, n in (
        session.register.values("mark").annotate(n=Count("pk")).values_list("mark", "n").order_by()
    ):
        counts[mark] = n
    return counts


def my_study_sessions(*, user_id: int) -> QuerySet[StudyAttendance]:
    """A person's lines in the registers (their own study record), newest first."""
    return (
        StudyAttendance.objects.filter(user_id=user_id)
        .select_related("session", "session__center")
        .order_by("-session__held_on", "-session__starts")
    )


def training_candidates(center: Center) -> QuerySet[User]:
    """Who may be recorded at a training of `center`: active staff of it and the centers below."""
    return (
        User.objects.filter(is_active=True, staff__center__in=Center.objects.subtree_of(center))
        .select_related("staff__department")
        .order_by("staff__department__code", "username")
    )
