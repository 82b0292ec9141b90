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

from govhall.org.models import Department, Staff
from govhall.staffing.models import Absence, Attendance


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
FIGURES = (
    "days_present",
    "late_count",
    "late_minutes_total",
    "early_leaves",
    "missed_sign_ins",
    "leave_days",
    "half_day_absences",
)


def _figures(prefix: str, month: Month) -> dict[str, object]:
    """Annotations over the attendance rows reached through `prefix` (e.g. "user__attendance")."""
    in_month = Q(**{f"{prefix}__date__gte": month.first, f"{prefix}__date__lte": month.last})
    return {
        "days_present": Count(
            prefix, filter=in_month & Q(**{f"{prefix}__signed_in_at__isnull": False})
        ),
        "late_count": Count(prefix, filter=in_month & Q(**{f"{prefix}__late_minutes__gt": 0})),
        "late_minutes_total": Coalesce(
            Sum(f"{prefix}__late_minutes", filter=in_month), Value(0), output_field=IntegerField()
        ),
        "early_leaves": Count(
            prefix, filter=in_month & Q(**{f"{prefix}__early_leave_minutes__gt": 0})
        ),
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
