"""What a period report (通报, issue 18 item 4) says: the figures of a center subtree over a
month, a quarter or a year, gathered from the queries that own them.

Entry points:
def period_bounds(kind, day) -> (first, last)
def previous_period(kind, today) -> (first, last)
def report_content(center, kind, first, last, *, now) -> ReportContent

Each section is a plain table (title, headers, rows of str/int/float/None) with an optional
chart (a label column and a value column), so the workbook, the PDF and the page draw the same
figures. Sources, each defined once where it lives:
- cases: `govhall.stats.queries.figures` (the definitions shown on the figures page);
- attendance: `staffing.queries.attendance.department_month_report`, summed over the months;
- queue: `frontdesk.queries.queue.queue_stats` per center of the subtree;
- appointments: `frontdesk.queries.appointments.appointment_rates(_by_group)`;
- first inquiries: `frontdesk.queries.inquiries.rates` by department;
- satisfaction: `feedback.queries.rating_figures` (counting ratings, 满意率 = levels ≥ 3);
- complaints: received in the period, closed, found against (verified or partly), overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from govhall.feedback.models import Complaint, Rating
from govhall.feedback.models.complaints import FINDINGS_AGAINST, ComplaintStatus
from govhall.feedback.queries.complaints import overdue_q
from govhall.feedback.queries.rating_figures import counts as rating_aggregates
from govhall.feedback.queries.rating_figures import satisfaction_rate
from govhall.frontdesk.models import Appointment, Inquiry
from govhall.frontdesk.queries.appointments import appointment_rates, appointment_rates_by_group
from govhall.frontdesk.queries.inquiries import PERIOD_MONTH, Period, rates
from govhall.frontdesk.queries.queue import queue_stats
from govhall.org.models import Center, Department
from govhall.staffing.queries.attendance import Month, department_month_report
from govhall.stats.access.stats import StatsScope
from govhall.stats.figures import FIGURES
from govhall.stats.models.reports import ReportPeriod
from govhall.stats.queries.figures import change, figure_table, year_before
from govhall.stats.queries.figures import period_bounds as figure_period_bounds
from govhall.stats.queries.figures import previous_period as previous_period_range
from govhall.workdays.queries.calendar import day_start

Cell = str | int | float | None


def period_bounds(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The month, quarter or year holding `day` (the figures' own periods)."""
    if kind not in ReportPeriod.values:
        raise ValueError(kind)
    return figure_period_bounds(kind, day)


def previous_period_of(
    kind: str, first: datetime.date, last: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period right before (环比), as the figures page computes it."""
    return previous_period_range(first, last, kind)


def previous_period(kind: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last whole period before the one holding `today`."""
    first, _last = period_bounds(kind, today)
    return period_bounds(kind, first - datetime.timedelta(days=1))


def _months(first: datetime.date, last: datetime.date) -> list[Month]:
    months = [Month(first.year, first.month)]
    while months[-1].last < last:
        months.append(months[-1].next())
    return months


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    # The chart drawn in the PDF: bars of `chart_value` (a column index) per row label (column 0).
    chart_value: int | None = None
    chart_title: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "headers": self.headers,
            "rows": self.rows,
            "note": self.note,
            "chart_value": self.chart_value,
            "chart_title": self.chart_title,
        }


@dataclass
class ReportContent:
    center_name: str
    kind: str
    first: datetime.date
    last: datetime.date
    sections: list[Section]

    def as_dict(self) -> dict[str, Any]:
        return {
            "center": self.center_name,
            "kind": self.kind,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "sections": [section.as_dict() for section in self.sections],
        }


def period_label(kind: str, first: datetime.date) -> str:
    if kind == ReportPeriod.YEAR:
        return _("%(year)d") % {"year": first.year}
    if kind == ReportPeriod.QUARTER:
        return _("%(year)d Q%(quarter)d") % {
            "year": first.year,
            "quarter": (first.month - 1) // 3 + 1,
        }
    return f"{first:%Y-%m}"


