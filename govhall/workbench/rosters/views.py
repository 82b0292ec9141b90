"""Workbench pages of rosters and window-staff rules (issue 5 items 5 and 6): the month roster
of lunch duty and leader on duty, department leader visits with the monthly check, assignment
history with the change form, and return-to-department warnings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.assessment.queries.violations import violation_warnings
from govhall.core.models import User
from govhall.org.access.lookups import access_center, access_staff
from govhall.org.access.scope import (
    can_read_staff,
    centers_in_scope,
    departments_in_scope,
    scope_of,
    staff_in_scope,
)
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Department, Window
from govhall.staffing.access.assignments import (
    access_return_decision,
    access_return_person,
    can_decide_return,
    can_see_return_warnings,
)
from govhall.staffing.access.rosters import access_duty, visit_departments
from govhall.staffing.models.assignment import ReturnDecision, StaffFactKind
from govhall.staffing.models.roster import DutyKind
from govhall.staffing.queries.assignments import assignments_of, return_warnings
from govhall.staffing.queries.posts import covers_to_replace
from govhall.staffing.queries.rosters import (
    MIN_LEADER_VISITS_PER_MONTH,
    department_leaders,
    leader_visit_check,
    leader_visits_in,
    roster_month,
    visits_ok,
)
from govhall.staffing.services.assignments import (
    assignment_start,
    earliest_regular_change,
    return_decide,
)
from govhall.staffing.services.rosters import duty_assign, duty_remove, leader_visit_record
from govhall.workbench.org.forms import UserChoiceField, show_errors
from govhall.workbench.request_input import month_from_query, month_neighbours, staff_user

PAGE_SIZE = 50


def _center(request: HttpRequest) -> Center:
    """?center=<id> within scope, else the user's own center; 404 for nothing."""
    raw = request.GET.get("center") or request.POST.get("center") or ""
    if raw:
        return access_center(request.user, raw)
    scope = scope_of(request.user)
    center = scope.root or centers_in_scope(request.user).order_by("path").first()
    if center is None:
        raise Http404
    return center


def _back(name: str, **params: object) -> HttpResponseRedirect:
    kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return HttpResponseRedirect(
        reverse(f"workbench:{name}") + (f"?{urlencode(kept)}" if kept else "")
    )


def _month_context(center: Center, year: int, month: int) -> dict[str, Any]:
    previous, following = month_neighbours(year, month)
    return {
        "center": center,
        "month_value": f"{year}-{month:02d}",
        "month_label": f"{year} · {MONTHS[month]}",
        "previous_month": previous,
        "next_month": following,
    }


# --- rosters ------------------------------------------------------------------------------------


class DutyForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Duty"), choices=DutyKind.choices)
    user = UserChoiceField(label=gettext_lazy("Staff member"), queryset=User.objects.none())
    window = forms.ModelChoiceField(
        label=gettext_lazy("Window"), queryset=Window.objects.none(), required=False
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = (
            User.objects.filter(staff__center=center, is_active=True)
            .select_related("staff__department")
            .order_by("username")
        )
        window_field = self.fields["window"]
        assert isinstance(window_field, forms.ModelChoiceField)
        window_field.queryset = Window.objects.filter(center=center, is_active=True)


@login_required
def rosters(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    year, month = month_from_query(request.GET.get("month"))
    can_change = manages_center(staff_user(request), center.pk)
    form = DutyForm(center=center)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if request.POST.get("action") == "remove":
            duty = access_duty(request.user, request.POST.get("duty"), for_write=True)
            if duty.center_id != center.pk:
                raise Http404
            try:
                duty_remove(actor=staff_user(request), duty=duty)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Duty removed."))
            return _back("rosters", center=center.pk, month=f"{year}-{month:02d}")
        form = DutyForm(request.POST, center=center)
        if form.is_valid():
            try:
                duty_assign(actor=staff_user(request), center=center, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Duty added."))
                return _back("rosters", center=center.pk, month=f"{year}-{month:02d}")
    return render(
        request,
        "workbench/staffing/rosters/roster.html",
        {
            **_month_context(center, year, month),
            "days": roster_month(center, year, month),
            "form": form,
            "can_change": can_change,
            "centers": centers_in_scope(request.user).only("pk", "name", "path"),
        },
    )


# --- leader visits ------------------------------------------------------------------------------


class LeaderVisitForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=Department.objects.none()
    )
    visited_at = forms.DateTimeField(
        label=gettext_lazy("Visited at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)
    leader = UserChoiceField(
        label=gettext_lazy("Leader (when recording for a leader)"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        center: Center,
        manager: bool,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        department_field = self.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.queryset = departments
        if manager:
            leader_field = self.fields["leader"]
            assert isinstance(leader_field, forms.ModelChoiceField)
            leader_field.queryset = (
                department_leaders(center).select_related("staff__department").order_by("username")
            )
        else:
            del self.fields["leader"]


@login_required
def leader_visits(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    year, month = month_from_query(request.GET.get("month"))
    actor = staff_user(request)
    manager = manages_center(actor, center.pk)
    departments = departments_in_scope(actor).filter(center=center)
    recordable = visit_departments(actor, center)
    can_record = manager or recordable.exists()
    form = LeaderVisitForm(departments=recordable, center=center, manager=manager)
    if request.method == "POST":
        if not can_record:
            raise Http404
        form = LeaderVisitForm(request.POST, departments=recordable, center=center, manager=manager)
        if form.is_valid():
            try:
                leader_visit_record(actor=actor, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Visit recorded."))
                return _back("leader_visits", center=center.pk, month=f"{year}-{month:02d}")
    check = [
        {"department": d, "visits": d.visit_count, "ok": visits_ok(d)}  # type: ignore[attr-defined]
        for d in leader_visit_check(departments, year, month)
    ]
    page = Paginator(leader_visits_in(departments, year, month), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workbench/staffing/rosters/leader_visits.html",
        {
            **_month_context(center, year, month),
            "check": check,
            "minimum": MIN_LEADER_VISITS_PER_MONTH,
            "page_obj": page,
            "querystring_without_page": urlencode(
                {"center": str(center.pk), "month": f"{year}-{month:02d}"}
            )
            + "&",
            "form": form,
            "can_record": can_record,
            "centers": centers_in_scope(actor).only("pk", "name", "path"),
        },
    )


# --- assignments --------------------------------------------------------------------------------


class AssignmentForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=Department.objects.none()
    )
    window = forms.ModelChoiceField(
        label=gettext_lazy("Window"), queryset=Window.objects.none(), required=False
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for overriding the rules"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Only when the change breaks a rule (one year served, January, at most half of a "
            "window's staff); the reason is logged."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department_field = self.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.queryset = Department.objects.filter(center=center, is_active=True)
        window_field = self.fields["window"]
        assert isinstance(window_field, forms.ModelChoiceField)
        window_field.queryset = Window.objects.filter(center=center, is_active=True)


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_read_staff(actor):
        raise Http404
    center = _center(request)
    people = (
        staff_in_scope(actor).filter(center=center).select_related("user", "department")
    ).order_by("user__username")
    raw_staff = request.GET.get("staff") or request.POST.get("staff") or ""
    chosen = access_staff(actor, raw_staff) if raw_staff else None
    if chosen is not None and chosen.center_id != center.pk:
        center = chosen.center
    can_change = chosen is not None and manages_center(actor, center.pk)
    form = AssignmentForm(center=center)
    if request.method == "POST":
        if not can_change or chosen is None:
            raise Http404
        form = AssignmentForm(request.POST, center=center)
        if form.is_valid():
            try:
                assignment_start(actor=actor, user=chosen.user, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Assignment changed."))
                return _back("assignments", center=center.pk, staff=chosen.pk)
    history = list(assignments_of(chosen.user)) if chosen else []
    current = next((a for a in history if a.ends_on is None), None)
    return render(
        request,
        "workbench/staffing/rosters/assignments.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).only("pk", "name", "path"),
            "people": people,
            "chosen": chosen,
            "history": history,
            "current": current,
            "earliest_change": earliest_regular_change(current) if current else None,
            "form": form,
            "can_change": can_change,
        },
    )


# --- return-to-department warnings --------------------------------------------------------------


@login_required
def return_warnings_page(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_see_return_warnings(actor):
        raise Http404
    center = _center(request)
    today = timezone.localdate()
    return render(
        request,
        "workbench/staffing/rosters/return_warnings.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).only("pk", "name", "path"),
            "today": today,
            "warnings": return_warnings(center, today),
            # Repeated violations, read from the supervision alerts (issue 14 item 7).
            "violation_warnings": violation_warnings(center, today),
            "violations_for_return": settings.GOVHALL_ASSESSMENT_VIOLATIONS_FOR_RETURN,
            "kinds": StaffFactKind,
            "can_decide": can_decide_return(actor, center.pk),
            "covers_to_replace": covers_to_replace(center),
            "decisions": ReturnDecision.objects.filter(center=center).select_related(
                "user", "department"
            )[:PAGE_SIZE],
        },
    )


@login_required
def return_decide_page(request: HttpRequest, user_id: int) -> HttpResponse:
    """POST: management decides to return the person (issue 16 item 10)."""
    staff = access_return_person(staff_user(request), user_id)
    back = _back("return_warnings", center=staff.center_id)
    if request.method != "POST":
        return back
    try:
        decision = return_decide(
            actor=staff_user(request), user=staff.user, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back
    messages.success(request, _("Return decided; print the notice for the department."))
    return HttpResponseRedirect(reverse("workbench:return_notice", args=[decision.pk]))


@login_required
def return_notice_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The printable A4 notice to the department (退回通知)."""
    decision = access_return_decision(staff_user(request), decision_id)
    return render(
        request,
        "workbench/staffing/rosters/return_notice_print.html",
        {
            "decision": decision,
            "reasons": decision.reasons.splitlines(),
            "back_url": reverse("workbench:return_warnings") + f"?center={decision.center_id}",
        },
    )
