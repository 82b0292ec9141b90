"""Supervision API (read-only for now): the live alerts in the caller's scope, the caller's own
alerts, and the rules. Changing a rule is `supervision.services.rules.alert_rule_update` (a page
and an endpoint come with the supervision pages).

Errors (`govhall.api.schemas`): what the caller may not see → 404, like a missing one."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import BIGINT_MAX, Pagination, PersonOut
from govhall.org.access.lookups import access_center
from govhall.supervision.access.rules import can_view_alerts
from govhall.supervision.models import AlertRule
from govhall.supervision.queries.alerts import alerts_in_scope, alerts_of

router = Router(auth=django_auth)


class AlertOut(Schema):
    id: int
    rule_code: str = Field(..., alias="rule.code")
    level: str = Field(..., description='"reminder", "yellow", "red" or "serious"')
    subject_key: str
    detail: str
    center_id: int
    department_id: int | None
    window_id: int | None
    case_id: int | None
    case_number: str | None = Field(None, alias="case.number")
    responsible: PersonOut | None
    occurred_on: datetime.date
    due_on: datetime.date | None
    status: str
    raised_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str
    points: Decimal
    is_violation: bool


class AlertRuleOut(Schema):
    id: int
    code: str
    subject: str
    level: str
    threshold_days: int | None
    threshold_percent: int | None
    threshold_minutes: int | None
    points: Decimal
    counts_as_violation: bool
    notify_responsible: bool
    notify_window_head: bool
    notify_department_leader: bool
    notify_director: bool
    is_active: bool
    updated_at: datetime.datetime


def _need_view(request: HttpRequest) -> None:
    if not can_view_alerts(request.user):
        raise HttpError(404, _("Not found."))


@router.get("/alerts", response=list[AlertOut], summary="Supervision alerts in your scope")
@paginate(Pagination)
def alerts(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
    level: str | None = Query(
        None, pattern="^(reminder|yellow|red|serious)$", description="one level only"
    ),
    live_only: bool = True,
):
    _need_view(request)
    rows = alerts_in_scope(request.user, live_only=live_only).select_related("responsible")
    if center is not None:
        rows = rows.filter(center=access_center(request.user, center))
    if level is not None:
        rows = rows.filter(level=level)
    return rows.order_by("-raised_at", "-id")


@router.get("/alerts/mine", response=list[AlertOut], summary="The live alerts you answer for")
@paginate(Pagination)
def my_alerts(request: HttpRequest):
    _need_view(request)
    return alerts_of(request.user).select_related("responsible").order_by("-raised_at", "-id")


@router.get("/rules", response=list[AlertRuleOut], summary="Supervision rules")
def rules(request: HttpRequest) -> list[AlertRule]:
    _need_view(request)
    return list(AlertRule.objects.order_by("subject", "id"))
