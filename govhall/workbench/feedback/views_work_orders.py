"""Workbench pages of the 12345 hotline work orders (issue 15 item 4): the scoped list (phone
masked, filters, overdue first), an order with the buttons its state table allows the user,
typing an order in from the hotline's phone call, and the webhook deliveries to the hotline with
their attempts and a retry by hand."""

from __future__ import annotations

from typing import Any

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.core.events import event_label
from govhall.core.idnumbers import mask_phone
from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.feedback.access.work_orders import (
    access_webhook_delivery,
    access_work_order,
    can_enter_work_orders,
    can_read_webhook_deliveries,
    can_read_work_orders,
)
from govhall.feedback.models import (
    DeliveryStatus,
    WorkOrder,
    WorkOrderKind,
    WorkOrderSource,
    WorkOrderStatus,
)
from govhall.feedback.queries.work_orders import (
    WorkOrderFilters,
    delivery_list,
    with_due,
    work_order_deliveries,
    work_order_list,
    work_order_timeline,
)
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.feedback.services.work_order_webhook import webhook_delivery_retry
from govhall.feedback.services.work_orders import (
    last_day_of,
    work_order_actions,
    work_order_extend,
    work_order_receive,
    work_order_reply,
    work_order_return_visit,
    work_order_route,
    work_order_send_back,
    work_order_sign,
)
from govhall.feedback.work_order_transitions import WorkOrderAction as A
from govhall.org.access.scope import centers_in_scope, departments_in_scope
from govhall.org.models import Department
from govhall.workbench.feedback.forms_work_orders import (
    ExtendForm,
    ReplyForm,
    ReturnVisitForm,
    RevealForm,
    RouteForm,
    SendBackForm,
    WorkOrderEntryForm,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 30
T = "workbench/feedback/work_orders/"


def _require(request: HttpRequest, allowed: Any) -> User:
    user = staff_user(request)
    if not allowed(user):
        raise Http404
    return user


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        (messages.warning if isinstance(error, Conflict) else messages.error)(request, message)


def _row(order: WorkOrder) -> dict[str, Any]:
    due = getattr(order, "due_at", None)
    return {
        "order": order,
        "phone": mask_phone(order.citizen_phone) if order.citizen_phone else "",
        "overdue": bool(getattr(order, "is_overdue", 0)),
        "due_day": last_day_of(due) if due else None,
    }


@login_required
def work_orders(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_read_work_orders)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    department = request.GET.get("department", "")
    departments = departments_in_scope(user).order_by("name")
    department_id = int(department) if department.isdigit() else None
    filters = WorkOrderFilters(
        status=status if status in WorkOrderStatus.values else "",
        kind=kind if kind in WorkOrderKind.values else "",
        department_id=department_id,
        overdue=request.GET.get("overdue") == "1",
        q=request.GET.get("q", "").strip()[:60],
    )
    page = Paginator(work_order_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        T + "list.html",
        {
            "rows": [_row(order) for order in page.object_list],
            "page_obj": page,
            "filters": filters,
            "statuses": WorkOrderStatus.choices,
            "kinds": WorkOrderKind.choices,
            "departments": departments,
            "may_enter": can_enter_work_orders(user),
            "querystring_without_page": (query.urlencode() + "&") if query else "",
        },
    )


@login_required
def work_order_new(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_enter_work_orders)
    centers = centers_in_scope(user).order_by("path")
    departments = departments_in_scope(user).filter(is_active=True).order_by("center__path", "name")
    form = WorkOrderEntryForm(
        request.POST or None,
        centers=centers,
        departments=departments,
        initial={"center": centers.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order, created = work_order_receive(
                actor=user,
                center=data["center"],
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                hotline_number=data["hotline_number"],
                citizen_name=data["citizen_name"],
                citizen_phone=data["citizen_phone"],
                department=data["department"],
                source=WorkOrderSource.STAFF,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            if created:
                messages.success(request, _("Order %(n)s received.") % {"n": order.hotline_number})
            else:
                messages.warning(
                    request, _("Order %(n)s was already here.") % {"n": order.hotline_number}
                )
            return HttpResponseRedirect(reverse("workbench:work_order", args=[order.pk]))
    return render(request, T + "new.html", {"form": form})


def _forms(order: WorkOrder, user: User, data: Any = None, action: str = "") -> dict[str, Any]:
    """One form per action, bound only for the action being posted."""
    initial = {"version": order.version}
    departments = Department.objects.filter(center_id=order.center_id, is_active=True)

    def bound(name: str) -> Any:
        return data if action == name else None

    return {
        "route": RouteForm(
            bound(A.ROUTE), departments=departments.order_by("name"), initial=initial, prefix="r"
        ),
        "send_back": SendBackForm(bound(A.SEND_BACK), initial=initial, prefix="b"),
        "extend": ExtendForm(bound(A.EXTEND), initial=initial, prefix="e"),
        "reply": ReplyForm(bound(A.REPLY), initial={**initial, "reply": order.reply}, prefix="p"),
        "return_visit": ReturnVisitForm(bound(A.RETURN_VISIT), initial=initial, prefix="v"),
    }


def _run(action: str, user: User, order: WorkOrder, data: dict[str, Any]) -> WorkOrder:
    version = data.get("version")
    if action == A.ROUTE:
        return work_order_route(
            actor=user, order=order, department=data["department"], version=version
        )
    if action == A.SIGN:
        return work_order_sign(actor=user, order=order, version=version)
    if action == A.SEND_BACK:
        return work_order_send_back(actor=user, order=order, reason=data["reason"], version=version)
    if action == A.EXTEND:
        return work_order_extend(
            actor=user, order=order, days=data["days"], reason=data["reason"], version=version
        )
    if action == A.REPLY:
        return work_order_reply(actor=user, order=order, reply=data["reply"], version=version)
    return work_order_return_visit(
        actor=user,
        order=order,
        satisfied=data["satisfied"] == "yes",
        note=data["note"],
        version=version,
    )


DONE = {
    A.ROUTE: gettext_lazy("Routed to the department."),
    A.SIGN: gettext_lazy("Signed for; the hotline is told."),
    A.SEND_BACK: gettext_lazy("Sent back to the hotline."),
    A.EXTEND: gettext_lazy("The time limit is extended."),
    A.REPLY: gettext_lazy("Replied; the reply goes to the hotline."),
    A.RETURN_VISIT: gettext_lazy("Return visit recorded."),
}


@login_required
def work_order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    user = staff_user(request)
    order = access_work_order(user, order_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    revealed = False
    reveal_form = RevealForm(request.POST if action == "reveal" else None, prefix="x")
    forms = _forms(order, user, request.POST, action)
    if action == "reveal" and reveal_form.is_valid():
        feedback_personal_data_view_record(
            actor=user,
            obj=order,
            center_id=order.center_id,
            fields=["citizen_phone", "citizen_name"],
            purpose=reveal_form.cleaned_data["purpose"],
        )
        revealed = True
    elif action in A.values:
        access_work_order(user, order_id, for_write=True)
        form = forms.get(action)
        data: dict[str, Any] | None
        if form is None:  # signing takes only the version
            raw = request.POST.get("version") or ""
            data = {"version": int(raw) if raw.isdigit() else None}
        else:
            data = form.cleaned_data if form.is_valid() else None
        if data is not None:
            try:
                _run(action, user, order, data)
            except ValidationError as error:
                _show_errors(request, error)
            else:
                messages.success(request, str(DONE[A(action)]))
                return HttpResponseRedirect(reverse("workbench:work_order", args=[order.pk]))
            order = access_work_order(user, order_id)
            forms = _forms(order, user)
    fresh = with_due(type(order).objects.filter(pk=order.pk)).get()
    return render(
        request,
        T + "detail.html",
        {
            "order": order,
            "row": _row(fresh),
            "revealed": revealed,
            "reveal_form": reveal_form,
            "forms": forms,
            # The buttons come from the state table (feedback/work_order_transitions.py).
            "actions": [row.action for row in work_order_actions(user, order)],
            "deliveries": work_order_deliveries(order) if can_read_webhook_deliveries(user) else [],
            "events": [
                {"event": event, "label": event_label(event.action)}
                for event in work_order_timeline(order)
            ],
            "now": timezone.now(),
        },
    )


@login_required
def webhook_deliveries(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_read_webhook_deliveries)
    status = request.GET.get("status", "")
    rows: QuerySet[Any] = delivery_list(
        user, status=status if status in DeliveryStatus.values else ""
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        T + "deliveries.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "status": status,
            "statuses": DeliveryStatus.choices,
            "querystring_without_page": f"status={status}&" if status else "",
        },
    )


@login_required
@require_POST
def webhook_delivery_retry_view(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _require(request, can_read_webhook_deliveries)
    delivery = access_webhook_delivery(user, delivery_id)
    try:
        webhook_delivery_retry(actor=user, delivery=delivery)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The delivery will be sent again."))
    return HttpResponseRedirect(reverse("workbench:webhook_deliveries"))
