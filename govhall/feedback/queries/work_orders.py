"""Reading 12345 hotline work orders: the scoped list with filters, overdue first, and an order's
deliveries and timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from govhall.core.models import Event
from govhall.feedback.access.work_orders import deliveries_in_scope, work_orders_in_scope
from govhall.feedback.models import WebhookDelivery, WorkOrder, WorkOrderStatus

LIST_RELATED = ("center", "department", "signed_by", "replied_by")


@dataclass(frozen=True)
class WorkOrderFilters:
    status: str = ""
    kind: str = ""
    department_id: int | None = None
    overdue: bool = False
    q: str = ""


def _overdue(now: datetime.datetime) -> Q:
    return Q(status=WorkOrderStatus.RECEIVED, sign_due_at__lt=now) | Q(
        status=WorkOrderStatus.SIGNED, finish_due_at__lt=now
    )


def with_due(qs: QuerySet[WorkOrder], now: datetime.datetime | None = None) -> QuerySet[WorkOrder]:
    """Annotate `due_at` (the limit of the step the order waits for: signing or finishing) and
    `is_overdue` (1 when that limit has passed)."""
    moment = now or timezone.now()
    return qs.annotate(
        due_at=Case(
            When(status=WorkOrderStatus.RECEIVED, then=F("sign_due_at")),
            When(status=WorkOrderStatus.SIGNED, then=F("finish_due_at")),
            default=Value(None),
            output_field=DateTimeField(),
        ),
        is_overdue=Case(
            When(_overdue(moment), then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )


def work_order_list(
    user: object, filters: WorkOrderFilters | None = None, *, now: datetime.datetime | None = None
) -> QuerySet[WorkOrder]:
    """The orders `user` may see: overdue first, then those waiting (soonest limit first),
    then the rest, newest first."""
    chosen = filters or WorkOrderFilters()
    moment = now or timezone.now()
    qs = work_orders_in_scope(user)
    if chosen.status:
        qs = qs.filter(status=chosen.status)
    if chosen.kind:
        qs = qs.filter(kind=chosen.kind)
    if chosen.department_id is not None:
        qs = qs.filter(department_id=chosen.department_id)
    if chosen.overdue:
        qs = qs.filter(_overdue(moment))
    if chosen.q:
        qs = qs.filter(
            Q(hotline_number__icontains=chosen.q)
            | Q(title__icontains=chosen.q)
            | Q(citizen_name__icontains=chosen.q)
        )
    return (
        with_due(qs, moment)
        .select_related(*LIST_RELATED)
        .order_by("-is_overdue", F("due_at").asc(nulls_last=True), "-received_at", "-id")
    )


def work_order_deliveries(order: WorkOrder) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(work_order=order).prefetch_related("attempt_log")


def delivery_list(user: object, *, status: str = "") -> QuerySet[WebhookDelivery]:
    qs = deliveries_in_scope(user).select_related("work_order")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id").prefetch_related("attempt_log")


def work_order_timeline(order: WorkOrder) -> QuerySet[Event]:
    return (
        Event.objects.filter(object_type=WorkOrder._meta.label_lower, object_id=str(order.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
