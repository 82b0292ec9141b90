"""Reading attendance: one staff member's day and month, a center's board, monthly reports.

Monthly figures are computed by the database (COUNT/SUM with FILTER), one query per table.
"""

from __future__ import annotations

import calendar as month_layout
import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Department, Staff
from govhall.staffing.models import Absence, Attendance, AttendanceExplanation
from govhall.staffing.models.attendance import LAPSE_FIELDS, ExplanationStatus, Lapse


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, raw: str | None) -> Month:
        """`YYYY-MM`; today's month when empty. Raises ValueError on anything else."""
        if not raw:
            today = timezone.localdate()
            return cls(today.year, today.month)
        year_text, _dash, month_text = raw.partition("-")
        year, month = int(year_text), int(month_text)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError(raw)
        return cls(year, month)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(
            self.year, self.month, month_layout.monthrange(self.year, self.month)[1]
        )

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        starts = datetime.datetime.combine(self.first, datetime.time.min, tzinfo=tz)
        ends = datetime.datetime.combine(
            self.last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return starts, ends


# Names of the monthly figures, in report order (the page and the export use them).
# Lateness and early leave count each session (seeds/002… 五) and leave out a lapse whose
# explanation the hall director accepted (`*_excused`): late_count = morning_late +
# afternoon_late, early_leaves = morning_early_leaves + afternoon_early_leaves.
FIGURES = (
    "days_present",
    "late_count",
    "morning_late",
    "afternoon_late",
    "late_minutes_total",
    "early_leaves",
    "morning_early_leaves",
    "afternoon_early_leaves",
    "missed_sign_ins",
    "leave_days",
    "half_day_absences",
)


def _figures(prefix: str, month: Month) -> dict[str, object]:
    """Annotations over the attendance rows reached through `prefix` (e.g. "user__attendance")."""
    in_month = Q(**{f"{prefix}__date__gte": month.first, f"{prefix}__date__lte": month.last})

    def lapse(minutes: str, excused: str) -> Q:
        return Q(**{f"{prefix}__{minutes}__gt": 0, f"{prefix}__{excused}": False})

    morning_late = lapse("late_minutes", "morning_late_excused")
    afternoon_late = lapse("afternoon_late_minutes", "afternoon_late_excused")
    morning_early = lapse("morning_early_leave_minutes", "morning_early_excused")
    afternoon_early = lapse("early_leave_minutes", "afternoon_early_excused")

    def minutes(field: str, counted: Q) -> Coalesce:
        return Coalesce(
            Sum(f"{prefix}__{field}", filter=in_month & counted),
            Value(0),
            output_field=IntegerField(),
        )

    return {
        "days_present": Count(
            prefix,
            filter=in_month
            & (
                Q(**{f"{prefix}__signed_in_at__isnull": False})
                | Q(**{f"{prefix}__afternoon_signed_in_at__isnull": False})
            ),
        ),
        "morning_late": Count(prefix, filter=in_month & morning_late),
        "afternoon_late": Count(prefix, filter=in_month & afternoon_late),
        "late_count": Count(prefix, filter=in_month & morning_late)
        + Count(prefix, filter=in_month & afternoon_late),
        "late_minutes_total": minutes("late_minutes", morning_late)
        + minutes("afternoon_late_minutes", afternoon_late),
        "morning_early_leaves": Count(prefix, filter=in_month & morning_early),
        "afternoon_early_leaves": Count(prefix, filter=in_month & afternoon_early),
        "early_leaves": Count(prefix, filter=in_month & morning_early)
        + Count(prefix, filter=in_month & afternoon_early),
        "missed_sign_ins": Count(
            prefix, filter=in_month & Q(**{f"{prefix}__missed_sign_in": True})
        ),
        "leave_days": Count(prefix, filter=in_month & Q(**{f"{prefix}__on_leave": True})),
    }


def _half_days(user_path: str, outer: str, month: Month) -> Coalesce:
    """Absences counted as half a day's absenteeism that began in the month, grouped by
    `user_path` matched against the outer row's `outer`."""
    starts, ends = month.moments()
    counted = (
        Absence.objects.filter(
            **{user_path: OuterRef(outer)},
            counted_as_half_day_absenteeism=True,
            starts_at__gte=starts,
            starts_at__lt=ends,
        )
        .order_by()
        .values(user_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def staff_month_report(staff: QuerySet[Staff], month: Month) -> QuerySet[Staff]:
    """Each staff member of `staff` with the month's figures (see FIGURES)."""
    return (
        staff.select_related("user", "department")
        .annotate(**_figures("user__attendance", month))
        .annotate(half_day_absences=_half_days("user_id", "user_id", month))
        .order_by("department__code", "user__username")
    )


def department_month_report(
    departments: QuerySet[Department], month: Month
) -> QuerySet[Department]:
    """Each department with its staff's figures summed for the month."""
    return (
        departments.annotate(staff_count=Count("staff", distinct=True))
        .annotate(**_figures("staff__user__attendance", month))
        .annotate(half_day_absences=_half_days("user__staff__department", "pk", month))
        .order_by("code")
    )


def attendance_of(user: object, day: datetime.date) -> Attendance | None:
    return Attendance.objects.filter(user_id=getattr(user, "pk", 0) or 0, date=day).first()


def my_month(user: object, month: Month) -> dict[str, int]:
    """The user's own figures for the month (one query for attendance, one for absences)."""
    staff = Staff.objects.filter(user_id=getattr(user, "pk", 0) or 0)
    row = staff_month_report(staff, month).values(*FIGURES).first()
    return dict(row) if row else dict.fromkeys(FIGURES, 0)


def day_board(staff: QuerySet[Staff], day: datetime.date) -> list[tuple[Staff, Attendance | None]]:
    """Who of `staff` signed in on `day`, late or not, and who is missing (two queries)."""
    people = list(
        staff.select_related("user", "department").order_by("department__code", "user__username")
    )
    rows = {
        row.user_id: row
        for row in Attendance.objects.filter(date=day, user_id__in=[s.user_id for s in people])
    }
    return [(person, rows.get(person.user_id)) for person in people]


def explanations_managed_filter(user: object) -> Q:
    """Explanations of the days in the centers `user` manages (none for non-managers): the
    hall director's, who decides them (staffing/explanation_transitions.py)."""
    if not scope_of(user).can_manage:
        return Q(pk__in=[])
    return Q(attendance__center__in=centers_in_scope(user))


def explanations_to_decide(user: object) -> QuerySet[AttendanceExplanation]:
    """Pending explanations `user` decides, oldest first."""
    return (
        AttendanceExplanation.objects.filter(
            explanations_managed_filter(user), status=ExplanationStatus.PENDING
        )
        .select_related("attendance", "attendance__user")
        .order_by("created_at", "pk")
    )


def my_explanations(user: object, month: Month) -> QuerySet[AttendanceExplanation]:
    """The user's own explanations of days in `month`."""
    return AttendanceExplanation.objects.filter(
        attendance__user_id=getattr(user, "pk", 0) or 0,
        attendance__date__gte=month.first,
        attendance__date__lte=month.last,
    ).select_related("decided_by")


@dataclass(frozen=True)
class LapseRow:
    """One lateness or early leave of the user's month, with its explanation if any."""

    attendance: Attendance
    lapse: str
    label: str
    minutes: int
    explanation: AttendanceExplanation | None


def my_lapses(user: object, month: Month) -> list[LapseRow]:
    """Every lateness and early leave of the user's month, by session, newest day first (two
    queries): what the day page offers to explain to the hall director."""
    rows = list(
        Attendance.objects.filter(
            Q(late_minutes__gt=0)
            | Q(afternoon_late_minutes__gt=0)
            | Q(morning_early_leave_minutes__gt=0)
            | Q(early_leave_minutes__gt=0),
            user_id=getattr(user, "pk", 0) or 0,
            date__gte=month.first,
            date__lte=month.last,
        ).order_by("-date")
    )
    explained = {
        (e.attendance_id, e.lapse): e
        for e in AttendanceExplanation.objects.filter(attendance__in=rows)
    }
    labels = dict(Lapse.choices)
    return [
        LapseRow(row, lapse, str(labels[lapse]), minutes, explained.get((row.pk, lapse)))
        for row in rows
        for lapse, (field, _excused) in LAPSE_FIELDS.items()
        if (minutes := getattr(row, field))
    ]