def report_title(center: Center, kind: str, first: datetime.date) -> str:
    return _("%(center)s %(kind)s report %(period)s") % {
        "center": center.name,
        "kind": ReportPeriod(kind).label,
        "period": period_label(kind, first),
    }


def _attendance(departments: list[Department], months: list[Month]) -> Section:
    section = Section(
        key="attendance",
        title=_("Attendance"),
        headers=[
            _("Department"),
            _("Staff"),
            _("Days present"),
            _("Late arrivals"),
            _("Early leaves"),
            _("Missed sign-ins"),
            _("Leave days"),
            _("Half-day absences"),
        ],
        note=_("From the monthly attendance report; excused lapses are not counted."),
        chart_value=3,
        chart_title=_("Late arrivals by department"),
    )
    figures = (
        "days_present",
        "late_count",
        "early_leaves",
        "missed_sign_ins",
        "leave_days",
        "half_day_absences",
    )
    totals: dict[int, list[int]] = {d.pk: [0] * len(figures) for d in departments}
    staff: dict[int, int] = {}
    ids = [d.pk for d in departments]
    for month in months:
        for row in department_month_report(Department.objects.filter(pk__in=ids), month):
            staff[row.pk] = getattr(row, "staff_count", 0)
            for index, name in enumerate(figures):
                totals[row.pk][index] += int(getattr(row, name) or 0)
    for department in departments:
        section.rows.append([department.name, staff.get(department.pk, 0), *totals[department.pk]])
    return section


def _queue(centers: list[Center], first: datetime.date, last: datetime.date) -> Section:
    section = Section(
        key="queue",
        title=_("Queue"),
        headers=[
            _("Center"),
            _("Tickets taken"),
            _("Called"),
            _("Served"),
            _("No-shows"),
            _("Average wait (min)"),
            _("Longest wait (min)"),
            _("Average service (min)"),
        ],
        note=_("Wait: from taking the ticket to the first call; service: start to finish."),
        chart_value=1,
        chart_title=_("Tickets taken by center"),
    )
    for center in centers:
        total = queue_stats(center, first, last).total
        if not total.taken:
            continue
        section.rows.append(
            [
                center.name,
                total.taken,
                total.called,
                total.served,
                total.no_shows,
                total.wait_avg_minutes,
                total.wait_max_minutes,
                total.service_avg_minutes,
            ]
        )
    return section


def _appointments(center_ids: list[int], first: datetime.date, last: datetime.date) -> Section:
    section = Section(
        key="appointments",
        title=_("Appointments"),
        headers=[
            _("Group"),
            _("Appointments"),
            _("Taken rate (%)"),
            _("Came due"),
            _("On-time rate (%)"),
            _("No-shows"),
            _("Cancelled"),
            _("Off-hours requests"),
        ],
        note=_(
            "Taken rate: requests taken of all requests; on-time rate: served before the end "
            "of the slot of those that came due. Slots the hall cancelled are left out."
        ),
        chart_value=1,
        chart_title=_("Appointments by group"),
    )
    qs = Appointment.objects.filter(center_id__in=center_ids)

    def row(label: str, r: Any) -> list[Cell]:
        return [
            label,
            r.total,
            r.taken_rate,
            r.due,
            r.on_time_rate,
            r.no_show,
            r.cancelled,
            r.off_hours,
        ]

    for group, group_rates in appointment_rates_by_group(qs, first, last):
        section.rows.append(
            row(f"{group['center']} {group['letter']} {group['name']}", group_rates)
        )
    total = appointment_rates(qs, first, last)
    if section.rows:
        section.rows.append(row(_("All"), total))
    return section


