"""Supervision API: the live alerts in the caller's scope, the caller's own alerts, one alert
with what the caller may do with it, the inbox actions (acknowledge, explain, accept, uphold:
`supervision/alert_transitions.py`), and the rules, which system administrators change
(`supervision.services.rules.alert_rule_update`, within its bounds, logged).

Errors (`govhall.api.schemas`): what the caller may not see → 404, like a missing one; refused
input or an action the caller may not take → 422; a stale `version`, or an alert no longer in a
state for the action (explained, decided, withdrawn meanwhile) → 409."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    Count,
    Line,
    Pagination,
    PersonOut,
    Small,
    Text,
    service_refusal,
)
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.supervision.access.rules import access_alert, access_alert_rule, can_view_alerts
from govhall.supervision.alert_transitions import AlertAction
from govhall.supervision.models import Alert, AlertRule
from govhall.supervision.queries.alerts import alerts_in_scope, alerts_of
from govhall.supervision.services.alerts import (
    alert_accept,
    alert_acknowledge,
    alert_actions,
    alert_explain,
    alert_uphold,
)
from govhall.supervision.services.rules import alert_rule_update

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


# --- the alert inbox (issue 14 item 5) and changing a rule (item 2) ------------------------------


class AlertActionOut(Schema):
    action: str = Field(..., description="Name to POST to /alerts/{id}/{action}")
    label: str


class AlertDetailOut(AlertOut):
    acknowledged_at: datetime.datetime | None
    explanation: str
    explained_at: datetime.datetime | None
    explained_by: PersonOut | None
    decided_at: datetime.datetime | None
    decided_by: PersonOut | None
    decision_note: str
    version: int = Field(..., description="Send it back with an action; a stale one answers 409")
    counts: bool = Field(..., description="Whether its points count on a score")
    actions: list[AlertActionOut] = Field(
        ..., description="What the caller may do now (supervision/alert_transitions.py)"
    )


class AlertVersionIn(Schema):
    version: Count | None = Field(None, description="The version the caller saw (recommended)")


class AlertExplainIn(AlertVersionIn):
    explanation: Text


class AlertDecisionIn(AlertVersionIn):
    note: Line = Field("", description="Required to uphold")


class AlertRulePatchIn(Schema):
    threshold_days: Small | None = None
    threshold_percent: Small | None = None
    threshold_minutes: Small | None = None
    points: Decimal | None = Field(None, description="0 to 20 in steps of 0.5")
    counts_as_violation: bool | None = None
    notify_responsible: bool | None = None
    notify_window_head: bool | None = None
    notify_department_leader: bool | None = None
    notify_director: bool | None = None
    is_active: bool | None = None


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _alert_detail(user: User, alert_id: int) -> Alert:
    """The alert as `AlertDetailOut` reads it, with the caller's `actions`."""
    alert = access_alert(user, alert_id)
    fresh = Alert.objects.select_related(
        "rule", "case", "responsible", "explained_by", "decided_by"
    ).get(pk=alert.pk)
    fresh.actions = [  # type: ignore[attr-defined]
        {"action": row.action, "label": str(AlertAction(row.action).label)}
        for row in alert_actions(user, fresh)
    ]
    return fresh


@router.get(
    "/alerts/{alert_id}",
    response=AlertDetailOut,
    summary="One alert: its explanation, decision, version and what you may do with it",
)
def alert_detail(request: HttpRequest, alert_id: int) -> Alert:
    return _alert_detail(_user(request), alert_id)


def _alert_action(request: HttpRequest, alert_id: int, action: AlertAction, payload: Any) -> Any:
    user = _user(request)
    alert = access_alert(user, alert_id)
    try:
        if action == AlertAction.ACKNOWLEDGE:
            alert_acknowledge(actor=user, alert=alert, expected_version=payload.version)
        elif action == AlertAction.EXPLAIN:
            alert_explain(
                actor=user,
                alert=alert,
                explanation=payload.explanation,
                expected_version=payload.version,
            )
        elif action == AlertAction.ACCEPT:
            alert_accept(
                actor=user, alert=alert, note=payload.note, expected_version=payload.version
            )
        else:
            alert_uphold(
                actor=user, alert=alert, note=payload.note, expected_version=payload.version
            )
    except ValidationError as error:
        return service_refusal(error)
    return _alert_detail(user, alert_id)


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response={200: AlertDetailOut, **SERVICE_REFUSALS},
    summary="Acknowledge an alert you answer for (body {} or with the version)",
)
def alert_acknowledge_endpoint(request: HttpRequest, alert_id: int, payload: AlertVersionIn):
    return _alert_action(request, alert_id, AlertAction.ACKNOWLEDGE, payload)


@router.post(
    "/alerts/{alert_id}/explain",
    response={200: AlertDetailOut, **SERVICE_REFUSALS},
    summary="Explain an alert you answer for (情况说明, at most 2000 characters)",
)
def alert_explain_endpoint(request: HttpRequest, alert_id: int, payload: AlertExplainIn):
    return _alert_action(request, alert_id, AlertAction.EXPLAIN, payload)


@router.post(
    "/alerts/{alert_id}/accept",
    response={200: AlertDetailOut, **SERVICE_REFUSALS},
    summary="Accept the explanation: the points are restored (window head, department leader "
    "or hall director)",
)
def alert_accept_endpoint(request: HttpRequest, alert_id: int, payload: AlertDecisionIn):
    return _alert_action(request, alert_id, AlertAction.ACCEPT, payload)


@router.post(
    "/alerts/{alert_id}/uphold",
    response={200: AlertDetailOut, **SERVICE_REFUSALS},
    summary="Uphold the alert despite the explanation, with a note",
)
def alert_uphold_endpoint(request: HttpRequest, alert_id: int, payload: AlertDecisionIn):
    return _alert_action(request, alert_id, AlertAction.UPHOLD, payload)


@router.patch(
    "/rules/{rule_id}",
    response={200: AlertRuleOut, **SERVICE_REFUSALS},
    summary="Change a rule's thresholds, points and who is told (system administrators)",
)
def rule_update(request: HttpRequest, rule_id: int, payload: AlertRulePatchIn):
    user = _user(request)
    rule = access_alert_rule(user, rule_id, for_write=True)
    changes = payload.model_dump(exclude_none=True)
    try:
        return alert_rule_update(actor=user, rule=rule, **changes)
    except ValidationError as error:
        return service_refusal(error)
