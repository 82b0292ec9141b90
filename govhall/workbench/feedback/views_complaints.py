"""Complaint pages (投诉, issue 15 item 2): the register (handlers), registering one, the
department's "assigned to us" list, the complaint page with the buttons of the lifecycle table,
the printable 交办单 and the printable reply letter.

Confidentiality is `feedback.access.complaints`: lists show the complainant masked and only to
handlers; the complaint page shows it in full to handlers, and every such view is logged
(`feedback_personal_data_view_record`); the 交办单 never carries it; the reply letter (which is
addressed to the complainant) is for handlers only and logged too.
"""

from __future__ import annotations

from collections.abc import Callable
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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.events import event_label
from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.feedback.access.complaints import (
    COMPLAINANT_FIELDS,
    access_complaint,
    assigned_to_department,
    can_read_assigned_complaints,
    can_register_complaints,
    complaints_in_scope,
    handler_filter,
    is_complaint_handler,
    sees_complainant,
)
from govhall.feedback.complaint_transitions import ComplaintAction
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models.complaints import Complaint, ComplaintStatus
from govhall.feedback.queries.complaints import (
    ComplaintFilters,
    complainant_masked,
    complaint_list,
    is_overdue,
    target_label,
)
from govhall.feedback.services.complaints import (
    complaint_actions,
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_register,
    complaint_reply,
    complaint_tell,
)
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Department, Staff, Window
from govhall.workbench.feedback.forms_complaints import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ComplaintFilterForm,
    ComplaintRegisterForm,
    ReplyForm,
    TellForm,
)
from govhall.workbench.request_input import staff_user

T = "workbench/feedback/complaints/"
PAGE_SIZE = 50


def _require(request: HttpRequest, allowed: Callable[[object], bool]) -> User:
    user = staff_user(request)
    if not allowed(user):
        raise Http404
    return user


# The services' field names that a form calls otherwise.
_FORM_FIELD = {"target_id": "target_kind", "center_id": "center", "department_id": "department"}


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            name = _FORM_FIELD.get(field, field)
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- lists -----------------------------------------------------------------------------------


