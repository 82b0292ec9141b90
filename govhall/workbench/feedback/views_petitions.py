"""Workbench pages of petitions (信访; issue 15 item 3): the register form at the desk, the list
(scoped, petitioners masked, overdue first, collective and major marked), one petition with the
buttons its lifecycle table allows and its prints (告知书, 受理告知书, 交办单 on A4), and the
leader reception days.

Who sees what is decided in `govhall/feedback/access/petitions.py`; each page showing a
petitioner in full logs the view (`feedback_personal_data_view_record`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.events import event_label
from govhall.core.models import Event, User
from govhall.feedback.access.petitions import (
    IDENTITY_FIELDS,
    IDENTITY_FULL,
    IDENTITY_HIDDEN,
    access_petition,
    can_act_on_petition,
    can_handle_petitions,
    can_read_petitions,
    can_read_receptions,
    can_schedule_receptions,
    identity_level,
    list_identity_level,
    petition_centers,
    petitions_in_scope,
    receptions_in_scope,
)
from govhall.feedback.models.petitions import Petition
from govhall.feedback.petition_transitions import PetitionAction
from govhall.feedback.queries.petitions import (
    PetitionFilters,
    is_collective,
    overdue_kinds,
    overdue_label,
    petition_deadlines,
    petition_list,
    petitioner_as_seen,
)
from govhall.feedback.services import petitions as services
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.org.models import Center
from govhall.workbench.feedback.forms_petitions import (
    ACTION_FORMS,
    PetitionFilterForm,
    PetitionRegisterForm,
    ReceiveForm,
    ReceptionForm,
    action_form,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 30
A = PetitionAction


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _log_full_view(actor: User, petition: Petition, purpose: str) -> None:
    feedback_personal_data_view_record(
        actor=actor,
        obj=petition,
        center_id=petition.center_id,
        fields=[field for field in IDENTITY_FIELDS if getattr(petition, field)],
        purpose=purpose,
    )


def _put_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


# --- the register --------------------------------------------------------------------------------


@login_required
def petition_register(request: HttpRequest) -> HttpResponse:
    """The register form (登记): the seeds' fields, fast to type at a desk."""
    actor = staff_user(request)
    if not can_handle_petitions(actor):
        raise Http404
    centers = petition_centers(actor).order_by("path")
    root = centers.first()
    form = PetitionRegisterForm(
        request.POST if request.method == "POST" else None,
        centers=centers,
        initial={"center": root.pk if root else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        center: Center = data["center"]
        try:
            petition = services.petition_register(
                actor=actor,
                center=center,
                channel=data["channel"],
                received_at=data["received_at"],
                name=data["name"],
                gender=data["gender"],
                age=data["age"],
                occupation=data["occupation"],
                political_status=data["political_status"],
                address_or_employer=data["address_or_employer"],
                phone=data["phone"],
                id_number=data["id_number"],
                matter=data["matter"],
                people_count=data["people_count"],
                representatives=data["representatives"],
                is_major=data["is_major"],
                is_accusation=data["is_accusation"],
                needs_reception=form.reception_choice(),
                department=data["department"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            text = _("Petition %(number)s registered.") % {"number": petition.number}
            if is_collective(petition.people_count) or petition.is_major:
                text += " " + _("The leaders have been alerted.")
            messages.success(request, text)
            return HttpResponseRedirect(reverse("workbench:petition", args=[petition.pk]))
    return render(request, "workbench/feedback/petitions/register.html", {"form": form})


# --- the list ------------------------------------------------------------------------------------


@login_required
def petition_list_page(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_read_petitions(actor):
        raise Http404
    form = PetitionFilterForm(request.GET or None)
    filters = PetitionFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = PetitionFilters(
            status=data["status"],
            overdue=data["overdue"],
            collective_or_major=data["collective_or_major"],
            accusation=data["accusation"],
            search=data["search"],
            received_from=data["received_from"],
            received_to=data["received_to"],
        )
    today = timezone.localdate()
    found = petition_list(petitions_in_scope(actor), filters, today=today)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for petition in page:
        level = list_identity_level(actor, petition)
        rows.append(
            {
                "petition": petition,
                "who": petitioner_as_seen(petition, level),
                "collective": is_collective(petition.people_count),
                "late": bool(getattr(petition, "late", 0)),
            }
        )
    return render(
        request,
        "workbench/feedback/petitions/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "may_register": can_handle_petitions(actor),
            "hidden": IDENTITY_HIDDEN,
        },
    )


# --- one petition --------------------------------------------------------------------------------


def _timeline(petition: Petition) -> list[dict[str, Any]]:
    events = (
        Event.objects.filter(object_type=Petition._meta.label_lower, object_id=str(petition.pk))
        .exclude(action="feedback.view_personal_data")
        .select_related("actor")
        .order_by("at", "id")
    )
    return [{"event": event, "label": event_label(event.action)} for event in events]


@login_required
def petition_page(request: HttpRequest, petition_id: int) -> HttpResponse:
    actor = staff_user(request)
    petition = access_petition(actor, petition_id)
    level = identity_level(actor, petition)
    if level == IDENTITY_FULL:
        _log_full_view(actor, petition, _("Petition page"))
    today = timezone.localdate()
    actions = services.petition_actions(actor, petition)
    forms = [
        {
            "action": action,
            "label": A(action).label,
            "form": action_form(action, center_id=petition.center_id),
        }
        for action in actions
    ]
    receive_form = None
    if can_act_on_petition(actor, petition) and petition.status in ("registered", "accepted"):
        upcoming = (
            receptions_in_scope(actor)
            .filter(center_id=petition.center_id, day__gte=today)
            .exclude(petitions=petition)
        )
        receive_form = ReceiveForm(receptions=upcoming.select_related("leader").order_by("day"))
    late = [overdue_label(kind) for kind in overdue_kinds(petition, today)]
    return render(
        request,
        "workbench/feedback/petitions/detail.html",
        {
            "petition": petition,
            "who": petitioner_as_seen(petition, level),
            "hidden": IDENTITY_HIDDEN,
            "collective": is_collective(petition.people_count),
            "deadlines": petition_deadlines(petition, today),
            "late": late,
            "reviews": list(petition.reviews.all()),
            "receptions": list(petition.receptions.select_related("leader").order_by("day")),
            "action_forms": forms,
            "receive_form": receive_form,
            "may_act": can_act_on_petition(actor, petition),
            "timeline": _timeline(petition),
        },
    )


def _run_action(
    actor: User, petition: Petition, action: str, data: dict[str, Any], version: str
) -> Any:
    common: dict[str, Any] = {"actor": actor, "petition": petition, "version": version}
    steps: dict[str, Callable[[], Any]] = {
        A.ANSWER_ON_SPOT: lambda: services.petition_answer_on_spot(**common, answer=data["answer"]),
        A.NOTIFY: lambda: services.petition_notify(**common, notice=data["notice"]),
        A.ACCEPT: lambda: services.petition_accept(**common, notice=data["notice"]),
        A.REFUSE: lambda: services.petition_refuse(**common, notice=data["notice"]),
        A.ASSIGN: lambda: services.petition_assign(
            **common, department=data["department"], instructions=data["instructions"]
        ),
        A.EXTEND: lambda: services.petition_extend(
            **common, days=data["days"], reason=data["reason"]
        ),
        A.CLOSE: lambda: services.petition_close(**common, opinion=data["opinion"]),
        A.REQUEST_REVIEW: lambda: services.petition_request_review(
            **common, kind="review", requested_on=data["requested_on"]
        ),
        A.REQUEST_RECHECK: lambda: services.petition_request_review(
            **common, kind="recheck", requested_on=data["requested_on"]
        ),
        A.ANSWER_REVIEW: lambda: services.petition_answer_review(**common, answer=data["answer"]),
    }
    return steps[action]()


@login_required
@require_POST
def petition_action(request: HttpRequest, petition_id: int, action: str) -> HttpResponse:
    actor = staff_user(request)
    petition = access_petition(actor, petition_id, for_write=True)
    if action not in ACTION_FORMS:
        raise Http404
    back = HttpResponseRedirect(reverse("workbench:petition", args=[petition.pk]))
    form = action_form(action, request.POST, center_id=petition.center_id)
    if not form.is_valid():
        for field, texts in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for text in texts:
                messages.error(request, f"{label}: {text}" if label else str(text))
        return back
    try:
        _run_action(actor, petition, action, form.cleaned_data, request.POST.get("version", ""))
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": A(action).label})
    return back


@login_required
@require_POST
def petition_reception(request: HttpRequest, petition_id: int) -> HttpResponse:
    """Put the petition on a leader's reception day."""
    actor = staff_user(request)
    petition = access_petition(actor, petition_id, for_write=True)
    form = ReceiveForm(
        request.POST,
        receptions=receptions_in_scope(actor).filter(center_id=petition.center_id),
    )
    if form.is_valid():
        try:
            services.reception_receive(
                actor=actor, reception=form.cleaned_data["reception"], petition=petition
            )
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("The petition is on the leader's reception day."))
    else:
        messages.error(request, _("Choose a reception day."))
    return HttpResponseRedirect(reverse("workbench:petition", args=[petition.pk]))


@login_required
def petition_print(request: HttpRequest, petition_id: int, kind: str) -> HttpResponse:
    """A4 prints: the 告知书 to the visitor, the (non-)acceptance notice, the 交办单 to the
    department. The 交办单 never carries an accuser's identity."""
    actor = staff_user(request)
    petition = access_petition(actor, petition_id)
    # The 交办单 goes to whoever reads the petition (the department receives it); the notices
    # to the visitor are printed by its handlers. Nothing to print answers 404.
    printable = {
        "assignment": petition.assigned_department_id is not None,
        "notice": bool(petition.visitor_notice) and can_act_on_petition(actor, petition),
        "acceptance": bool(petition.acceptance_notice) and can_act_on_petition(actor, petition),
    }
    if not printable.get(kind, False):
        raise Http404
    level = identity_level(actor, petition)
    if kind == "assignment" and petition.is_accusation:
        level = IDENTITY_HIDDEN
    if level == IDENTITY_FULL:
        _log_full_view(actor, petition, _("Printed petition document"))
    instructions = ""
    if kind == "assignment":
        last = (
            Event.objects.filter(
                object_type=Petition._meta.label_lower,
                object_id=str(petition.pk),
                action="petition.assign",
            )
            .order_by("-at", "-id")
            .first()
        )
        instructions = str((last.data or {}).get("instructions", "")) if last else ""
    titles = {
        "notice": _("Notice to the petitioner (告知书)"),
        "acceptance": (
            _("Notice of acceptance (受理告知书)")
            if petition.accepted_on
            else _("Notice of non-acceptance (不予受理告知书)")
        ),
        "assignment": _("Assignment sheet (交办单)"),
    }
    return render(
        request,
        "workbench/feedback/petitions/print.html",
        {
            "petition": petition,
            "kind": kind,
            "title": titles[kind],
            "who": petitioner_as_seen(petition, level),
            "hidden": IDENTITY_HIDDEN,
            "instructions": instructions,
            "issued_on": timezone.localdate(),
            "back_url": reverse("workbench:petition", args=[petition.pk]),
        },
    )


# --- reception days ------------------------------------------------------------------------------


@login_required
def petition_receptions(request: HttpRequest) -> HttpResponse:
    """The leader reception days (领导接访日): upcoming and recent, who is due one, scheduling."""
    actor = staff_user(request)
    if not can_read_receptions(actor):
        raise Http404
    form = None
    if can_schedule_receptions(actor):
        centers = petition_centers(actor).order_by("path")
        leaders = User.objects.filter(
            pk__in=[
                user.pk for center in centers[:50] for user in services.reception_leaders(center)
            ]
        ).order_by("username")
        root = centers.first()
        form = ReceptionForm(
            request.POST if request.method == "POST" else None,
            centers=centers,
            leaders=leaders,
            initial={"center": root.pk if root else None, "day": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.reception_schedule(
                    actor=actor,
                    center=data["center"],
                    leader=data["leader"],
                    day=data["day"],
                    place=data["place"],
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("The reception day is scheduled."))
                return HttpResponseRedirect(reverse("workbench:petition_receptions"))
    elif request.method == "POST":
        raise Http404
    today = timezone.localdate()
    receptions = (
        receptions_in_scope(actor)
        .filter(day__gte=today - datetime.timedelta(days=30))
        .select_related("leader", "center")
        .prefetch_related("petitions")
        .order_by("day", "id")[:200]
    )
    due = []
    if can_handle_petitions(actor):
        waiting = (
            petitions_in_scope(actor)
            .filter(reception_due_on__isnull=False, status__in=["registered", "accepted"])
            .exclude(receptions__day__lte=today)
            .order_by("reception_due_on", "id")[:100]
        )
        due = [
            {"petition": p, "late": p.reception_due_on is not None and p.reception_due_on < today}
            for p in waiting
        ]
    return render(
        request,
        "workbench/feedback/petitions/receptions.html",
        {"form": form, "receptions": receptions, "due": due, "today": today},
    )