def _inquiries(
    center: Center, center_ids: list[int], first: datetime.date, last: datetime.date
) -> Section:
    section = Section(
        key="inquiries",
        title=_("First inquiries"),
        headers=[
            _("Department"),
            _("Received"),
            _("Finished"),
            _("Finished rate (%)"),
            _("Transferred"),
            _("Overdue"),
        ],
        note=_("首问负责: inquiries received in the period and how many were finished."),
        chart_value=1,
        chart_title=_("Inquiries by department"),
    )
    found = rates(
        Inquiry.objects.filter(center_id__in=center_ids),
        Period(PERIOD_MONTH, first, last),
        center_id=center.pk,
    )

    def row(r: Any) -> list[Cell]:
        rate = r.finished_rate
        return [
            str(r.label),
            r.received,
            r.finished,
            float(rate) if rate is not None else None,
            r.transferred,
            r.overdue,
        ]

    section.rows = [row(r) for r in found.by_department]
    if section.rows:
        section.rows.append(row(found.total))
    return section


def _satisfaction(center_ids: list[int], first: datetime.date, last: datetime.date) -> Section:
    section = Section(
        key="satisfaction",
        title=_("Satisfaction"),
        headers=[
            _("Department"),
            _("Ratings"),
            _("Good"),
            _("Bad ratings"),
            _("Satisfaction rate (%)"),
        ],
        note=_(
            "Counting ratings only (not excluded on appeal, not replaced); satisfaction rate: "
            "ratings at level 3 or better among all."
        ),
        chart_value=4,
        chart_title=_("Satisfaction rate by department (%)"),
    )
    ratings = Rating.objects.counting().filter(
        center_id__in=center_ids,
        rated_at__gte=day_start(first),
        rated_at__lt=day_start(last + datetime.timedelta(days=1)),
    )
    by_department = (
        ratings.order_by()
        .values("department__name")
        .annotate(**rating_aggregates())
        .order_by("department__name")
    )
    for r in by_department:
        section.rows.append(
            [
                r["department__name"] or _("The center"),
                r["total"],
                r["good"],
                r["bad"],
                satisfaction_rate(r["good"], r["total"]),
            ]
        )
    if section.rows:
        total = ratings.order_by().aggregate(**rating_aggregates())
        section.rows.append(
            [
                _("All"),
                total["total"],
                total["good"],
                total["bad"],
                satisfaction_rate(total["good"], total["total"]),
            ]
        )
    return section


def _complaints(
    centers: list[Center], first: datetime.date, last: datetime.date, now: datetime.datetime
) -> Section:
    section = Section(
        key="complaints",
        title=_("Complaints"),
        headers=[
            _("Center"),
            _("Received"),
            _("Closed"),
            _("Found against"),
            _("Overdue"),
        ],
        note=_(
            "Complaints received in the period; found against: verified or partly verified; "
            "overdue: still open past the due time when the report was made."
        ),
        chart_value=1,
        chart_title=_("Complaints by center"),
    )
    names = {c.pk: c.name for c in centers}
    rows = (
        Complaint.objects.filter(
            center_id__in=list(names),
            received_at__gte=day_start(first),
            received_at__lt=day_start(last + datetime.timedelta(days=1)),
        )
        .order_by()
        .values("center_id")
        .annotate(
            received=Count("pk"),
            closed=Count("pk", filter=Q(status=ComplaintStatus.CLOSED)),
            against=Count("pk", filter=Q(finding__in=FINDINGS_AGAINST)),
            overdue=Count("pk", filter=overdue_q(now)),
        )
    )
    found = {r["center_id"]: r for r in rows}
    for center in centers:
        r = found.get(center.pk)
        if r:
            section.rows.append(
                [center.name, r["received"], r["closed"], r["against"], r["overdue"]]
            )
    if len(section.rows) > 1:
        section.rows.append(
            [_("All"), *(sum(int(row[i] or 0) for row in section.rows) for i in range(1, 5))]
        )
    return section