def _list(request: HttpRequest, user: User, scoped: Any, *, assigned: bool) -> HttpResponse:
    form = ComplaintFilterForm(request.GET or None)
    filters = ComplaintFilters()
    if form.is_valid():
        filters = ComplaintFilters(**{k: v for k, v in form.cleaned_data.items() if v})
    page = Paginator(complaint_list(scoped, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    # Who complained: only on the handlers' register, and only for the complaints they handle.
    shown = (
        set()
        if assigned
        else set(
            Complaint.objects.filter(
                handler_filter(user), pk__in=[c.pk for c in items]
            ).values_list("pk", flat=True)
        )
    )
    rows = [
        {
            "complaint": c,
            "target": target_label(c),
            "complainant": complainant_masked(c) if c.pk in shown else None,
        }
        for c in items
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        T + "list.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "assigned": assigned,
            "can_register": can_register_complaints(user),
            "querystring_without_page": query.urlencode(),
        },
    )


@login_required
def complaints(request: HttpRequest) -> HttpResponse:
    user = _require(request, is_complaint_handler)
    return _list(request, user, complaints_in_scope(user), assigned=False)


@login_required
def complaints_assigned(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_read_assigned_complaints)
    return _list(request, user, assigned_to_department(user), assigned=True)


# --- registering -----------------------------------------------------------------------------


def _register_form(user: User, data: Any = None) -> ComplaintRegisterForm:
    centers = centers_in_scope(user).filter(is_active=True).order_by("path")
    scope = scope_of(user)
    initial = {"center": scope.root.pk} if scope.root is not None else {}
    return ComplaintRegisterForm(
        data,
        initial=initial,
        centers=centers,
        staff=User.objects.filter(
            is_active=True, pk__in=Staff.objects.filter(center__in=centers).values("user_id")
        ).order_by("username"),
        windows=Window.objects.filter(center__in=centers, is_active=True).order_by(
            "center", "number"
        ),
        departments=Department.objects.filter(center__in=centers, is_active=True).order_by(
            "center", "code"
        ),
    )


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_register_complaints)
    status = 200
    if request.method == "POST":
        form = _register_form(user, request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = complaint_register(
                    actor=user,
                    center_id=data["center"].pk,
                    channel=data["channel"],
                    target_kind=data["target_kind"],
                    target_id=form.target_id(),
                    summary=data["summary"],
                    details=data["details"],
                    complainant_name=data["complainant_name"],
                    complainant_phone=data["complainant_phone"],
                    complainant_address=data["complainant_address"],
                    anonymous=data["anonymous"],
                    complexity=data["complexity"],
                    received_at=data["received_at"],
                    on_the_spot=data["on_the_spot"],
                    finding=data["finding"],
                    result=data["result"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("Complaint %(number)s registered.") % {"number": complaint.number}
                )
                return HttpResponseRedirect(reverse("workbench:complaint", args=[complaint.pk]))
    else:
        form = _register_form(user)
    return render(request, T + "new.html", {"form": form}, status=status)


# --- one complaint ---------------------------------------------------------------------------


def _departments(complaint: Complaint) -> Any:
    return Department.objects.filter(center_id=complaint.center_id, is_active=True).order_by("code")


def _step_form(action: str, complaint: Complaint, data: Any = None) -> forms.Form:
    initial = {"version": complaint.version}
    if action == ComplaintAction.ASSIGN:
        return AssignForm(
            data, initial=initial, departments=_departments(complaint), prefix="assign"
        )
    form_class: type[forms.Form] = {
        ComplaintAction.REPLY: ReplyForm,
        ComplaintAction.ANSWER: AnswerForm,
        ComplaintAction.TELL: TellForm,
        ComplaintAction.CLOSE: CloseForm,
    }[ComplaintAction(action)]
    return form_class(data, initial=initial, prefix=action)


def _log_view(user: User, complaint: Complaint, purpose: str) -> None:
    fields = [name for name in COMPLAINANT_FIELDS if getattr(complaint, name)]
    if fields:
        feedback_personal_data_view_record(
            actor=user, obj=complaint, center_id=complaint.center_id, fields=fields, purpose=purpose
        )


def _detail(
    request: HttpRequest,
    user: User,
    complaint: Complaint,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    sees = sees_complainant(user, complaint)
    if sees:
        _log_view(user, complaint, _("Complaint page"))
    actions = [row.action for row in complaint_actions(user, complaint)]
    step_forms = {action: _step_form(action, complaint) for action in actions}
    step_forms.update(bound or {})
    history = [
        {"event": event, "label": event_label(event.action)}
        for event in Event.objects.filter(
            object_type=Complaint._meta.label_lower, object_id=str(complaint.pk)
        )
        .exclude(action=FeedbackEvent.VIEW_PERSONAL_DATA)
        .select_related("actor")
        .order_by("at", "pk")
    ]
    return render(
        request,
        T + "detail.html",
        {
            "complaint": complaint,
            "target": target_label(complaint),
            "sees_complainant": sees,
            "overdue": is_overdue(complaint),
            "late": complaint.answered_at is not None and complaint.answered_at > complaint.due_at,
            "actions": actions,
            "steps": [
                {"action": action, "label": ComplaintAction(action).label, "form": form}
                for action, form in step_forms.items()
            ],
            "history": history,
            "can_print_letter": sees and complaint.finding != "",
            "back_url": reverse("workbench:complaints")
            if is_complaint_handler(user)
            else reverse("workbench:complaints_assigned"),
        },
        status=status,
    )


@login_required
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = staff_user(request)
    return _detail(request, user, access_complaint(user, complaint_id))


@login_required
@require_POST
def complaint_act(request: HttpRequest, complaint_id: int, action: str) -> HttpResponse:
    user = staff_user(request)
    complaint = access_complaint(user, complaint_id, for_write=True)
    if action not in ComplaintAction.values:
        raise Http404
    form = _step_form(action, complaint, request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        common = {"actor": user, "complaint": complaint, "version": data["version"]}
        try:
            if action == ComplaintAction.ASSIGN:
                complaint_assign(
                    **common, department_id=data["department"].pk, due_on=data["due_on"]
                )
            elif action == ComplaintAction.REPLY:
                complaint_reply(**common, reply=data["reply"])
            elif action == ComplaintAction.ANSWER:
                complaint_answer(
                    **common,
                    finding=data["finding"],
                    result=data["result"],
                    delay_reason=data["delay_reason"],
                )
            elif action == ComplaintAction.TELL:
                complaint_tell(**common, via=data["via"])
            else:
                complaint_close(**common)
        except ValidationError as error:
            status = 409 if isinstance(error, Conflict) else 400
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Saved: %(action)s.") % {"action": ComplaintAction(action).label}
            )
            return HttpResponseRedirect(reverse("workbench:complaint", args=[complaint.pk]))
    complaint.refresh_from_db()
    return _detail(request, user, complaint, {action: form}, status)


# --- printed pages ---------------------------------------------------------------------------


@login_required
def complaint_slip(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The 交办单 to the department: the matter, never the complainant."""
    complaint = access_complaint(staff_user(request), complaint_id)
    if complaint.assigned_department_id is None:
        raise Http404
    return render(
        request,
        T + "slip_print.html",
        {
            "complaint": complaint,
            "target": target_label(complaint),
            "today": timezone.localdate(),
        },
    )


@login_required
def complaint_letter(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The reply letter to the complainant (handlers only; the view is logged)."""
    user = staff_user(request)
    complaint = access_complaint(user, complaint_id)
    if not sees_complainant(user, complaint) or complaint.status not in (
        ComplaintStatus.ANSWERED,
        ComplaintStatus.CLOSED,
    ):
        raise Http404
    _log_view(user, complaint, _("Reply letter printed"))
    return render(
        request,
        T + "letter_print.html",
        {
            "complaint": complaint,
            "target": target_label(complaint),
            "answered_on": timezone.localdate(complaint.answered_at or timezone.now()),
        },
    )
