"""Workbench pages of attendance (SPEC §8): my day with sign-in and sign-out, today's board for
managers and window heads, the monthly report with its xlsx export, and closing a day."""

from __future__ import annotations

import datetime
from io import BytesIO
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from govhall.core.spreadsheets import neutralise_row
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import (
    can_read_staff,
    centers_in_scope,
    departments_in_scope,
    scope_of,
    staff_in_scope,
)
from govhall.org.models import Center
from govhall.staffing.access.attendance import (
    access_attendance,
    access_attendance_explanation,
    can_decide_attendance_explanations,
    can_see_attendance_board,
)
from govhall.staffing.explanation_transitions import ExplanationAction
from govhall.staffing.models.attendance import Lapse
from govhall.staffing.queries.attendance import (
    FIGURES,
    Month,
    attendance_of,
    day_board,
    department_month_report,
    explanations_to_decide,
    my_lapses,
    my_month,
    staff_month_report,
)
from govhall.staffing.services.attendance import (
    attendance_close_day,
    attendance_explain,
    attendance_explanation_decide,
    attendance_sign_in,
    attendance_sign_out,
    explanation_actions,
)
from govhall.workbench.htmx import htmx_result, is_htmx, refuse
from govhall.workdays.queries.calendar import calendar_for

PAGE_SIZE = 50
PICKER_LIMIT = 300


def figure_labels() -> list[str]:
    labels = {
        "days_present": _("Days present"),
        "late_count": _("Times late"),
        "late_minutes_total": _("Minutes late"),
        "morning_late": _("Late in the morning"),
        "afternoon_late": _("Late in the afternoon"),
        "early_leaves": _("Early leaves"),
        "morning_early_leaves": _("Left the morning early"),
        "afternoon_early_leaves": _("Left the afternoon early"),
        "missed_sign_ins": _("Missed sign-ins"),
        "leave_days": _("Days on leave"),
        "half_day_absences": _("Half-day absenteeism"),
    }
    return [labels[name] for name in FIGURES]


class CloseDayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@login_required
@require_GET
def attendance_day(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if scope.nothing or scope.root is None:
        raise Http404
    center = scope.root
    today = timezone.localdate()
    due = (
        datetime.datetime.combine(today, center.morning_opens)
        - datetime.timedelta(minutes=center.early_arrival_minutes)
    ).time()
    afternoon_due = (
        datetime.datetime.combine(today, center.afternoon_opens)
        - datetime.timedelta(minutes=center.early_arrival_minutes)
    ).time()
    month = Month(today.year, today.month)
    context: dict[str, Any] = {
        "center": center,
        "today": today,
        "is_workday": calendar_for(center.pk).is_workday(today),
        "attendance": attendance_of(request.user, today),
        "due": due,
        "afternoon_due": afternoon_due,
        "lapses": my_lapses(request.user, month),
        "afternoon_opens": center.afternoon_opens,
        "can_decide": can_decide_attendance_explanations(request.user),
        "month": month,
        "figures": list(zip(figure_labels(), my_month(request.user, month).values(), strict=True)),
    }
    mine, clock = context["attendance"], timezone.localtime().time()
    # The buttons follow the sessions (services/attendance.py): signed for this session already?
    context["sign_in_done"] = mine is not None and (
        mine.afternoon_signed_in_at is not None
        or (mine.signed_in_at is not None and clock < center.morning_closes)
    )
    context["sign_out_done"] = mine is not None and (
        mine.signed_out_at is not None
        or (mine.morning_signed_out_at is not None and clock < center.afternoon_opens)
    )
    if can_see_attendance_board(request.user):
        context["board"] = day_board(staff_in_scope(request.user).filter(center=center), today)
    return render(request, "workbench/staffing/attendance/day.html", context)


def _sign(
    request: HttpRequest, service: Any, moment_fields: tuple[str, str], done: str
) -> HttpResponse:
    try:
        attendance = service(actor=request.user, address=_client_address(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        # The session signed now is the latest of its two moments (morning or afternoon).
        moments = [getattr(attendance, name) for name in moment_fields]
        moment = timezone.localtime(max(m for m in moments if m is not None))
        messages.success(request, done % {"time": moment.strftime("%H:%M")})
    return HttpResponseRedirect(reverse("workbench:attendance"))


@login_required
@require_POST
def attendance_sign_in_view(request: HttpRequest) -> HttpResponse:
    return _sign(
        request,
        attendance_sign_in,
        ("signed_in_at", "afternoon_signed_in_at"),
        _("Signed in at %(time)s."),
    )


@login_required
@require_POST
def attendance_sign_out_view(request: HttpRequest) -> HttpResponse:
    return _sign(
        request,
        attendance_sign_out,
        ("morning_signed_out_at", "signed_out_at"),
        _("Signed out at %(time)s."),
    )


@login_required
@require_POST
def attendance_explain_view(request: HttpRequest, attendance_id: int) -> HttpResponse:
    """Explain a lateness or early leave of one's own day to the hall director."""
    attendance = access_attendance(request.user, attendance_id)
    try:
        attendance_explain(
            actor=request.user,  # type: ignore[arg-type]
            attendance=attendance,
            lapse=request.POST.get("lapse", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your explanation was sent to the hall director."))
    return HttpResponseRedirect(reverse("workbench:attendance") + "#lapses")


@login_required
@require_GET
def attendance_explanations(request: HttpRequest) -> HttpResponse:
    """The hall director's list of explanations waiting for a decision."""
    if not can_decide_attendance_explanations(request.user):
        raise Http404
    page = Paginator(explanations_to_decide(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        (explanation, explanation_actions(request.user, explanation))
        for explanation in page.object_list
    ]
    return render(
        request,
        "workbench/staffing/attendance/explanations.html",
        {"rows": rows, "page_obj": page, "lapse_labels": dict(Lapse.choices)},
    )


@login_required
@require_POST
def attendance_explanation_decide_view(
    request: HttpRequest, explanation_id: int, action: str
) -> HttpResponse:
    if action not in ExplanationAction.values:
        raise Http404
    explanation = access_attendance_explanation(request.user, explanation_id, for_write=True)
    status = 200
    try:
        attendance_explanation_decide(
            actor=request.user,  # type: ignore[arg-type]
            explanation=explanation,
            action=action,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        status = refuse(request, error)
    else:
        messages.success(
            request,
            _("Explanation accepted: it no longer counts.")
            if action == ExplanationAction.ACCEPT
            else _("Explanation rejected."),
        )
    if is_htmx(request):
        # The row in its new state and the message at once (workbench/htmx.py).
        explanation.refresh_from_db()
        return htmx_result(
            request,
            "workbench/staffing/attendance/_explanation_row.html",
            {
                "explanation": explanation,
                "actions": explanation_actions(request.user, explanation),
            },
            status=status,
        )
    return HttpResponseRedirect(reverse("workbench:attendance_explanations"))


def _report_scope(request: HttpRequest) -> tuple[Center, Month]:
    """The center and month of a report request; 404 outside the user's scope."""
    scope = scope_of(request.user)
    if scope.nothing or not can_read_staff(request.user):
        raise Http404
    raw_center = request.GET.get("center")
    if raw_center:
        center = access_center(request.user, raw_center)
    elif scope.root is not None:
        center = scope.root
    else:
        raise Http404
    try:
        month = Month.parse(request.GET.get("month"))
    except ValueError:
        raise Http404 from None
    return center, month


def _reports(request: HttpRequest, center: Center, month: Month) -> tuple[Any, Any]:
    staff = staff_month_report(staff_in_scope(request.user).filter(center=center), month)
    departments = department_month_report(
        departments_in_scope(request.user).filter(center=center), month
    )
    return staff, departments


def _rows(objects: Any) -> list[tuple[Any, list[int]]]:
    return [(item, [getattr(item, name) for name in FIGURES]) for item in objects]


@login_required
@require_GET
def attendance_month(request: HttpRequest) -> HttpResponse:
    center, month = _report_scope(request)
    staff, departments = _reports(request, center, month)
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    query: dict[str, str | int] = {"center": center.pk, "month": month.key}
    context = {
        "center": center,
        "month": month,
        "labels": figure_labels(),
        "staff_rows": _rows(page.object_list),
        "page_obj": page,
        "department_rows": _rows(departments),
        "picker_centers": centers_in_scope(request.user).only("pk", "name")[:PICKER_LIMIT],
        "query": urlencode(query),
        "previous_query": urlencode({**query, "month": month.previous().key}),
        "next_query": urlencode({**query, "month": month.next().key}),
        "can_close": scope_of(request.user).can_manage,
        "close_form": CloseDayForm(initial={"day": timezone.localdate()}),
    }
    return render(request, "workbench/staffing/attendance/month.html", context)


@login_required
@require_GET
def attendance_export(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    center, month = _report_scope(request)
    staff, departments = _reports(request, center, month)
    labels = figure_labels()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Staff")
    sheet.append([_("Staff member"), _("Department"), *labels])
    for person, values in _rows(staff):
        # Names come from users: never let a spreadsheet run them as formulas (issue 12).
        sheet.append(
            neutralise_row(
                [
                    person.user.display_name,
                    person.department.name if person.department else "",
                    *values,
                ]
            )
        )
    by_department = book.create_sheet(_("Departments"))
    by_department.append([_("Department"), _("Staff"), *labels])
    for department, values in _rows(departments):
        by_department.append(neutralise_row([department.name, department.staff_count, *values]))
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="attendance-{center.code}-{month.key}.xlsx"'
    )
    return response


@login_required
@require_POST
def attendance_close_day_view(request: HttpRequest, center_id: int) -> HttpResponse:
    center = access_center(request.user, center_id, for_write=True)
    form = CloseDayForm(request.POST)
    day = timezone.localdate()
    if form.is_valid():
        day = form.cleaned_data["day"]
        try:
            result = attendance_close_day(
                actor=request.user,  # type: ignore[arg-type]
                center=center,
                day=day,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(day)s closed: %(missed)s missed sign-ins, %(on_leave)s on leave.")
                % {"day": day.isoformat(), **result},
            )
    else:
        for field_errors in form.errors.values():
            for field_error in field_errors:
                messages.error(request, str(field_error))
    query_items: dict[str, str | int] = {"center": center.pk, "month": f"{day:%Y-%m}"}
    query = urlencode(query_items)
    return HttpResponseRedirect(f"{reverse('workbench:attendance_month')}?{query}")
