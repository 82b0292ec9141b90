"""One person's assessment file (考核档案, seeds/002… 二3: 大厅管理部门协助各派驻部门对大厅窗口工作
人员进行管理,建立考核档案), issue 21 item 1b: for a period, the monthly score sheets, the patrol
findings and the notices of criticism, the complaints (found true or not), the ratings by level,
the study sessions missed and the trainings, the attendance lapses, the staff facts, the
return-to-department warning and decisions, and the annual results.

`person_file` answers in a fixed number of queries whatever the amount of records (tested);
`people_summaries` gives the same counts for many people at once (the half-yearly report).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govhall.assessment.grading import Grade, grade_of
from govhall.assessment.models import AnnualResult, ScoreSheet, SheetStatus
from govhall.core.models import User
from govhall.feedback.models import Complaint, Rating
from govhall.feedback.models.complaints import FINDINGS_AGAINST
from govhall.feedback.models.ratings import BAD_LEVELS, RatingLevel
from govhall.org.models import Staff
from govhall.staffing.models import Absence, Attendance, StaffFact
from govhall.staffing.models.assignment import ReturnDecision
from govhall.staffing.models.learning import TrainingParticipation
from govhall.staffing.queries.assignments import ReturnWarning, return_warnings
from govhall.staffing.queries.learning import missed_study_sessions
from govhall.supervision.models import Alert, CriticismNotice, PatrolFinding

ONE_DECIMAL = Decimal("0.1")
# Alerts raised by a patrol finding name it: "finding:<finding id>:<person id>".
FINDING_PREFIX = "finding:"

# An attendance lapse: a late arrival or an early leave of a session, not excused.
LATE = Q(late_minutes__gt=0, morning_late_excused=False) | Q(
    afternoon_late_minutes__gt=0, afternoon_late_excused=False
)
EARLY = Q(morning_early_leave_minutes__gt=0, morning_early_excused=False) | Q(
    early_leave_minutes__gt=0, afternoon_early_excused=False
)


def _moments(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def average(scores: Iterable[Decimal]) -> Decimal | None:
    values = list(scores)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class Lapses:
    late: int = 0
    early: int = 0
    missed_sign_ins: int = 0
    half_days: int = 0

    @property
    def total(self) -> int:
        return self.late + self.early + self.missed_sign_ins + self.half_days


@dataclass
class FindingRow:
    finding: PatrolFinding
    alert: Alert


@dataclass
class ComplaintRow:
    complaint: Complaint
    found_true: bool


@dataclass
class PersonFile:
    person: User
    staff: Staff | None
    start: datetime.date
    end: datetime.date
    sheets: list[ScoreSheet]
    average: Decimal | None
    grade: Grade | None
    findings: list[FindingRow]
    notices: list[CriticismNotice]
    complaints: list[ComplaintRow]
    ratings: list[tuple[int, str, int]]  # level, label, count (5 … 1)
    missed_study: int
    trainings: list[TrainingParticipation]
    lapses: Lapses
    facts: list[StaffFact]
    warning: ReturnWarning | None
    decisions: list[ReturnDecision]
    annual: list[AnnualResult] = field(default_factory=list)

    @property
    def complaints_found_true(self) -> int:
        return sum(1 for row in self.complaints if row.found_true)

    @property
    def bad_ratings(self) -> int:
        return sum(n for level, _label, n in self.ratings if level in BAD_LEVELS)


def _lapses(user_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, Lapses]:
    """Lapses per person of the period (two queries)."""
    found: dict[int, Lapses] = {pk: Lapses() for pk in user_ids}
    rows = (
        Attendance.objects.filter(user_id__in=user_ids, date__gte=start, date__lte=end)
        .values("user_id")
        .annotate(
            late=Count("pk", filter=LATE),
            early=Count("pk", filter=EARLY),
            missed=Count("pk", filter=Q(missed_sign_in=True)),
        )
        .order_by()
    )
    for row in rows:
        lapses = found[row["user_id"]]
        lapses.late, lapses.early, lapses.missed_sign_ins = row["late"], row["early"], row["missed"]
    starts, ends = _moments(start, end)
    for user_id, n in (
        Absence.objects.filter(
            user_id__in=user_ids,
            counted_as_half_day_absenteeism=True,
            starts_at__gte=starts,
            starts_at__lt=ends,
        )
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
        .order_by()
    ):
        found[user_id].half_days = n
    return found


def _finding_alerts(
    user_ids: list[int], start: datetime.date, end: datetime.date
) -> QuerySet[Alert]:
    return Alert.objects.counting().filter(
        responsible_id__in=user_ids,
        subject_key__startswith=FINDING_PREFIX,
        occurred_on__gte=start,
        occurred_on__lte=end,
    )


def person_file(
    person: User,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
) -> PersonFile:
    """Everything of `person`'s file from `start` to `end` (inclusive) in a fixed number of
    queries (about 15)."""
    today = today or timezone.localdate()
    starts, ends = _moments(start, end)
    staff = Staff.objects.select_related("center", "department").filter(user=person).first()
    sheets = list(
        ScoreSheet.objects.filter(
            person=person, month__gte=start.replace(day=1), month__lte=end
        ).select_related("window")
    )
    published = average(s.score for s in sheets if s.status == SheetStatus.PUBLISHED)
    alerts = list(_finding_alerts([person.pk], start, end).order_by("-occurred_on", "-id"))
    finding_ids = {int(a.subject_key.split(":")[1]) for a in alerts}
    by_id = PatrolFinding.objects.select_related("visit__window", "visit__round").in_bulk(
        list(finding_ids)
    )
    findings = [
        FindingRow(finding=by_id[int(a.subject_key.split(":")[1])], alert=a)
        for a in alerts
        if int(a.subject_key.split(":")[1]) in by_id
    ]
    notices = list(
        CriticismNotice.objects.filter(
            person=person, issued_at__gte=starts, issued_at__lt=ends
        ).select_related("window")
    )
    complaints = [
        ComplaintRow(complaint=c, found_true=c.finding in FINDINGS_AGAINST)
        for c in Complaint.objects.filter(
            target_staff=person, received_at__gte=starts, received_at__lt=ends
        ).order_by("-received_at")
    ]
    counts = Counter(
        dict(
            Rating.objects.counting()
            .filter(staff=person, rated_at__gte=starts, rated_at__lt=ends)
            .values("level")
            .annotate(n=Count("pk"))
            .values_list("level", "n")
            .order_by()
        )
    )
    ratings = [(level, str(label), counts.get(level, 0)) for level, label in RatingLevel.choices]
    missed = missed_study_sessions(user_ids=[person.pk], start=start, end=end).get(person.pk, 0)
    trainings = list(
        TrainingParticipation.objects.filter(
            user=person, event__starts_on__lte=end, event__ends_on__gte=start
        )
        .select_related("event")
        .order_by("-event__starts_on", "-event_id")
    )
    facts = list(
        StaffFact.objects.filter(user=person, occurred_on__gte=start, occurred_on__lte=end)
    )
    warnings = return_warnings(User.objects.filter(pk=person.pk), today, with_facts=False)
    decisions = list(
        ReturnDecision.objects.filter(user=person)
        .select_related("department")
        .order_by("-decided_on", "-id")
    )
    annual = list(
        AnnualResult.objects.filter(person=person, year__gte=start.year, year__lte=end.year)
    )
    return PersonFile(
        person=person,
        staff=staff,
        start=start,
        end=end,
        sheets=sheets,
        average=published,
        grade=grade_of(published) if published is not None else None,
        findings=findings,
        notices=notices,
        complaints=complaints,
        ratings=ratings,
        missed_study=missed,
        trainings=trainings,
        lapses=_lapses([person.pk], start, end)[person.pk],
        facts=facts,
        warning=warnings[0] if warnings else None,
        decisions=decisions,
        annual=annual,
    )


@dataclass
class PersonSummary:
    """A person's file in figures (the half-yearly report to the department)."""

    person: User
    months: int = 0
    average: Decimal | None = None
    grade: Grade | None = None
    findings: int = 0
    notices: int = 0
    complaints_found_true: int = 0
    ratings: int = 0
    bad_ratings: int = 0
    missed_study: int = 0
    trainings: int = 0
    lapses: Lapses = field(default_factory=Lapses)


