"""Workbench pages of service beyond the counter (issue 21 item 6; seeds/002… 三(一)3): the
"finish the line" action of the calling console (延时服务) and the month's overtime, home
visits (上门服务), key projects with their follow-up calls (跟踪服务), and the reassignment of
an off-hours appointment whose named staff member cannot serve (seeds/000… 篇1 六(四)).
Rules live in the front-desk services; these views parse, call and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.models import User
from govhall.frontdesk.access.appointments import access_appointment, can_read_appointments
from govhall.frontdesk.access.outreach import (
    access_overtime,
    access_project,
    access_visit,
    can_read_overtime,
    can_use_outreach,
    overtimes_in_scope,
    projects_in_scope,
    visits_in_scope,
)
from govhall.frontdesk.access.tickets import access_queue_window, can_use_console
from govhall.frontdesk.models import FollowUp, VisitStatus
from govhall.frontdesk.queries.outreach import overtime_month, projects_listed, visits_listed
from govhall.frontdesk.services.appointment_reassign import (
    appointment_declare_cannot_serve,
    appointment_reassign,
    reassign_candidates,
)
from govhall.frontdesk.services.follow_ups import follow_up_log, key_project_create
from govhall.frontdesk.services.home_visits import (
    home_visit_book,
    home_visit_cancel,
    home_visit_personal_data_view_record,
    home_visit_record_result,
    home_visit_schedule,
)
from govhall.frontdesk.services.outreach_rules import visit_actions
from govhall.frontdesk.services.overtime import overtime_end, overtime_start
from govhall.frontdesk.visit_transitions import VisitAction
from govhall.org.access.scope import departments_in_scope, scope_of
from govhall.org.models import Center
from govhall.workbench.appointments.forms import staff_of
from govhall.workbench.org.forms import show_errors
from govhall.workbench.outreach.forms import (
    CallForm,
    CancelVisitForm,
    CannotServeForm,
    MonthForm,
    ProjectForm,
    ReassignForm,
    ResultForm,
    ScheduleForm,
    VisitForm,
)
from govhall.workbench.request_input import staff_user

T = "workbench/frontdesk/outreach/"


def _need(request: HttpRequest, allowed: Any) -> User:
    user = staff_user(request)
    if not allowed(user):
        raise Http404
    return user


def _message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- 延时服务: finishing the line after closing ------------------------------------------------


@login_required
@require_POST
def finish_line(request: HttpRequest, window_id: int) -> HttpResponse:
    """The console's "finish the line" button: start extended service at the window."""
    user = _need(request, can_use_console)
    window = access_queue_window(user, window_id)
    try:
        overtime_start(actor=user, window=window)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("Extended service started at %(window)s: call the people still waiting.")
            % {"window": str(window)},
        )
    return HttpResponseRedirect(reverse("workbench:queue_console"))


@login_required
@require_POST
def end_overtime(request: HttpRequest, overtime_id: int) -> HttpResponse:
    user = _need(request, can_use_console)
    overtime = access_overtime(user, overtime_id, for_write=True)
    try:
        ended = overtime_end(actor=user, overtime=overtime)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request,
            _("Extended service ended: %(minutes)d minutes after closing, %(n)d served.")
            % {"minutes": ended.minutes, "n": ended.tickets_served},
        )
    return HttpResponseRedirect(reverse("workbench:queue_console"))


@login_required
def overtime_list(request: HttpRequest) -> HttpResponse:
    """The month's extended service: every record, totals per person and per window."""
    user = _need(request, can_read_overtime)
    form = MonthForm(request.GET)
    month = form.month_start(timezone.localdate())
    status = 200
    if month is None:
        form.add_error("month", _("Enter a month as YYYY-MM."))
        month, status = timezone.localdate().replace(day=1), 400
    report = overtime_month(overtimes_in_scope(user), month)
    return render(request, T + "overtime.html", {"form": form, "report": report}, status=status)


# --- 上门服务: home visits ----------------------------------------------------------------------


