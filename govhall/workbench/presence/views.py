"""Workbench pages of who is at which post (SPEC §8): the duty board, the clerk's where-and-until
sign (去向牌) with the window head's approvals, the printable cover records (AB岗责任制委托书)
and the empty-post alerts (空岗)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import can_use_workbench, centers_in_scope, scope_of, windows_in_scope
from govhall.org.models import Center, Staff
from govhall.staffing.absence_transitions import AbsenceAction
from govhall.staffing.access.cover import can_see_vacancies
from govhall.staffing.access.presence import access_absence, access_delegation
from govhall.staffing.models import Absence
from govhall.staffing.models.presence import AbsenceStatus
from govhall.staffing.queries.cover import (
    absences_to_decide,
    delegations_in_scope,
    posts_with_people,
    signs_of_center,
    vacancies_in_scope,
)
from govhall.staffing.queries.duty_board import duty_board, hall_phase
from govhall.staffing.services.presence import (
    AbsenceViewer,
    absence_actions,
    absence_approve,
    absence_needs_approval,
    absence_return,
    absence_start,
)
from govhall.workbench.htmx import htmx_result, is_htmx, refuse
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50


def _center(request: HttpRequest) -> Center:
    """?center=<id> within scope, else the user's own center; 404 for people without a scope."""
    raw = request.GET.get("center", "")
    if raw:
        return access_center(request.user, raw)
    scope = scope_of(request.user)
    if scope.root is None:
        raise Http404
    return scope.root


def _picker(request: HttpRequest) -> QuerySet[Center]:
    return centers_in_scope(request.user).order_by("path")[:300]


def _sign_rows(signs: list[Absence], now: datetime.datetime) -> list[dict[str, Any]]:
    return [
        {
            "absence": sign,
            "overdue": sign.until < now,
            "needs_approval": absence_needs_approval(sign, now),
        }
        for sign in signs
    ]