def people_summaries(
    people: Iterable[User], start: datetime.date, end: datetime.date
) -> dict[int, PersonSummary]:
    """The figures of each person's file in the period, in a fixed number of queries."""
    found = {p.pk: PersonSummary(person=p) for p in people}
    ids = list(found)
    if not ids:
        return found
    starts, ends = _moments(start, end)
    scores: dict[int, list[Decimal]] = {pk: [] for pk in ids}
    for pk, score in ScoreSheet.objects.filter(
        person_id__in=ids,
        status=SheetStatus.PUBLISHED,
        month__gte=start.replace(day=1),
        month__lte=end,
    ).values_list("person_id", "score"):
        scores[pk].append(score)
    for pk, values in scores.items():
        found[pk].months = len(values)
        found[pk].average = average(values)
        found[pk].grade = grade_of(found[pk].average) if values else None  # type: ignore[arg-type]

    def grouped(queryset: QuerySet[Any], key: str) -> dict[int, int]:
        return dict(queryset.values(key).annotate(n=Count("pk")).values_list(key, "n").order_by())

    for pk, n in grouped(_finding_alerts(ids, start, end), "responsible_id").items():
        found[pk].findings = n
    for pk, n in grouped(
        CriticismNotice.objects.filter(
            person_id__in=ids, issued_at__gte=starts, issued_at__lt=ends
        ),
        "person_id",
    ).items():
        found[pk].notices = n
    for pk, n in grouped(
        Complaint.objects.filter(
            target_staff_id__in=ids,
            finding__in=FINDINGS_AGAINST,
            received_at__gte=starts,
            received_at__lt=ends,
        ),
        "target_staff_id",
    ).items():
        found[pk].complaints_found_true = n
    for row in (
        Rating.objects.counting()
        .filter(staff_id__in=ids, rated_at__gte=starts, rated_at__lt=ends)
        .values("staff_id")
        .annotate(n=Count("pk"), bad=Count("pk", filter=Q(level__in=BAD_LEVELS)))
        .order_by()
    ):
        found[row["staff_id"]].ratings = row["n"]
        found[row["staff_id"]].bad_ratings = row["bad"]
    for pk, n in missed_study_sessions(user_ids=ids, start=start, end=end).items():
        found[pk].missed_study = n
    for pk, n in grouped(
        TrainingParticipation.objects.filter(
            user_id__in=ids, event__starts_on__lte=end, event__ends_on__gte=start
        ),
        "user_id",
    ).items():
        found[pk].trainings = n
    for pk, lapses in _lapses(ids, start, end).items():
        found[pk].lapses = lapses
    return found
