"""Notices of criticism and efficiency warnings (通报批评 / 效能告诫): list, read one, issue one.

Issuing is `supervision.services.notices.criticism_notice_issue` (hall directors, on live alerts
of a person in a center they manage). Errors (`govhall.api.schemas`): what the caller may not
see or do → 404, like a missing one; refused input → 422 with the fields; a number clash → 409."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import SERVICE_REFUSALS, Pagination, PersonOut, service_refusal
from govhall.core.models import User
from govhall.supervision.access.board import (
    access_criticism_notice,
    can_read_criticism_notices,
    criticism_notices_in_scope,
)
from govhall.supervision.models import CriticismNotice
from govhall.supervision.queries.notices import notice_list
from govhall.supervision.services.notices import (
    ALERTS_MAX,
    DECISION_MAX,
    FACTS_MAX,
    criticism_notice_issue,
)

router = Router(auth=django_auth)


class CriticismNoticeOut(Schema):
    id: int
    number: str = Field(..., description='e.g. "330100通报〔2026〕3号", per center, kind and year')
    kind: str = Field(..., description='"criticism" (通报批评) or "warning" (效能告诫)')
    center_id: int
    person: PersonOut
    window_id: int | None
    facts: str
    decision: str
    alert_ids: list[int]
    issued_by: PersonOut
    issued_at: datetime.datetime

    @staticmethod
    def resolve_alert_ids(obj: CriticismNotice) -> list[int]:
        return sorted(alert.pk for alert in obj.alerts.all())


class NoticeIn(Schema):
    person_id: int = Field(..., ge=1, description="the person the notice is issued on")
    kind: str = Field(..., description='"criticism" or "warning"')
    alert_ids: list[int] = Field(
        ..., max_length=ALERTS_MAX, description="live alerts the person answers for"
    )
    facts: str = Field(..., max_length=FACTS_MAX)
    decision: str = Field(..., max_length=DECISION_MAX)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("", response=list[CriticismNoticeOut], summary="Criticism notices of your centers")
@paginate(Pagination)
def notices(request: HttpRequest):
    if not can_read_criticism_notices(request.user):
        raise HttpError(404, _("Not found."))
    return notice_list(criticism_notices_in_scope(request.user)).prefetch_related("alerts")


@router.get("/{notice_id}", response=CriticismNoticeOut, summary="One criticism notice")
def notice(request: HttpRequest, notice_id: int) -> CriticismNotice:
    return access_criticism_notice(request.user, notice_id)


@router.post(
    "", response={201: CriticismNoticeOut, **SERVICE_REFUSALS}, summary="Issue a criticism notice"
)
def issue(request: HttpRequest, payload: NoticeIn):
    try:
        issued = criticism_notice_issue(
            actor=_user(request),
            person_id=payload.person_id,
            kind=payload.kind,
            alert_ids=payload.alert_ids,
            facts=payload.facts,
            decision=payload.decision,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, access_criticism_notice(request.user, issued.pk))