def report_content(
    center: Center,
    kind: str,
    first: datetime.date,
    last: datetime.date,
    *,
    now: datetime.datetime,
) -> ReportContent:
    """Every section of the report of `center`'s subtree over [first, last]."""
    centers = list(Center.objects.subtree_of(center).order_by("path"))
    center_ids = [c.pk for c in centers]
    departments = list(
        Department.objects.filter(center_id__in=center_ids).order_by("center__path", "code")
    )
    sections: list[Section] = [
        *case_sections(center, kind, first, last),
        _attendance(departments, _months(first, last)),
        _queue(centers, first, last),
        _appointments(center_ids, first, last),
        _inquiries(center, center_ids, first, last),
        _satisfaction(center_ids, first, last),
        _complaints(centers, first, last, now),
    ]
    return ReportContent(
        center_name=center.name, kind=kind, first=first, last=last, sections=sections
    )


_CASE_COLUMNS = (
    "received",
    "completed",
    "on_time_rate",
    "overdue",
    "immediate_share",
    "online_share",
    "satisfaction_rate",
)


def case_sections(
    center: Center, kind: str, first: datetime.date, last: datetime.date
) -> list[Section]:
    """The case figures (issue 18 item 1) of the subtree, read from the rollups through
    `stats.queries.figures`: every figure with 环比 and 同比, then by center (when the subtree
    has more than one) and by department, and the definitions of the figures."""
    scope = StatsScope(centers=Center.objects.subtree_of(center), department_id=None)
    unit = {figure.code: figure.unit for figure in FIGURES}
    total = figure_table(scope, first, last, dimension="total", period=kind).total
    before, year_ago = previous_period_of(kind, first, last), year_before(first, last)
    summary = Section(
        key="cases",
        title=_("Cases"),
        headers=[
            _("Figure"),
            _("This period"),
            _("Previous period"),
            _("Change (%)"),
            _("A year before"),
            _("Change (%)"),
        ],
        note=_("Previous period: %(before)s; a year before: %(ago)s. Definitions at the end.")
        % {
            "before": f"{before[0]:%Y-%m-%d} – {before[1]:%Y-%m-%d}",
            "ago": f"{year_ago[0]:%Y-%m-%d} – {year_ago[1]:%Y-%m-%d}",
        },
    )
    for figure in FIGURES:
        now_value = total.values.get(figure.code)
        previous_value = total.previous.get(figure.code)
        past_value = total.last_year.get(figure.code)
        label = f"{figure.label} ({figure.unit})" if figure.unit else str(figure.label)
        summary.rows.append(
            [
                label,
                now_value,
                previous_value,
                change(now_value, previous_value),
                past_value,
                change(now_value, past_value),
            ]
        )
    headers = [
        f"{f.label} ({f.unit})" if f.unit else str(f.label)
        for code in _CASE_COLUMNS
        for f in FIGURES
        if f.code == code
    ]
    sections = [summary]
    dimensions = [("department", _("Cases by department"), _("Department"))]
    if Center.objects.subtree_of(center).count() > 1:
        dimensions.insert(0, ("center", _("Cases by center"), _("Center")))
    for dimension, title, first_header in dimensions:
        table = figure_table(scope, first, last, dimension=dimension, period=kind)
        section = Section(
            key=f"cases_by_{dimension}",
            title=title,
            headers=[first_header, *headers],
            rows=[
                [row.label, *(row.values.get(code) for code in _CASE_COLUMNS)] for row in table.rows
            ],
            chart_value=1 + _CASE_COLUMNS.index("on_time_rate"),
            chart_title=_("On-time rate (%)"),
        )
        sections.append(section)
    definitions = Section(
        key="definitions",
        title=_("Definitions of the case figures"),
        headers=[_("Figure"), _("Definition")],
        rows=[
            [f"{f.label} ({unit[f.code]})" if unit[f.code] else str(f.label), str(f.hint)]
            for f in FIGURES
        ],
    )
    return [*sections, definitions]
