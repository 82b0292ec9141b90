"""Attendance API (SPEC §8): sign in and out for oneself, one's month, and scoped monthly reports.

Signing uses the caller's address as the server sees it, so the hall-network rule applies here
exactly as on the workbench. A refused sign-in or sign-out, or a bad month, answers 422 with the
messages (`govhall.api.schemas.service_refusal`); a center outside the caller's scope 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from govhall.api.schemas import SERVICE_REFUSALS, Code, Id, service_refusal
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import can_read_staff, departments_in_scope, scope_of, staff_in_scope
from govhall.staffing.models import Attendance
from govhall.staffing.queries.attendance import (
    FIGURES,
    Month,
    department_month_report,
    my_month,
    staff_month_report,
)
from govhall.staffing.services.attendance import attendance_sign_in, attendance_sign_out

router = Router(auth=django_auth)

MAX_REPORT_STAFF = 2000


class AttendanceOut(Schema):
    date: datetime.date
    signed_in_at: datetime.datetime | None
    signed_out_at: datetime.datetime | None
    late_minutes: int
    early_leave_minutes: int
    missed_sign_in: bool
    on_leave: bool


class FiguresOut(Schema):
    days_present: int
    late_count: int
    late_minutes_total: int
    early_leaves: int
    missed_sign_ins: int
    leave_days: int
    half_day_absences: int


class MyMonthOut(Schema):
    month: str
    figures: FiguresOut
    days: list[AttendanceOut]


class StaffRowOut(FiguresOut):
    user_id: int
    username: str
    name: str
    department_id: int | None


class DepartmentRowOut(FiguresOut):
    department_id: int
    code: str
    name: str
    staff_count: int


class MonthReportOut(Schema):
    center_id: int
    month: str
    staff: list[StaffRowOut]
    departments: list[DepartmentRowOut]


def _month(raw: str | None) -> Month:
    try:
        return Month.parse(raw)
    except ValueError:
        raise HttpError(422, "month: expected YYYY-MM") from None


def _sign(request: HttpRequest, service: object) -> Attendance | Status[dict[str, Any]]:
    try:
        return service(actor=request.user, address=request.META.get("REMOTE_ADDR"))  # type: ignore[operator]
    except ValidationError as error:
        return service_refusal(error)


@router.post(
    "/sign-in", response={200: AttendanceOut, **SERVICE_REFUSALS}, summary="Sign in for today"
)
def sign_in(request: HttpRequest):
    return _sign(request, attendance_sign_in)


@router.post(
    "/sign-out", response={200: AttendanceOut, **SERVICE_REFUSALS}, summary="Sign out for today"
)
def sign_out(request: HttpRequest):
    return _sign(request, attendance_sign_out)


@router.get("/me", response=MyMonthOut, summary="My attendance in a month (YYYY-MM)")
def me(request: HttpRequest, month: Code | None = None):
    chosen = _month(month)
    days = Attendance.objects.filter(
        user_id=request.user.pk or 0, date__gte=chosen.first, date__lte=chosen.last
    ).order_by("date")
    return {"month": chosen.key, "figures": my_month(request.user, chosen), "days": list(days)}


@router.get(
    "/report",
    response=MonthReportOut,
    summary="Monthly attendance per staff member and department of a center in my scope",
)
def report(request: HttpRequest, center: Id | None = None, month: Code | None = None):
    scope = scope_of(request.user)
    if scope.nothing or not can_read_staff(request.user):
        raise HttpError(404, "Not found")
    if center is not None:
        chosen_center = access_center(request.user, center)
    elif scope.root is not None:
        chosen_center = scope.root
    else:
        raise HttpError(422, "center: required")
    chosen = _month(month)
    staff = staff_month_report(staff_in_scope(request.user).filter(center=chosen_center), chosen)[
        :MAX_REPORT_STAFF
    ]
    departments = department_month_report(
        departments_in_scope(request.user).filter(center=chosen_center), chosen
    )
    return {
        "center_id": chosen_center.pk,
        "month": chosen.key,
        "staff": [
            {
                "user_id": person.user_id,
                "username": person.user.username,
                "name": person.user.display_name,
                "department_id": person.department_id,
                **{name: getattr(person, name) for name in FIGURES},
            }
            for person in staff
        ],
        "departments": [
            {
                "department_id": department.pk,
                "code": department.code,
                "name": department.name,
                "staff_count": department.staff_count,  # type: ignore[attr-defined]
                **{name: getattr(department, name) for name in FIGURES},
            }
            for department in departments
        ],
    }