@login_required
def on_duty(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    now = timezone.now()
    windows = list(
        windows_in_scope(request.user)
        .filter(center=center, is_active=True)
        .distinct()
        .order_by("number")
        .prefetch_related(
            Prefetch("posts", queryset=posts_with_people().order_by("id"), to_attr="post_list")
        )
    )
    posts = [post for window in windows for post in window.post_list]
    # 在岗 is what is true now: signed in and not away; expected before opening (issue 17).
    row_of = {row.post.pk: row for row in duty_board(posts, now)}
    board = [
        {"window": window, "rows": [row_of[post.pk] for post in window.post_list]}
        for window in windows
    ]
    window_ids = {window.pk for window in windows}
    scope = scope_of(request.user)
    signs = [
        sign
        for sign in signs_of_center(center.pk)
        if sign.window_id in window_ids or (sign.window_id is None and scope.department_id is None)
    ]
    vacancies = (
        list(vacancies_in_scope(request.user).filter(center=center, ended_at__isnull=True))
        if can_see_vacancies(request.user)
        else []
    )
    return render(
        request,
        "workbench/staffing/presence/on_duty.html",
        {
            "center": center,
            "centers": _picker(request),
            "board": board,
            "signs": _sign_rows(signs, now),
            "vacancies": vacancies,
            "show_vacancies": can_see_vacancies(request.user),
            "now": now,
            "phase": hall_phase(center, now),
        },
    )


class AbsenceForm(forms.Form):
    whereabouts = forms.CharField(
        label=gettext_lazy("Where"),
        max_length=100,
        help_text=gettext_lazy("For example: archive room, meeting in room 3."),
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Back in (minutes)"),
        min_value=1,
        max_value=600,
        initial=15,
        help_text=gettext_lazy("More than 20 minutes needs your window head's approval."),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ApproveForm(forms.Form):
    cover = PersonChoiceField(label=gettext_lazy("Cover"), queryset=User.objects.none())

    def __init__(self, *args: Any, absence: Absence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_ids = Staff.objects.filter(center_id=absence.center_id, is_window_staff=True).values(
            "user_id"
        )
        field = self.fields["cover"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(pk__in=staff_ids, is_active=True)
            .exclude(pk=absence.user_id)
            .order_by("username")
        )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@login_required
def my_absence(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    scope = scope_of(actor)
    if scope.nothing:
        raise Http404
    now = timezone.now()
    form = AbsenceForm()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "start":
        form = AbsenceForm(request.POST)
        if form.is_valid():
            try:
                absence_start(
                    actor=actor,
                    whereabouts=form.cleaned_data["whereabouts"],
                    until=now + datetime.timedelta(minutes=form.cleaned_data["minutes"]),
                    at=now,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "until" in error.message_dict:
                    form.add_error("minutes", error.message_dict["until"])
                    error = ValidationError(
                        {k: v for k, v in error.message_dict.items() if k != "until"}
                    )
                    if error.message_dict:
                        _add_errors(form, error)
                else:
                    _add_errors(form, error)
            else:
                messages.success(request, _("Your sign is up."))
                return HttpResponseRedirect(reverse("workbench:my_absence"))
    elif action == "return":
        try:
            absence_return(actor=actor, at=now)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Welcome back."))
        return HttpResponseRedirect(reverse("workbench:my_absence"))
    elif request.method == "POST":
        raise Http404
    current = Absence.objects.filter(user=actor, status=AbsenceStatus.AWAY).first()
    # The buttons come from the absence state machine (staffing/absence_transitions.py).
    viewer = AbsenceViewer(actor)
    to_decide = [
        {
            "absence": absence,
            "form": ApproveForm(absence=absence, prefix=f"a{absence.pk}"),
            "may_approve": AbsenceAction.APPROVE
            in {row.action for row in absence_actions(actor, absence, viewer=viewer)},
        }
        for absence in absences_to_decide(actor).order_by("starts_at")
        if absence_needs_approval(absence, now)
    ]
    recent = Absence.objects.filter(user=actor).select_related("approved_by", "cover")[:10]
    return render(
        request,
        "workbench/staffing/presence/my_absence.html",
        {
            "form": form,
            "current": current,
            "current_may_return": current is not None
            and AbsenceAction.RETURN
            in {row.action for row in absence_actions(actor, current, viewer=viewer)},
            "current_overdue": current is not None and current.until < now,
            "current_needs_approval": current is not None and absence_needs_approval(current, now),
            "to_decide": to_decide,
            "recent": recent,
        },
    )


@login_required
def absence_approve_view(request: HttpRequest, absence_id: int) -> HttpResponse:
    """Approve an absence with its cover: with htmx the row answers at once (approved, or 409
    with the row as it is when someone approved first or the person is back), with the
    message (workbench/htmx.py); without, back to the page with the message."""
    if request.method != "POST":
        raise Http404
    actor = staff_user(request)
    absence = access_absence(request.user, absence_id, for_write=True)
    form = ApproveForm(request.POST, absence=absence, prefix=f"a{absence.pk}")
    status = 200
    if form.is_valid():
        try:
            absence_approve(actor=actor, absence=absence, cover=form.cleaned_data["cover"])
        except ValidationError as error:
            status = refuse(request, error)
        else:
            messages.success(request, _("Absence approved; the cover serves the post."))
    else:
        messages.error(request, _("Choose who covers."))
        status = 422
    if not is_htmx(request):
        return HttpResponseRedirect(reverse("workbench:my_absence"))
    absence.refresh_from_db()
    row = {
        "absence": absence,
        "form": form if status == 422 else ApproveForm(absence=absence, prefix=f"a{absence.pk}"),
        "may_approve": AbsenceAction.APPROVE
        in {action.action for action in absence_actions(actor, absence)},
    }
    return htmx_result(
        request, "workbench/staffing/presence/_absence_row.html", {"row": row}, status=status
    )


@login_required
def delegations(request: HttpRequest) -> HttpResponse:
    if not can_use_workbench(request.user):
        raise Http404
    page = Paginator(delegations_in_scope(request.user).distinct(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workbench/staffing/presence/delegations.html",
        {"page_obj": page, "querystring_without_page": ""},
    )


@login_required
def delegation(request: HttpRequest, delegation_id: int) -> HttpResponse:
    record = access_delegation(request.user, delegation_id)
    return render(
        request,
        "workbench/staffing/presence/delegation.html",
        {"delegation": record, "window": record.post.window, "center": record.post.window.center},
    )


@login_required
def vacancies(request: HttpRequest) -> HttpResponse:
    if not can_see_vacancies(request.user) or scope_of(request.user).nothing:
        raise Http404
    rows = vacancies_in_scope(request.user).order_by("-started_at", "-id")
    current = list(rows.filter(ended_at__isnull=True))
    page = Paginator(rows.filter(ended_at__isnull=False), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workbench/staffing/presence/vacancies.html",
        {"current": current, "page_obj": page, "querystring_without_page": ""},
    )
