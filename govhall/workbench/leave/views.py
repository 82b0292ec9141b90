"""Workbench pages for leave (SPEC §8): my requests, the requests I decide, the team calendar."""

from __future__ import annotations

import datetime
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
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.staffing.access.leave import access_leave, access_team_calendar
from govhall.staffing.leave_transitions import LeaveAction
from govhall.staffing.models import Delegation
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.queries.leave import (
    LeaveViewer,
    leaves_to_decide,
    my_leaves,
    team_calendar,
    team_staff,
)
from govhall.staffing.queries.leave_cover import chosen_covers, cover_candidates, leave_cover_plan
from govhall.staffing.services.leave import (
    leave_actions,
    leave_approve,
    leave_cancel,
    leave_reject,
    leave_request,
)
from govhall.workbench.htmx import htmx_result, is_htmx, refuse
from govhall.workbench.request_input import month_from_query, month_neighbours, staff_user
from govhall.workdays.queries.calendar import calendar_for

PAGE_SIZE = 50
# Centers offered in the team calendar's picker (managers); others type ?center=.
PICKER_LIMIT = 300
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LeaveRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=LeaveKind.choices)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("From"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _default_form() -> LeaveRequestForm:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return LeaveRequestForm(
        initial={
            "starts_at": datetime.datetime.combine(tomorrow, datetime.time(8, 30)),
            "ends_at": datetime.datetime.combine(tomorrow, datetime.time(17, 30)),
        }
    )


@login_required
def leaves(request: HttpRequest) -> HttpResponse:
    """My leave requests with the request form, and the requests waiting for my decision."""
    user = staff_user(request)
    if request.method == "POST":
        form = LeaveRequestForm(request.POST)
        if form.is_valid():
            try:
                leave_request(actor=user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Your leave request was sent."))
                return HttpResponseRedirect(reverse("workbench:leaves"))
        status = 400
    else:
        form = _default_form()
        status = 200
    page = Paginator(my_leaves(user), PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = LeaveViewer(user)
    now = timezone.now()
    # The buttons come from the leave state machine (staffing/leave_transitions.py).
    to_decide = [
        _decision_row(user, leave, viewer=viewer, at=now)
        for leave in leaves_to_decide(user)[:PAGE_SIZE]
    ]
    # The cover records of my approved leaves on this page (one query).
    covers_of: dict[int, list[Delegation]] = {}
    for record in (
        Delegation.objects.filter(leave__in=[leave.pk for leave in page])
        .select_related("post", "post__window", "cover_user")
        .order_by("post_id")
    ):
        covers_of.setdefault(record.leave_id or 0, []).append(record)
    for leave in page:
        setattr(leave, "cover_records", covers_of.get(leave.pk, []))  # noqa: B010
    cancellable = {
        leave.pk
        for leave in page
        if any(
            row.action == LeaveAction.CANCEL
            for row in leave_actions(user, leave, now, viewer=viewer)
        )
    }
    return render(
        request,
        "workbench/staffing/leave/leaves.html",
        {
            "form": form,
            "page_obj": page,
            "to_decide": to_decide,
            "cancellable": cancellable,
            "statuses": LeaveStatus,
        },
        status=status,
    )


def _decision_row(
    user: object,
    leave: Leave,
    error: str = "",
    *,
    viewer: LeaveViewer | None = None,
    at: datetime.datetime | None = None,
) -> dict[str, Any]:
    """One request to decide, with the decisions `user` may take on it: approving covers the
    head's endorsement of a long leave (leave_approve endorses it)."""
    actions = {row.action for row in leave_actions(user, leave, at, viewer=viewer)}
    # Who will serve each post the leave touches, and the cover to name where nobody would
    # (issue 16 item 2): shown to the one granting the leave before they confirm.
    grants = LeaveAction.APPROVE in actions
    return {
        "leave": leave,
        "error": error,
        "may_approve": bool(actions & {LeaveAction.APPROVE, LeaveAction.ENDORSE}),
        "may_reject": LeaveAction.REJECT in actions,
        "grants": grants,
        "plan": leave_cover_plan(leave) if leave.status != LeaveStatus.REJECTED else [],
        "candidates": cover_candidates(leave) if grants else [],
        "covers": chosen_covers(leave) if leave.status == LeaveStatus.APPROVED else [],
    }


def _covers_from(request: HttpRequest, leave: Leave) -> dict[int, User]:
    """The covers picked on the decision row (`cover_<post id>` = user id): staff of the leave's
    center only; anything else is refused as no such staff member."""
    wanted: dict[int, int] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if not key.startswith("cover_") or not value:
            continue
        try:
            wanted[int(key.removeprefix("cover_"))] = int(value)
        except ValueError:
            raise ValidationError({"covers": [_("No such staff member in this center.")]}) from None
    people = {
        person.pk: person
        for person in User.objects.filter(
            pk__in=set(wanted.values()), staff__center_id=leave.center_id
        )
    }
    if any(user_id not in people for user_id in wanted.values()):
        raise ValidationError({"covers": [_("No such staff member in this center.")]})
    return {post_id: people[user_id] for post_id, user_id in wanted.items()}


def _decision_response(
    request: HttpRequest, user: object, leave: Leave, error: str = "", *, status: int = 200
) -> HttpResponse:
    """The decided row and the message at once for htmx (workbench/htmx.py: 409 when the leave
    was decided already), else back to the page with the message."""
    if is_htmx(request):
        return htmx_result(
            request,
            "workbench/staffing/leave/_decision_row.html",
            {"row": _decision_row(user, leave, error), "statuses": LeaveStatus},
            status=status,
        )
    return HttpResponseRedirect(reverse("workbench:leaves"))


@login_required
@require_POST
def leave_decide(request: HttpRequest, leave_id: int, decision: str) -> HttpResponse:
    user = staff_user(request)
    leave = access_leave(user, leave_id, for_write=True)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if decision == "approve":
            leave_approve(actor=user, leave=leave, note=note, covers=_covers_from(request, leave))
            endorsed = leave.status == LeaveStatus.PENDING
            messages.success(
                request,
                _("Leave endorsed; center management decides it now.")
                if endorsed
                else _("Leave approved."),
            )
        elif decision == "reject":
            leave_reject(actor=user, leave=leave, note=note)
            messages.success(request, _("Leave rejected."))
        else:
            raise Http404
    except Conflict as error:
        # Decided already (a second click, or someone acted first): the row as it is now.
        leave.refresh_from_db()
        status = refuse(request, error)
        return _decision_response(request, user, leave, status=status)
    except ValidationError as error:
        leave.refresh_from_db()
        text = " ".join(error.messages)
        if not is_htmx(request):
            messages.error(request, text)
        return _decision_response(request, user, leave, text)
    return _decision_response(request, user, leave)


@login_required
@require_POST
def leave_cancel_view(request: HttpRequest, leave_id: int) -> HttpResponse:
    user = staff_user(request)
    leave = access_leave(user, leave_id, for_write=True)
    try:
        leave_cancel(actor=user, leave=leave)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Leave request cancelled."))
    return HttpResponseRedirect(reverse("workbench:leaves"))


KIND_ABBREVIATIONS: dict[str, Any] = {
    LeaveKind.PERSONAL: pgettext_lazy("leave kind abbreviation", "P"),
    LeaveKind.SICK: pgettext_lazy("leave kind abbreviation", "S"),
    LeaveKind.ANNUAL: pgettext_lazy("leave kind abbreviation", "A"),
    LeaveKind.BUSINESS_TRIP: pgettext_lazy("leave kind abbreviation", "B"),
    LeaveKind.TRAINING: pgettext_lazy("leave kind abbreviation", "T"),
    LeaveKind.FIELD_WORK: pgettext_lazy("leave kind abbreviation", "F"),
}


@login_required
def leave_calendar(request: HttpRequest) -> HttpResponse:
    """Team calendar: staff by day for one month, approved leave and (lighter) pending leave."""
    user = staff_user(request)
    center, department_id = access_team_calendar(user, request.GET.get("center"))
    year, month = month_from_query(request.GET.get("month"))
    page = Paginator(team_staff(center, department_id), PAGE_SIZE).get_page(request.GET.get("page"))
    grid = team_calendar(center, department_id, year, month, page.object_list, viewer=user)
    today = timezone.localdate()
    days = grid.days
    workdays = calendar_for(center.pk)
    try:
        off_days = {day for day in days if not workdays.is_workday(day)}
    except ValueError:  # a month outside the calendar's range: weekends only
        off_days = {day for day in days if day.weekday() >= 5}
    rows: list[dict[str, Any]] = []
    for row in grid.rows:
        cells = []
        for day in days:
            leave = row.days.get(day.day)
            # The kind only for those who manage the person (staffing.queries.leave).
            detail = leave is not None and row.shows_details(leave)
            cells.append(
                {
                    "iso": day.isoformat(),
                    "off": day in off_days,
                    "leave": leave,
                    "detail": detail,
                    "abbr": KIND_ABBREVIATIONS.get(leave.kind, "") if leave and detail else "",
                }
            )
        rows.append({"staff": row.staff, "cells": cells})
    scope = scope_of(user)
    query: dict[str, str | int] = {"month": f"{year:04d}-{month:02d}"}
    if request.GET.get("center"):
        query["center"] = center.pk
    return render(
        request,
        "workbench/staffing/leave/calendar.html",
        {
            "center": center,
            "department_only": department_id is not None,
            "month_name": MONTHS[month],
            "year": year,
            "month_value": f"{year:04d}-{month:02d}",
            "previous_month": month_neighbours(year, month)[0],
            "next_month": month_neighbours(year, month)[1],
            "days": [{"date": d, "off": d in off_days, "today": d == today} for d in days],
            "rows": rows,
            "page_obj": page,
            "querystring_without_page": urlencode(query) + "&",
            "center_param": center.pk if request.GET.get("center") else None,
            "legend": [
                (kind, label, KIND_ABBREVIATIONS[kind]) for kind, label in LeaveKind.choices
            ],
            "picker_centers": (
                list(centers_in_scope(user).order_by("path")[:PICKER_LIMIT])
                if scope.can_manage
                else []
            ),
        },
    )
