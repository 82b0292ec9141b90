"""Workbench pages of the social supervisors (行风监督员; issue 15 item 6).

- Management and supervisors: the appointments of their centers (a director appoints and ends a
  term early), every record of their centers' social supervisors; management answers each one.
- A social supervisor while a term runs: "My supervision" — record a visit, a mystery-shopping
  (暗访) finding naming the window, or an opinion, and read their own records with the answers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.feedback.access.supervisors import (
    access_appointment,
    access_supervisor_visit,
    appointments_in_scope,
    can_manage_supervisors,
    can_read_supervisor_records,
    can_respond_to_visit,
    current_appointment,
    running,
    supervisor_visits_in_scope,
)
from govhall.feedback.models import SupervisorVisitKind
from govhall.feedback.services.supervisors import (
    supervisor_appoint,
    supervisor_end_early,
    supervisor_visit_record,
    supervisor_visit_respond,
)
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Window
from govhall.workbench.feedback.forms_supervisors import (
    AppointForm,
    EndEarlyForm,
    ResponseForm,
    VisitForm,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 30


def _apply(request: HttpRequest, form: Form, error: ValidationError) -> None:
    """A refusal on the form's fields (a conflict as a warning on top)."""
    if isinstance(error, Conflict):
        for message in error.messages:
            messages.warning(request, message)
        return
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error)


@login_required
def appointments(request: HttpRequest) -> HttpResponse:
    """The appointments of the user's centers; appointing one (management)."""
    if not can_read_supervisor_records(request.user):
        raise Http404
    actor = staff_user(request)
    form = None
    if can_manage_supervisors(actor):
        centers = centers_in_scope(actor).filter(is_active=True).order_by("path")
        people = (
            User.objects.filter(
                is_active=True,
                groups__name=Role.SOCIAL_SUPERVISOR.value,
                staff__center__in=centers_in_scope(actor),
            )
            .distinct()
            .order_by("username")
        )
        root = scope_of(actor).root
        form = AppointForm(
            request.POST if request.method == "POST" else None,
            people=people,
            centers=centers,
            initial={"center": root.pk if root else None},
        )
        if request.method == "POST" and form.is_valid():
            try:
                appointment = supervisor_appoint(actor=actor, **form.cleaned_data)
            except ValidationError as error:
                _apply(request, form, error)
            else:
                messages.success(request, _("The social supervisor is appointed."))
                return HttpResponseRedirect(
                    reverse("workbench:supervisor_appointment", args=[appointment.pk])
                )
    elif request.method == "POST":
        raise Http404
    today = timezone.localdate()
    rows = appointments_in_scope(actor).select_related("user", "center")
    page = Paginator(rows.order_by("-starts_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    active = set(rows.filter(running(today)).values_list("pk", flat=True))
    return render(
        request,
        "workbench/feedback/supervisors/appointments.html",
        {"form": form, "page_obj": page, "active": active},
    )


@login_required
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """An appointment, its records, and ending the term early (management)."""
    actor = staff_user(request)
    appointment = access_appointment(actor, appointment_id)
    today = timezone.localdate()
    may_end = (
        can_manage_supervisors(actor)
        and appointment.ended_early_on is None
        and appointment.ends_on >= today
    )
    form = EndEarlyForm(request.POST if request.method == "POST" else None, initial={"on": today})
    if request.method == "POST":
        appointment = access_appointment(actor, appointment_id, for_write=True)
        if form.is_valid():
            try:
                supervisor_end_early(actor=actor, appointment=appointment, **form.cleaned_data)
            except ValidationError as error:
                _apply(request, form, error)
            else:
                messages.success(request, _("The term is ended."))
                return HttpResponseRedirect(
                    reverse("workbench:supervisor_appointment", args=[appointment.pk])
                )
    visits = supervisor_visits_in_scope(actor).filter(appointment=appointment)
    return render(
        request,
        "workbench/feedback/supervisors/appointment.html",
        {
            "appointment": appointment,
            "form": form if may_end else None,
            "visits": visits.select_related("window").order_by("-visited_on", "-pk")[:200],
            "running": appointment.ended_early_on is None
            and appointment.starts_on <= today <= appointment.ends_on,
        },
    )


@login_required
def records(request: HttpRequest) -> HttpResponse:
    """Every record of the user's centers' social supervisors (management and supervisors)."""
    if not can_read_supervisor_records(request.user):
        raise Http404
    rows = supervisor_visits_in_scope(request.user).select_related(
        "appointment__user", "appointment__center", "window"
    )
    kind = request.GET.get("kind", "")
    if kind in SupervisorVisitKind.values:
        rows = rows.filter(kind=kind)
    if request.GET.get("state") == "open":
        rows = rows.filter(responded_at__isnull=True)
    page = Paginator(rows.order_by("-visited_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "workbench/feedback/supervisors/records.html",
        {
            "page_obj": page,
            "kind": kind,
            "kinds": SupervisorVisitKind.choices,
            "state": request.GET.get("state", ""),
            "querystring_without_page": kept.urlencode() + "&" if kept else "",
        },
    )


@login_required
def record_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    """A record with its response; management answers it once."""
    actor = staff_user(request)
    visit = access_supervisor_visit(actor, visit_id)
    may_respond = can_respond_to_visit(actor, visit) and visit.responded_at is None
    form = ResponseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_respond:
            raise Http404
        if form.is_valid():
            try:
                supervisor_visit_respond(
                    actor=actor, visit=visit, response=form.cleaned_data["response"]
                )
            except ValidationError as error:
                _apply(request, form, error)
            else:
                messages.success(request, _("The response is saved; the supervisor sees it."))
                return HttpResponseRedirect(reverse("workbench:supervisor_record", args=[visit.pk]))
    return render(
        request,
        "workbench/feedback/supervisors/record.html",
        {"visit": visit, "form": form if may_respond else None},
    )


@login_required
def my_supervision(request: HttpRequest) -> HttpResponse:
    """The social supervisor's own page, while their term runs: record, and their records."""
    actor = staff_user(request)
    appointment = current_appointment(actor)
    if appointment is None:
        raise Http404
    windows = Window.objects.filter(center=appointment.center, is_active=True).order_by("number")
    form = VisitForm(
        request.POST if request.method == "POST" else None,
        windows=windows,
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            supervisor_visit_record(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            _apply(request, form, error)
        else:
            messages.success(request, _("Recorded. The hall's management will respond."))
            return HttpResponseRedirect(reverse("workbench:my_supervision"))
    own = (
        supervisor_visits_in_scope(actor)
        .select_related("window")
        .order_by("-visited_on", "-pk")[:200]
    )
    return render(
        request,
        "workbench/feedback/supervisors/mine.html",
        {"appointment": appointment, "form": form, "visits": own},
    )
