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
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from govhall.api.schemas import SERVICE_REFUSALS, Code, Id, Line, service_refusal
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import can_read_staff, departments_in_scope, scope_of, staff_in_scope
from govhall.staffing.access.attendance import access_attendance, access_attendance_explanation
from govhall.staffing.explanation_transitions import ExplanationAction
from govhall.staffing.models import Attendance, AttendanceExplanation
from govhall.staffing.queries.attendance import (
    FIGURES,
    Month,
    department_month_report,
    explanations_to_decide,
    my_month,
    staff_month_report,
)
from govhall.staffing.services.attendance import (
    attendance_explain,
    attendance_explanation_decide,
    attendance_sign_in,
    attendance_sign_out,
    explanation_actions,
)

router = Router(auth=django_auth)

MAX_REPORT_STAFF = 2000


class AttendanceOut(Schema):
    id: int
    date: datetime.date
    signed_in_at: datetime.datetime | None = Field(..., description="Morning sign-in")
    late_minutes: int = Field(..., description="Minutes late in the morning")
    morning_signed_out_at: datetime.datetime | None
    morning_early_leave_minutes: int
    afternoon_signed_in_at: datetime.datetime | None
    afternoon_late_minutes: int
    signed_out_at: datetime.datetime | None = Field(..., description="Day's (afternoon) sign-out")
    early_leave_minutes: int = Field(..., description="Minutes left the afternoon early")
    morning_late_excused: bool
    afternoon_late_excused: bool
    morning_early_excused: bool
    afternoon_early_excused: bool
    missed_sign_in: bool
    on_leave: bool


class FiguresOut(Schema):
    days_present: int
    late_count: int = Field(..., description="morning_late + afternoon_late (not excused)")
    morning_late: int
    afternoon_late: int
    late_minutes_total: int
    early_leaves: int = Field(
        ..., description="morning_early_leaves + afternoon_early_leaves (not excused)"
    )
    morning_early_leaves: int
    afternoon_early_leaves: int
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


# --- explanations of a lateness or early leave (issue 16; staffing/explanation_transitions.py) ---


class ExplainIn(Schema):
    lapse: str = Field(
        ..., description="morning_late, afternoon_late, morning_early or afternoon_early"
    )
    reason: Line


class ExplanationDecisionIn(Schema):
    note: Line = ""


class ExplanationOut(Schema):
    id: int
    attendance_id: int
    user_id: int
    date: datetime.date
    lapse: str
    minutes: int
    reason: str
    status: str
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    decision_note: str
    actions: list[str] = Field(
        ..., description="What the caller may do now: POST /explanations/{id}/{action}"
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _explanation(request: HttpRequest, explanation: AttendanceExplanation) -> dict[str, Any]:
    from_row = explanation.attendance
    minutes_field = {
        "morning_late": "late_minutes",
        "afternoon_late": "afternoon_late_minutes",
        "morning_early": "morning_early_leave_minutes",
        "afternoon_early": "early_leave_minutes",
    }[explanation.lapse]
    return {
        "id": explanation.pk,
        "attendance_id": from_row.pk,
        "user_id": from_row.user_id,
        "date": from_row.date,
        "lapse": explanation.lapse,
        "minutes": getattr(from_row, minutes_field),
        "reason": explanation.reason,
        "status": explanation.status,
        "decided_by_id": explanation.decided_by_id,
        "decided_at": explanation.decided_at,
        "decision_note": explanation.decision_note,
        "actions": [str(row.action) for row in explanation_actions(request.user, explanation)],
    }


@router.get(
    "/explanations",
    response=list[ExplanationOut],
    summary="Explanations waiting for my decision (hall director)",
)
def explanations_pending(request: HttpRequest):
    return [_explanation(request, e) for e in explanations_to_decide(request.user)[:500]]


@router.post(
    "/{attendance_id}/explanations",
    response={200: ExplanationOut, **SERVICE_REFUSALS},
    summary="Explain a lateness or early leave of my own day to the hall director",
)
def explain(request: HttpRequest, attendance_id: int, payload: ExplainIn):
    attendance = access_attendance(request.user, attendance_id)
    try:
        explanation = attendance_explain(
            actor=_user(request), attendance=attendance, lapse=payload.lapse, reason=payload.reason
        )
    except ValidationError as error:
        return service_refusal(error)
    return _explanation(request, explanation)


@router.get(
    "/explanations/{explanation_id}",
    response=ExplanationOut,
    summary="One explanation (mine, or of a center I manage)",
)
def explanation_detail(request: HttpRequest, explanation_id: int):
    return _explanation(request, access_attendance_explanation(request.user, explanation_id))


@router.post(
    "/explanations/{explanation_id}/{action}",
    response={200: ExplanationOut, **SERVICE_REFUSALS},
    summary="Accept or reject an explanation (hall director); an accepted lapse stops counting",
)
def explanation_decide(
    request: HttpRequest, explanation_id: int, action: str, payload: ExplanationDecisionIn
):
    if action not in ExplanationAction.values:
        raise HttpError(404, "Not found")
    explanation = access_attendance_explanation(request.user, explanation_id, for_write=True)
    try:
        decided = attendance_explanation_decide(
            actor=_user(request), explanation=explanation, action=action, note=payload.note
        )
    except ValidationError as error:
        return service_refusal(error)
    return _explanation(request, decided)
