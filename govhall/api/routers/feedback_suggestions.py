"""Suggestion box and message book API (意见箱, 留言簿; issue 15 item 5).

Staff (session or token): the entries of their centers (`GET /`), one entry (`GET /{id}`, the
writer's name and phone masked), an entry typed in from paper by the management of its center
(`POST /`), the reply (`POST /{id}/reply`, once: a second reply is 409), 办复率 by month of a
year (`GET /rates`) and a center's month summary (`GET /month`). Public, no login: write an
entry (`POST /public`, rate limited per address: 429 with Retry-After) and follow it by its
token (`GET /public/{token}`). Errors: `govhall.api.schemas`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    ErrorOut,
    Pagination,
    Text,
    Year,
    field_refusal,
    rate_limited,
    service_refusal,
)
from govhall.core.idnumbers import mask_name, mask_phone
from govhall.core.models import User
from govhall.core.ratelimit import RateLimited
from govhall.feedback.access.suggestions import (
    access_suggestion,
    can_read_suggestions,
    suggestions_in_scope,
)
from govhall.feedback.models import Suggestion, SuggestionChannel
from govhall.feedback.queries.suggestions import (
    month_summary,
    reply_rates_by_month,
    suggestion_by_token,
)
from govhall.feedback.services.suggestions import (
    suggestion_receive,
    suggestion_reply,
    suggestion_submit,
)
from govhall.org.access.lookups import access_center
from govhall.org.models import Center

router = Router(auth=django_auth)


class SuggestionOut(Schema):
    id: int
    center_id: int
    kind: str = Field(..., description='"suggestion" (意见箱) or "message" (留言簿)')
    channel: str = Field(..., description='"portal" or "paper"')
    name: str = Field(..., description="The writer's name, masked (张*明); empty if not given")
    phone: str = Field(..., description="The writer's phone, masked (138****5678)")
    content: str
    received_at: datetime.datetime
    reply_due_at: datetime.datetime
    reply: str
    replied_at: datetime.datetime | None
    is_public: bool = Field(..., description="Shown on the portal's message wall")
    overdue: bool = Field(..., description="Not replied and past the reply limit")
    version: int

    @staticmethod
    def resolve_name(obj: Suggestion) -> str:
        return mask_name(obj.name)

    @staticmethod
    def resolve_phone(obj: Suggestion) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    @staticmethod
    def resolve_overdue(obj: Suggestion) -> bool:
        return obj.replied_at is None and obj.reply_due_at < timezone.now()


class PublicSuggestionOut(Schema):
    token: str = Field(..., description="Keep it: the entry and its reply are read by it")
    center: str
    kind: str
    content: str
    received_at: datetime.datetime
    reply_due_at: datetime.datetime
    reply: str
    replied_at: datetime.datetime | None


class SuggestionPaperIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    kind: str = Field(..., max_length=12, description='"suggestion" or "message"')
    content: Text
    received_on: datetime.date | None = Field(None, description="Found in the box on (today)")
    name: str = Field("", max_length=60)
    phone: str = Field("", max_length=20)
    is_public: bool = False


class SuggestionPublicIn(Schema):
    center_id: int = Field(..., ge=1, le=BIGINT_MAX)
    kind: str = Field(..., max_length=12, description='"suggestion" or "message"')
    content: Text
    name: str = Field("", max_length=60)
    phone: str = Field("", max_length=20)
    is_public: bool = False


class SuggestionReplyIn(Schema):
    reply: Text
    version: int | None = Field(None, ge=0, le=2**31 - 1)


class SuggestionMonthRateOut(Schema):
    month: datetime.date
    received: int
    replied: int
    on_time: int
    overdue_open: int
    reply_rate: Decimal | None = Field(None, description="replied / received in %, target 100")


class SuggestionCountOut(Schema):
    value: str
    label: str
    count: int


class SuggestionMonthOut(Schema):
    center_id: int
    totals: SuggestionMonthRateOut
    by_kind: list[SuggestionCountOut]
    by_channel: list[SuggestionCountOut]
    entries: list[SuggestionOut]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _public(entry: Suggestion) -> dict[str, object]:
    return {
        "token": entry.public_token,
        "center": entry.center.name,
        "kind": entry.kind,
        "content": entry.content,
        "received_at": entry.received_at,
        "reply_due_at": entry.reply_due_at,
        "reply": entry.reply,
        "replied_at": entry.replied_at,
    }


@router.get("/", response=list[SuggestionOut], summary="Entries of your centers")
@paginate(Pagination)
def suggestions(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
    state: str | None = Query(None, pattern="^(open|overdue|replied)$"),
):
    if not can_read_suggestions(request.user):
        raise HttpError(404, _("Not found."))
    rows = suggestions_in_scope(request.user)
    if center is not None:
        rows = rows.filter(center=access_center(request.user, center))
    if state == "open":
        rows = rows.filter(replied_at__isnull=True)
    elif state == "overdue":
        rows = rows.filter(replied_at__isnull=True, reply_due_at__lt=timezone.now())
    elif state == "replied":
        rows = rows.filter(replied_at__isnull=False)
    return rows.order_by("-received_at", "-pk")


@router.get("/rates", response=list[SuggestionMonthRateOut], summary="办复率 by month of a year")
def rates(
    request: HttpRequest,
    year: Year = Query(...),
    center: int | None = Query(None, ge=1, le=BIGINT_MAX),
):
    if not can_read_suggestions(request.user):
        raise HttpError(404, _("Not found."))
    rows = suggestions_in_scope(request.user)
    if center is not None:
        rows = rows.filter(center=access_center(request.user, center))
    return [
        {**row.__dict__, "reply_rate": row.reply_rate} for row in reply_rates_by_month(rows, year)
    ]


@router.get(
    "/month",
    response={200: SuggestionMonthOut, 422: ErrorOut},
    summary="A center's month: counts by kind and channel, 办复率, the entries",
)
def month(
    request: HttpRequest,
    center: int = Query(..., ge=1, le=BIGINT_MAX),
    month: str = Query(..., max_length=7, description="YYYY-MM"),
):
    if not can_read_suggestions(request.user):
        raise HttpError(404, _("Not found."))
    found = access_center(request.user, center)
    try:
        year_text, month_text = month.split("-")
        first = datetime.date(int(year_text), int(month_text), 1)
        if not 2000 <= first.year <= 2100:
            raise ValueError(month)
    except ValueError:
        return field_refusal("month", _("Enter a month as YYYY-MM."))
    summary = month_summary(found, first.year, first.month)
    totals = summary.totals
    return {
        "center_id": found.pk,
        "totals": {**totals.__dict__, "reply_rate": totals.reply_rate},
        "by_kind": [{"value": v, "label": label, "count": n} for v, label, n in summary.by_kind],
        "by_channel": [
            {"value": v, "label": label, "count": n} for v, label, n in summary.by_channel
        ],
        "entries": summary.entries,
    }


@router.get("/{int:suggestion_id}", response=SuggestionOut, summary="One entry")
def suggestion_detail(request: HttpRequest, suggestion_id: int) -> Suggestion:
    return access_suggestion(request.user, suggestion_id)


@router.post(
    "/",
    response={201: SuggestionOut, **SERVICE_REFUSALS},
    summary="Type in an entry from paper (management of the center)",
)
def paper_entry(request: HttpRequest, payload: SuggestionPaperIn):
    center = access_center(request.user, payload.center_id)
    received = timezone.now()
    if payload.received_on is not None and payload.received_on != timezone.localdate():
        received = timezone.make_aware(
            datetime.datetime.combine(payload.received_on, datetime.time(9))
        )
    try:
        entry = suggestion_receive(
            actor=_user(request),
            center=center,
            kind=payload.kind,
            channel=SuggestionChannel.PAPER,
            content=payload.content,
            name=payload.name,
            phone=payload.phone,
            is_public=payload.is_public,
            received_at=received,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, entry)


@router.post(
    "/{int:suggestion_id}/reply",
    response={200: SuggestionOut, **SERVICE_REFUSALS},
    summary="Reply to an entry (once)",
)
def reply(request: HttpRequest, suggestion_id: int, payload: SuggestionReplyIn):
    entry = access_suggestion(request.user, suggestion_id, for_write=True)
    try:
        return suggestion_reply(
            actor=_user(request), suggestion=entry, reply=payload.reply, version=payload.version
        )
    except ValidationError as error:
        return service_refusal(error)


@router.post(
    "/public",
    auth=None,
    response={201: PublicSuggestionOut, 422: ErrorOut, 429: ErrorOut},
    summary="Write a suggestion or message (public, rate limited)",
)
def public_submit(request: HttpRequest, response: HttpResponse, payload: SuggestionPublicIn):
    center = Center.objects.filter(pk=payload.center_id, is_active=True).first()
    if center is None:
        return field_refusal("center_id", _("Choose a service center."))
    try:
        entry = suggestion_submit(
            center=center,
            kind=payload.kind,
            content=payload.content,
            name=payload.name,
            phone=payload.phone,
            is_public=payload.is_public,
            client=str(request.META.get("REMOTE_ADDR") or "unknown"),
        )
    except RateLimited as limited:
        return rate_limited(response, limited)
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, _public(entry))


@router.get(
    "/public/{token}",
    auth=None,
    response=PublicSuggestionOut,
    summary="An entry and its reply by its token (public)",
)
def public_follow(request: HttpRequest, token: str) -> dict[str, object]:
    return _public(suggestion_by_token(token))
