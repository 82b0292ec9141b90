"""Workbench pages of window staff selection (issue 21 item 1): the list with the trials to
decide, the nomination form (a department's leader), one selection with the buttons of its
table (staffing/selection_transitions.py), the readiness records, the printable registration
form (窗口工作人员登记表, full ID shown and logged) and the trial decisions."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.files import applicant_upload_max_bytes, read_upload
from govhall.core.idnumbers import mask_id, mask_phone
from govhall.core.validation import Conflict
from govhall.org.access.scope import centers_in_scope
from govhall.org.models import Window
from govhall.staffing.access.selection import (
    access_selection,
    access_trial_assignment,
    can_read_selections,
    directs_center,
    nominating_department,
)
from govhall.staffing.models.selection import (
    ReadinessStep,
    SelectionPostKind,
    TrialOutcome,
)
from govhall.staffing.queries.selection import (
    readiness_missing,
    selections_visible,
    trials_to_decide,
)
from govhall.staffing.selection_transitions import SelectionAction
from govhall.staffing.services.selection import (
    age_limit,
    readiness_record,
    selection_actions,
    selection_approve,
    selection_full_view_record,
    selection_interview,
    selection_nominate,
    selection_refuse,
    selection_withdraw,
    trial_decide,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 100


def _errors(request: HttpRequest, error: ValidationError) -> None:
    level = messages.warning if isinstance(error, Conflict) else messages.error
    for message in error.messages:
        level(request, message)


def _detail(selection_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("workbench:selection", args=[selection_id]))


@login_required
def selection_list(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_read_selections(actor):
        raise Http404
    rows = list(selections_visible(actor)[:PAGE_SIZE])
    today = timezone.localdate()
    trials: list[Any] = []
    for center in centers_in_scope(actor).order_by("path")[:20]:
        if directs_center(actor, center.pk):
            trials.extend(trials_to_decide(center, today))
    return render(
        request,
        "workbench/staffing/selection/list.html",
        {
            "rows": [
                {"s": s, "id_masked": mask_id(s.id_number), "phone_masked": mask_phone(s.phone)}
                for s in rows
            ],
            "can_nominate": nominating_department(actor) is not None,
            "trials": trials,
            "today": today,
            "outcomes": TrialOutcome.choices,
        },
    )


def _posted_flag(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) in {"1", "on", "true"}


@login_required
def selection_nominate_page(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    department = nominating_department(actor)
    if department is None:
        raise Http404
    windows = Window.objects.filter(departments=department).order_by("number")
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            window = None
            raw_window = values.get("window", "")
            if raw_window:
                if raw_window.isdigit():
                    window = windows.filter(pk=int(raw_window)).first()
                if window is None:
                    raise ValidationError({"window": [_("Choose from the list.")]})
            upload = request.FILES.get("letter_file")
            data = (
                read_upload(upload, limit=applicant_upload_max_bytes(), field="letter_file")
                if upload
                else None
            )
            selection = selection_nominate(
                actor=actor,
                department=department,
                candidate_name=values.get("candidate_name", ""),
                id_number=values.get("id_number", ""),
                letter_number=values.get("letter_number", ""),
                post_kind=values.get("post_kind", ""),
                is_established=_posted_flag(request, "is_established"),
                is_section_rank=_posted_flag(request, "is_section_rank"),
                window=window,
                gender=values.get("gender", ""),
                phone=values.get("phone", ""),
                education=values.get("education", ""),
                current_post=values.get("current_post", ""),
                reason=values.get("reason", ""),
                letter_data=data,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Nominated; the center will arrange the interview."))
            return _detail(selection.pk)
    return render(
        request,
        "workbench/staffing/selection/nominate.html",
        {
            "department": department,
            "windows": windows,
            "kinds": [
                (value, label, age_limit(value)) for value, label in SelectionPostKind.choices
            ],
            "values": values,
        },
    )


@login_required
def selection_detail(request: HttpRequest, selection_id: int) -> HttpResponse:
    actor = staff_user(request)
    selection = access_selection(actor, selection_id)
    return render(
        request,
        "workbench/staffing/selection/detail.html",
        {
            "s": selection,
            "id_masked": mask_id(selection.id_number),
            "phone_masked": mask_phone(selection.phone),
            "actions": selection_actions(actor, selection),
            "readiness": list(selection.readiness.select_related("recorded_by")),
            "missing": readiness_missing(selection),
            "steps": ReadinessStep.choices,
            "can_record": selection.status == "approved"
            and directs_center(actor, selection.center_id),
            "today": timezone.localdate(),
        },
    )


@login_required
def selection_act(request: HttpRequest, selection_id: int, action: str) -> HttpResponse:
    """POST one action of the table: interview (pass/fail), approve, refuse, withdraw."""
    actor = staff_user(request)
    if action not in SelectionAction.values:
        raise Http404
    selection = access_selection(actor, selection_id)
    if request.method != "POST":
        return _detail(selection.pk)
    post = request.POST
    try:
        if action in (SelectionAction.INTERVIEW_PASS, SelectionAction.INTERVIEW_FAIL):
            day = post.get("interviewed_on") or None
            selection_interview(
                actor=actor,
                selection=selection,
                passed=action == SelectionAction.INTERVIEW_PASS,
                interviewed_on=_date(day, "interviewed_on"),
                score=post.get("score", ""),
                notes=post.get("notes", ""),
            )
        elif action == SelectionAction.APPROVE:
            selection_approve(
                actor=actor,
                selection=selection,
                note=post.get("note", ""),
                username=post.get("username", ""),
            )
        elif action == SelectionAction.REFUSE:
            selection_refuse(actor=actor, selection=selection, note=post.get("note", ""))
        else:
            selection_withdraw(actor=actor, selection=selection, note=post.get("note", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Saved."))
    return _detail(selection.pk)


def _date(raw: str | None, field: str) -> datetime.date | None:
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


@login_required
def readiness_page(request: HttpRequest, selection_id: int) -> HttpResponse:
    """POST a readiness step (the hall director of the center)."""
    actor = staff_user(request)
    selection = access_selection(actor, selection_id)
    if request.method == "POST":
        try:
            readiness_record(
                actor=actor,
                selection=selection,
                step=request.POST.get("step", ""),
                done_on=_date(request.POST.get("done_on"), "done_on"),
                hours=request.POST.get("hours", ""),
                result=request.POST.get("result", ""),
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Saved."))
    return _detail(selection.pk)


@login_required
def registration_form(request: HttpRequest, selection_id: int) -> HttpResponse:
    """The printable A4 窗口工作人员登记表 (seeds/002… 二2); the full ID number is shown, and the
    view is logged."""
    actor = staff_user(request)
    selection = access_selection(actor, selection_id)
    selection_full_view_record(actor=actor, selection=selection)
    done = {r.step: r for r in selection.readiness.all()}
    return render(
        request,
        "workbench/staffing/selection/form_print.html",
        {
            "s": selection,
            "readiness_rows": [(label, done.get(value)) for value, label in ReadinessStep.choices],
            "back_url": reverse("workbench:selection", args=[selection.pk]),
        },
    )


@login_required
def trial_decide_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """POST: the hall director ends a trial, kept or returned (the return notice follows)."""
    actor = staff_user(request)
    assignment = access_trial_assignment(actor, assignment_id)
    back = HttpResponseRedirect(reverse("workbench:selections"))
    if request.method != "POST":
        return back
    try:
        decision = trial_decide(
            actor=actor,
            assignment=assignment,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        _errors(request, error)
        return back
    if decision.outcome == TrialOutcome.RETURNED:
        messages.success(request, _("Return decided; print the notice for the department."))
        notice = assignment.user.return_decisions.order_by("-pk").first()
        if notice is not None:
            return HttpResponseRedirect(reverse("workbench:return_notice", args=[notice.pk]))
    else:
        messages.success(request, _("Saved."))
    return back
