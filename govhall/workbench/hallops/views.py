"""Workbench pages of joint meetings and emergencies (issue 21 item 4; seeds/000… 篇3 四
驻厅单位联席会议, seeds/002… 六6 突发事件): the meetings (list, new, one meeting with its
agenda, attendance per department in one form, minutes and decisions with their buttons), the
board of open decisions by department (overdue first), the emergency plan of a center (edited
per kind with its duty people, printable on A4), and the log of incidents and drills."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import id_or_404
from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.hallops.access.hallops import (
    access_decision,
    access_emergency_event,
    access_meeting,
    access_plan,
    can_read_hallops,
    can_run_center,
    can_run_hallops,
    decisions_in_scope,
    events_in_scope,
    meetings_in_scope,
    plans_in_scope,
)
from govhall.hallops.models import PLAN_KINDS, EmergencyKind, Presence
from govhall.hallops.queries.hallops import (
    attendance_lines,
    center_plan,
    is_overdue,
    open_decisions_board,
)
from govhall.hallops.services.emergencies import (
    drill_act,
    drill_actions,
    drill_plan,
    emergency_record,
    plan_draft_start,
    plan_gaps,
    plan_publish,
    plan_section_save,
)
from govhall.hallops.services.meetings import (
    AttendanceDraft,
    decision_act,
    decision_actions,
    decision_add,
    meeting_act,
    meeting_actions,
    meeting_attendance_save,
    meeting_minutes_save,
    meeting_plan,
)
from govhall.hallops.transitions import MEETING_EDITABLE_STATES
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Department
from govhall.workbench.hallops.forms import (
    DecisionForm,
    DrillPlanForm,
    DrillRecordForm,
    IncidentForm,
    MeetingForm,
    MinutesForm,
    SectionForm,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 30


def _need_reader(request: HttpRequest) -> User:
    if not can_read_hallops(request.user):
        raise Http404
    return staff_user(request)


def _runnable_centers(user: User) -> QuerySet[Center]:
    return centers_in_scope(user).filter(is_active=True).order_by("path")


def _default_center(request: HttpRequest) -> Center:
    """The center of `?center=` (in the user's scope), else the root of their scope."""
    raw = request.GET.get("center") or request.POST.get("center_id") or ""
    if raw:
        return access_center(request.user, id_or_404(raw))
    root = scope_of(request.user).root
    if root is None:
        first = centers_in_scope(request.user).order_by("path").first()
        if first is None:
            raise Http404
        return first
    return root


def _people_of(center_id: int) -> QuerySet[User]:
    return User.objects.filter(staff__center_id=center_id, is_active=True).order_by(
        "full_name", "username"
    )


def _show_errors(request: HttpRequest, error: ValidationError, form: forms.Form | None) -> None:
    """A service's refusal: next to the form's fields where it names one, else as a message."""
    if form is not None and hasattr(error, "error_dict") and not isinstance(error, Conflict):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
        return
    for message in error.messages:
        if isinstance(error, Conflict):
            messages.warning(request, message)
        else:
            messages.error(request, message)


# --- meetings ----------------------------------------------------------------------------------


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    actor = _need_reader(request)
    found = meetings_in_scope(actor).select_related("center", "chair").order_by("-held_at", "-id")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/hallops/meetings.html",
        {"page_obj": page, "can_run": can_run_hallops(actor)},
    )


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_run_hallops(actor):
        raise Http404
    centers = _runnable_centers(actor)
    root = scope_of(actor).root
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        centers=centers,
        people=User.objects.filter(
            staff__center__in=centers, is_active=True, groups__name__in=["director", "admin"]
        )
        .distinct()
        .order_by("full_name", "username"),
        initial={"center": root.pk if root else None, "chair": actor.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_plan(
                actor=actor,
                center=data["center"],
                held_at=data["held_at"],
                place=data["place"],
                agenda=data["agenda"],
                chair=data["chair"],
            )
        except ValidationError as error:
            _show_errors(request, error, form)
        else:
            messages.success(request, _("The meeting is planned."))
            return HttpResponseRedirect(reverse("workbench:hallops_meeting", args=[meeting.pk]))
    return render(request, "workbench/hallops/meeting_new.html", {"form": form})


def _center_departments(center_id: int) -> QuerySet[Department]:
    return Department.objects.filter(center_id=center_id, is_active=True).order_by("code")


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    actor = _need_reader(request)
    meeting = access_meeting(actor, meeting_id)
    runs = can_run_center(actor, meeting.center_id)
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes})
    decision_form = DecisionForm(departments=_center_departments(meeting.center_id))
    if request.method == "POST":
        if not runs:
            raise Http404
        part = request.POST.get("part", "")
        form: forms.Form | None = None
        try:
            if part == "action":
                meeting_act(actor=actor, meeting=meeting, action=request.POST.get("action", ""))
            elif part == "attendance":
                rows = [
                    AttendanceDraft(
                        department_id=line.department.pk,
                        presence=request.POST.get(f"presence_{line.department.pk}", ""),
                        attendee_name=request.POST.get(f"name_{line.department.pk}", ""),
                    )
                    for line in attendance_lines(meeting)
                    if request.POST.get(f"presence_{line.department.pk}")
                ]
                meeting_attendance_save(actor=actor, meeting=meeting, rows=rows)
            elif part == "minutes":
                form = minutes_form = MinutesForm(request.POST)
                if minutes_form.is_valid():
                    meeting_minutes_save(
                        actor=actor, meeting=meeting, minutes=minutes_form.cleaned_data["minutes"]
                    )
            elif part == "decision":
                form = decision_form = DecisionForm(
                    request.POST, departments=_center_departments(meeting.center_id)
                )
                if decision_form.is_valid():
                    data = decision_form.cleaned_data
                    decision_add(
                        actor=actor,
                        meeting=meeting,
                        text=data["text"],
                        department=data["department"],
                        due_on=data["due_on"],
                    )
            else:
                raise Http404
        except ValidationError as error:
            _show_errors(request, error, form)
            if form is None or isinstance(error, Conflict):
                return HttpResponseRedirect(request.path)
        else:
            if form is None or not form.errors:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(request.path)
    today = timezone.localdate()
    decisions = [
        {
            "decision": decision,
            "overdue": is_overdue(decision, today),
            "actions": decision_actions(actor, decision),
        }
        for decision in meeting.decisions.select_related("department", "closed_by").order_by(
            "due_on", "id"
        )
    ]
    return render(
        request,
        "workbench/hallops/meeting.html",
        {
            "meeting": meeting,
            "runs": runs,
            "editable": runs and meeting.status in MEETING_EDITABLE_STATES,
            "actions": meeting_actions(actor, meeting),
            "lines": attendance_lines(meeting),
            "presences": Presence.choices,
            "decisions": decisions,
            "minutes_form": minutes_form,
            "decision_form": decision_form,
        },
    )