def _own_center(user: User) -> Center:
    center = scope_of(user).root
    if center is None:
        raise Http404
    return center


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    user = _need(request, can_use_outreach)
    status = request.GET.get("status", "")
    if status not in VisitStatus.values:
        status = ""
    visits = visits_listed(visits_in_scope(user), status)[:300]
    return render(
        request,
        T + "visits.html",
        {"visits": visits, "status": status, "statuses": VisitStatus.choices},
    )


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    user = _need(request, can_use_outreach)
    center = _own_center(user)
    departments = departments_in_scope(user).filter(center=center).order_by("name")
    form = VisitForm(request.POST or None, departments=departments)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                visit = home_visit_book(actor=user, center=center, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Home visit booked."))
                return HttpResponseRedirect(
                    reverse("workbench:home_visit", kwargs={"visit_id": visit.pk})
                )
        status = 400
    return render(request, T + "visit_new.html", {"form": form}, status=status)


def _visit_page(
    request: HttpRequest, user: User, visit: Any, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    actions = {row.action for row in visit_actions(user, visit)}
    context = {
        "visit": visit,
        "can_schedule": VisitAction.SCHEDULE in actions,
        "can_record": VisitAction.RECORD_RESULT in actions,
        "can_cancel": VisitAction.CANCEL in actions,
        "schedule_form": forms.get("schedule")
        or ScheduleForm(
            staff=staff_of(visit.center),
            initial={"assigned": list(visit.assigned.all())},
        ),
        "result_form": forms.get("result") or ResultForm(),
        "cancel_form": forms.get("cancel") or CancelVisitForm(),
    }
    home_visit_personal_data_view_record(actor=user, visit=visit, purpose=_("Home visit page"))
    return render(request, T + "visit.html", context, status=status)


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = _need(request, lambda u: can_use_outreach(u) or visits_in_scope(u).exists())
    visit = access_visit(user, visit_id)
    return _visit_page(request, user, visit, {})


@login_required
@require_POST
def visit_act(request: HttpRequest, visit_id: int, action: str) -> HttpResponse:
    user = staff_user(request)
    visit = access_visit(user, visit_id, for_write=True)
    form: Any
    try:
        if action == VisitAction.SCHEDULE:
            form = ScheduleForm(request.POST, staff=staff_of(visit.center))
            key = "schedule"
            if form.is_valid():
                home_visit_schedule(actor=user, visit=visit, **form.cleaned_data)
        elif action == VisitAction.RECORD_RESULT:
            form, key = ResultForm(request.POST), "result"
            if form.is_valid():
                home_visit_record_result(actor=user, visit=visit, **form.cleaned_data)
        elif action == VisitAction.CANCEL:
            form, key = CancelVisitForm(request.POST), "cancel"
            if form.is_valid():
                home_visit_cancel(actor=user, visit=visit, **form.cleaned_data)
        else:
            raise Http404
    except ValidationError as error:
        show_errors(form, error)
    if form.errors:
        return _visit_page(request, user, access_visit(user, visit_id), {key: form}, status=400)
    messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("workbench:home_visit", kwargs={"visit_id": visit.pk}))


# --- 跟踪服务: key projects and follow-up calls -------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """Key projects, the calls due today or overdue first."""
    user = _need(request, can_use_outreach)
    today = timezone.localdate()
    only_due = request.GET.get("due") == "1"
    projects = projects_listed(projects_in_scope(user), due_by=today if only_due else None)
    return render(
        request,
        T + "projects.html",
        {"projects": projects[:300], "today": today, "only_due": only_due},
    )


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    user = _need(request, can_use_outreach)
    center = _own_center(user)
    departments = departments_in_scope(user).filter(center=center).order_by("name")
    form = ProjectForm(request.POST or None, departments=departments)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project = key_project_create(actor=user, center=center, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Key project added."))
                return HttpResponseRedirect(
                    reverse("workbench:key_project", kwargs={"project_id": project.pk})
                )
        status = 400
    return render(request, T + "project_new.html", {"form": form}, status=status)


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _need(request, can_use_outreach)
    project = access_project(user, project_id)
    form = CallForm(request.POST or None, initial={"called_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                follow_up_log(actor=user, project=project, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Call logged."))
                return HttpResponseRedirect(
                    reverse("workbench:key_project", kwargs={"project_id": project.pk})
                )
        status = 400
    calls = FollowUp.objects.filter(project=project).select_related("called_by")
    return render(
        request,
        T + "project.html",
        {"project": project, "calls": calls, "form": form, "cases": project.cases.all()},
        status=status,
    )


# --- an off-hours appointment whose named staff member cannot serve ----------------------------


def _back(appointment_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("workbench:appointment", kwargs={"appointment_id": appointment_id})
    )


@login_required
@require_POST
def appointment_reassign_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = _need(request, can_read_appointments)
    appointment = access_appointment(user, appointment_id, for_write=True)
    form = ReassignForm(request.POST, candidates=reassign_candidates(appointment))
    if not form.is_valid():
        messages.error(request, _("Choose a staff member free that day."))
        return _back(appointment.pk)
    try:
        appointment_reassign(actor=user, appointment=appointment, to=form.cleaned_data["to"])
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request, _("Reassigned; both staff members are told, the applicant's time stays.")
        )
    return _back(appointment.pk)


@login_required
@require_POST
def appointment_cannot_serve_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = _need(request, can_read_appointments)
    appointment = access_appointment(user, appointment_id)
    form = CannotServeForm(request.POST)
    try:
        appointment_declare_cannot_serve(
            actor=user,
            appointment=appointment,
            note=form.data.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("Your department's leader is asked to reassign it."))
    return _back(appointment.pk)
