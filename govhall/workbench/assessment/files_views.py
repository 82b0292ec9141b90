"""Workbench pages of the assessment files (issue 21 item 1b): a person's file, the annual
assessment of a center, the reports to the departments (half-yearly, monthly attendance) with
their printable page, workbook and "sent" record, and the temporary covers to replace.

Who reads what is `assessment.access.person_file`; the services check the manager's right
again."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.assessment.access.person_file import (
    access_person_file,
    can_read_person_files,
)
from govhall.assessment.grading import Grade
from govhall.assessment.models import ReportKind
from govhall.assessment.queries.annual import annual_proposals
from govhall.assessment.queries.covers import flagged_covers
from govhall.assessment.queries.department_reports import (
    attendance_reports,
    departments_of,
    half_year_bounds,
    half_year_reports,
    reports_sent,
)
from govhall.assessment.queries.person_file import person_file
from govhall.assessment.report_exports import (
    attendance_headers,
    attendance_rows,
    half_year_headers,
    half_year_rows,
    report_xlsx,
)
from govhall.assessment.services.annual import (
    annual_result_record,
    department_report_send,
    report_period,
)
from govhall.core.access import id_or_404
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Department
from govhall.staffing.access.assignments import can_decide_return, can_see_return_warnings
from govhall.staffing.queries.attendance import Month
from govhall.workbench.request_input import staff_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _center(request: HttpRequest) -> Center:
    raw = request.GET.get("center") or request.POST.get("center") or ""
    if raw:
        return access_center(request.user, raw)
    scope = scope_of(request.user)
    center = scope.root or centers_in_scope(request.user).first()
    if center is None:
        raise Http404
    return center


def _year(raw: str | None) -> int:
    if not raw:
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _reader(request: HttpRequest) -> None:
    if not can_read_person_files(staff_user(request)):
        raise Http404


@login_required
def person_file_page(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = staff_user(request)
    person = access_person_file(actor, user_id)
    year = _year(request.GET.get("year"))
    found = person_file(person, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    center_id = found.staff.center_id if found.staff else 0
    return render(
        request,
        "workbench/assessment/person_file.html",
        {
            "file": found,
            "year": year,
            "can_decide": can_decide_return(actor, center_id) and actor.pk != person.pk,
            "can_see_notices": can_see_return_warnings(actor),
            "center_id": center_id,
        },
    )


@login_required
def my_file(request: HttpRequest) -> HttpResponse:
    """One's own file, shown here (the menu's entry answers itself; 404 without a staff
    record, like any file one may not read)."""
    return person_file_page(request, staff_user(request).pk)


@login_required
def annual_page(request: HttpRequest) -> HttpResponse:
    _reader(request)
    actor = staff_user(request)
    center = _center(request)
    year = _year(request.GET.get("year") or request.POST.get("year"))
    can_record = manages_center(actor, center.pk)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise Http404
        person = access_person_file(actor, request.POST.get("person", ""))
        try:
            annual_result_record(
                actor=actor,
                person=person,
                year=year,
                grade=request.POST.get("grade") or None,
                note=request.POST.get("note", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 422
        else:
            messages.success(request, _("The annual assessment was recorded."))
            return HttpResponseRedirect(
                reverse("workbench:assessment_annual")
                + "?"
                + urlencode({"center": center.pk, "year": year})
            )
    return render(
        request,
        "workbench/assessment/annual.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).only("pk", "name", "path"),
            "year": year,
            "rows": annual_proposals(center, year, department_id=scope_of(actor).department_id),
            "can_record": can_record,
            "grades": Grade.choices,
        },
        status=status,
    )


def _report_args(request: HttpRequest) -> tuple[str, int, int]:
    kind = request.GET.get("kind") or request.POST.get("kind") or ReportKind.HALF_YEAR
    if kind not in ReportKind.values:
        raise Http404
    today = timezone.localdate()
    year = _year(request.GET.get("year") or request.POST.get("year"))
    raw = request.GET.get("part") or request.POST.get("part") or ""
    default = (1 if today.month <= 6 else 2) if kind == ReportKind.HALF_YEAR else today.month
    try:
        part = int(raw) if raw else default
    except ValueError:
        raise Http404 from None
    if not 1 <= part <= (2 if kind == ReportKind.HALF_YEAR else 12):
        raise Http404
    return kind, year, part


def _reports(
    center: Center, actor: object, kind: str, year: int, part: int, department_id: int | None
) -> list[object]:
    scope_department = scope_of(actor).department_id
    if scope_department is not None:
        if department_id not in (None, scope_department):
            raise Http404
        department_id = scope_department
    departments = departments_of(center, department_id)
    if kind == ReportKind.HALF_YEAR:
        return list(half_year_reports(departments, year, part))
    return list(attendance_reports(departments, Month(year, part)))


def _query(center_id: int, kind: str, year: int, part: int) -> str:
    values: dict[str, str | int] = {"center": center_id, "kind": kind, "year": year, "part": part}
    return urlencode(values)


def _title(center: Center, kind: str, year: int, part: int) -> str:
    if kind == ReportKind.HALF_YEAR:
        start, end = half_year_bounds(year, part)
        return _("%(center)s half-yearly report on the window staff %(start)s – %(end)s") % {
            "center": center.name,
            "start": f"{start:%Y-%m}",
            "end": f"{end:%Y-%m}",
        }
    return _("%(center)s monthly attendance report %(month)s") % {
        "center": center.name,
        "month": f"{year:04d}-{part:02d}",
    }


@login_required
def department_reports_page(request: HttpRequest) -> HttpResponse:
    _reader(request)
    actor = staff_user(request)
    center = _center(request)
    kind, year, part = _report_args(request)
    departments = departments_of(center, scope_of(actor).department_id)
    return render(
        request,
        "workbench/assessment/department_reports.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).only("pk", "name", "path"),
            "kind": kind,
            "kinds": ReportKind.choices,
            "year": year,
            "part": part,
            "parts": range(1, 3 if kind == ReportKind.HALF_YEAR else 13),
            "title": _title(center, kind, year, part),
            "reports": _reports(center, actor, kind, year, part, None),
            "sent_list": reports_sent(departments),
            "can_send": manages_center(actor, center.pk),
            "query": _query(center.pk, kind, year, part),
        },
    )


def _department(request: HttpRequest, department_id: int) -> Department:
    _reader(request)
    pk = id_or_404(department_id)
    department = Department.objects.filter(pk=pk, center__in=centers_in_scope(request.user)).first()
    scope_department = scope_of(request.user).department_id
    if department is None or scope_department not in (None, department.pk):
        raise Http404
    return department


@login_required
def department_report_print(request: HttpRequest, department_id: int) -> HttpResponse:
    department = _department(request, department_id)
    kind, year, part = _report_args(request)
    report = _reports(department.center, request.user, kind, year, part, department.pk)[0]
    return render(
        request,
        "workbench/assessment/department_report_print.html",
        {
            "report": report,
            "kind": kind,
            "title": _title(department.center, kind, year, part),
            "center": department.center,
            "back_url": reverse("workbench:assessment_department_reports")
            + "?"
            + _query(department.center_id, kind, year, part),
            "today": timezone.localdate(),
        },
    )


@login_required
def department_report_xlsx(request: HttpRequest, department_id: int) -> HttpResponse:
    department = _department(request, department_id)
    kind, year, part = _report_args(request)
    report = _reports(department.center, request.user, kind, year, part, department.pk)[0]
    if kind == ReportKind.HALF_YEAR:
        data = report_xlsx(
            _title(department.center, kind, year, part),
            half_year_headers(),
            half_year_rows(report),  # type: ignore[arg-type]
        )
    else:
        data = report_xlsx(
            _title(department.center, kind, year, part),
            attendance_headers(),
            attendance_rows(report),  # type: ignore[arg-type]
        )
    response = HttpResponse(data, content_type=XLSX)
    name = f"{kind}-{department.code}-{year}-{part:02d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def department_report_send_view(request: HttpRequest, department_id: int) -> HttpResponse:
    actor = staff_user(request)
    department = _department(request, department_id)
    if not manages_center(actor, department.center_id):
        raise Http404
    kind, year, part = _report_args(request)
    try:
        department_report_send(
            actor=actor,
            department=department,
            kind=kind,
            period=report_period(kind, year, part),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Marked as sent to %(department)s.") % {"department": department}
        )
    return HttpResponseRedirect(
        reverse("workbench:assessment_department_reports")
        + "?"
        + _query(department.center_id, kind, year, part)
    )


@login_required
def flagged_covers_page(request: HttpRequest) -> HttpResponse:
    _reader(request)
    actor = staff_user(request)
    center = _center(request)
    return render(
        request,
        "workbench/assessment/flagged_covers.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).only("pk", "name", "path"),
            "flags": flagged_covers(center, department_id=scope_of(actor).department_id),
        },
    )