@login_required
def decision_act_view(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A decision's button (done, drop) with its note; back to where it was pressed."""
    if request.method != "POST":
        raise Http404
    actor = _need_reader(request)
    decision = access_decision(actor, decision_id, for_write=True)
    try:
        decision_act(
            actor=actor,
            decision=decision,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        _show_errors(request, error, None)
    else:
        messages.success(request, _("Saved."))
    back = request.POST.get("next", "")
    if back != reverse("workbench:hallops_decisions"):
        back = reverse("workbench:hallops_meeting", args=[decision.meeting_id])
    return HttpResponseRedirect(back)


@login_required
def decisions_board(request: HttpRequest) -> HttpResponse:
    actor = _need_reader(request)
    today = timezone.localdate()
    board = open_decisions_board(decisions_in_scope(actor), today)
    groups = [
        {
            "department": group.department,
            "overdue": group.overdue,
            "rows": [
                {
                    "decision": decision,
                    "overdue": decision.due_on < today,
                    "actions": decision_actions(actor, decision),
                }
                for decision in group.decisions
            ],
        }
        for group in board
    ]
    return render(
        request,
        "workbench/hallops/decisions.html",
        {"groups": groups, "total": sum(len(group.decisions) for group in board)},
    )


# --- the emergency plan --------------------------------------------------------------------


def _plan_context(request: HttpRequest, actor: User, center: Center) -> dict[str, Any]:
    plan = center_plan(plans_in_scope(actor), center.pk)
    runs = can_run_center(actor, center.pk)
    people = _people_of(center.pk)
    forms_by_kind = []
    if runs and plan.draft is not None:
        for section in plan.draft_sections:
            forms_by_kind.append(
                {
                    "section": section,
                    "form": SectionForm(
                        prefix=section.kind,
                        people=people,
                        initial={
                            "measures": section.measures,
                            "phone": section.phone,
                            "duty_people": list(section.duty_people.all()),
                        },
                    ),
                }
            )
    return {
        "center": center,
        "centers": list(centers_in_scope(actor).order_by("path")[:300]),
        "plan": plan,
        "runs": runs,
        "section_forms": forms_by_kind,
        "gaps": plan_gaps(plan.draft) if plan.draft is not None else [],
    }


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    actor = _need_reader(request)
    center = _default_center(request)
    if request.method == "POST":
        if not can_run_center(actor, center.pk):
            raise Http404
        try:
            plan_draft_start(actor=actor, center=center)
        except ValidationError as error:
            _show_errors(request, error, None)
        return HttpResponseRedirect(f"{reverse('workbench:hallops_plan')}?center={center.pk}")
    return render(request, "workbench/hallops/plan.html", _plan_context(request, actor, center))


@login_required
def plan_section(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Save one kind's section of a draft plan (POST), or publish the draft."""
    if request.method != "POST":
        raise Http404
    actor = staff_user(request)
    plan = access_plan(actor, plan_id, for_write=True)
    back = f"{reverse('workbench:hallops_plan')}?center={plan.center_id}"
    kind = request.POST.get("kind", "")
    if request.POST.get("publish"):
        try:
            plan_publish(actor=actor, plan=plan)
        except ValidationError as error:
            _show_errors(request, error, None)
        else:
            messages.success(request, _("The emergency plan is in force."))
        return HttpResponseRedirect(back)
    if kind not in PLAN_KINDS:
        raise Http404
    form = SectionForm(request.POST, prefix=kind, people=_people_of(plan.center_id))
    if form.is_valid():
        try:
            plan_section_save(
                actor=actor,
                plan=plan,
                kind=kind,
                measures=form.cleaned_data["measures"],
                phone=form.cleaned_data["phone"],
                duty_people=[person.pk for person in form.cleaned_data["duty_people"]],
            )
        except ValidationError as error:
            _show_errors(request, error, None)
        else:
            messages.success(
                request,
                _("%(kind)s saved.") % {"kind": EmergencyKind(kind).label},
            )
    else:
        for texts in form.errors.values():
            for text in texts:
                messages.error(request, str(text))
    return HttpResponseRedirect(back)


@login_required
def plan_print(request: HttpRequest) -> HttpResponse:
    actor = _need_reader(request)
    center = _default_center(request)
    plan = center_plan(plans_in_scope(actor), center.pk)
    if plan.current is None:
        raise Http404
    return render(
        request,
        "workbench/hallops/plan_print.html",
        {
            "center": center,
            "plan": plan.current,
            "sections": plan.current_sections,
            "back_url": f"{reverse('workbench:hallops_plan')}?center={center.pk}",
        },
    )


# --- incidents and drills ----------------------------------------------------------------------


@login_required
def emergencies(request: HttpRequest) -> HttpResponse:
    actor = _need_reader(request)
    runs = can_run_hallops(actor)
    centers = _runnable_centers(actor)
    root = scope_of(actor).root
    initial = {"center": root.pk if root else None}
    bound = request.POST if request.method == "POST" else None
    form_kind = request.POST.get("form", "") if bound else ""
    incident_form = IncidentForm(
        bound if form_kind == "incident" else None, centers=centers, initial=initial
    )
    drill_form = DrillPlanForm(
        bound if form_kind == "drill" else None, centers=centers, initial=initial
    )
    if request.method == "POST":
        if not runs:
            raise Http404
        form: forms.Form = incident_form if form_kind == "incident" else drill_form
        if form_kind not in {"incident", "drill"}:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form_kind == "incident":
                    emergency_record(
                        actor=actor,
                        center=data["center"],
                        kind=data["kind"],
                        is_drill=data["is_drill"],
                        occurred_at=data["occurred_at"],
                        what_happened=data["what_happened"],
                        actions_taken=data["actions_taken"],
                        people_involved=data["people_involved"],
                        outcome=data["outcome"],
                    )
                else:
                    drill_plan(
                        actor=actor,
                        center=data["center"],
                        kind=data["kind"],
                        planned_for=data["planned_for"],
                        what_happened=data["what_happened"],
                    )
            except ValidationError as error:
                _show_errors(request, error, form)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("workbench:hallops_emergencies"))
    found = events_in_scope(actor).select_related("center", "recorded_by")
    page = Paginator(
        found.order_by("-status", "-occurred_at", "-planned_for", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/hallops/emergencies.html",
        {
            "page_obj": page,
            "runs": runs,
            "incident_form": incident_form,
            "drill_form": drill_form,
        },
    )


@login_required
def emergency_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = _need_reader(request)
    event = access_emergency_event(actor, event_id)
    actions = drill_actions(actor, event)
    form = DrillRecordForm(
        request.POST
        if request.method == "POST" and request.POST.get("action") == "record"
        else None
    )
    if request.method == "POST":
        if not actions:
            raise Http404
        action = request.POST.get("action", "")
        if action == "cancel" or form.is_valid():
            data = form.cleaned_data if action == "record" else {}
            try:
                drill_act(
                    actor=actor,
                    event=event,
                    action=action,
                    occurred_at=data.get("occurred_at"),
                    actions_taken=data.get("actions_taken", ""),
                    people_involved=data.get("people_involved", ""),
                    outcome=data.get("outcome", ""),
                )
            except ValidationError as error:
                _show_errors(request, error, form if action == "record" else None)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(request.path)
    return render(
        request,
        "workbench/hallops/emergency.html",
        {"event": event, "actions": actions, "form": form},
    )
