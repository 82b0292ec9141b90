"""Hall notices (公告: policies, 便民措施; issue 18 item 5) through the API: the managers of a
center list, write, withdraw and delete them (`govhall.frontdesk.services.notices`, the services
the workbench page uses), and anyone reads the notices a center shows now — on the portal's
disclosure page and the display board's ticker (`govhall.frontdesk.queries.notices`).

Who: hall managers (director, administrator), each notice only within their center subtree
(`govhall.frontdesk.access.notices`); anyone else, and a notice outside the subtree, is 404 like
a missing one. Errors (`govhall.api.schemas`): refused input → 422 with the fields; withdrawing
a notice that is not published → 409. The public read is rate limited per client address
(GOVHALL_PUBLIC_API_PER_MINUTE, 429 with Retry-After)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.public_reads import public_read_limited
from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    Code,
    ErrorOut,
    Id,
    LongName,
    Pagination,
    Small,
    Text,
    error_body,
    rate_limited,
    service_refusal,
)
from govhall.core.models import User
from govhall.frontdesk.access.notices import access_notice, can_manage_notices, notices_in_scope
from govhall.frontdesk.models import HallNotice
from govhall.frontdesk.queries.notices import notices_listed, notices_shown
from govhall.frontdesk.services.notices import (
    notice_create,
    notice_delete,
    notice_update,
    notice_withdraw,
)
from govhall.org.access.lookups import access_center
from govhall.org.queries.public import public_center

router = Router(auth=SESSION_OR_TOKEN)


class HallNoticeOut(Schema):
    id: int
    center_id: int
    center_code: str
    title: str
    body: str
    starts_at: datetime.datetime = Field(..., description="Shown from")
    ends_at: datetime.datetime | None = Field(None, description="Shown until; null: open-ended")
    is_published: bool = Field(..., description="false: a draft, or withdrawn")
    position: int = Field(..., description="Order on the page and the ticker, smallest first")
    shown_now: bool = Field(..., description="Published, begun and not ended: on show now")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_center_code(obj: HallNotice) -> str:
        return obj.center.code

    @staticmethod
    def resolve_shown_now(obj: HallNotice) -> bool:
        now = timezone.now()
        return (
            obj.is_published and obj.starts_at <= now and (obj.ends_at is None or obj.ends_at > now)
        )


class HallNoticeChangeIn(Schema):
    title: LongName = Field(..., description="Shown on the page and scrolled on the ticker")
    body: Text = Field("", description="Shown on the portal's disclosure page")
    starts_at: datetime.datetime = Field(..., description="Shown from (local time if no offset)")
    ends_at: datetime.datetime | None = Field(None, description="Shown until; after starts_at")
    is_published: bool = Field(False, description="false keeps it a draft")
    position: Small = Field(0, description="0–999, smallest first")


class HallNoticeIn(HallNoticeChangeIn):
    center: Id = Field(..., description="The center the notice belongs to (of your subtree)")


class HallNoticeShownOut(Schema):
    id: int
    title: str
    body: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None


def _manager(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can_manage_notices(user):
        raise Http404
    return user


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, timezone.get_current_timezone())


def _fields(payload: HallNoticeChangeIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "body": payload.body,
        "starts_at": _aware(payload.starts_at),
        "ends_at": _aware(payload.ends_at),
        "is_published": payload.is_published,
        "position": payload.position,
    }


@router.get(
    "/shown",
    auth=None,
    response={200: list[HallNoticeShownOut], 404: ErrorOut, 429: ErrorOut},
    summary="The notices a center shows now (public)",
    description=(
        "Public, no login: the published notices of the center with this public `center` code "
        "whose time has come and not passed, in the order of the disclosure page and the "
        "board's ticker (at most GOVHALL_PUBLIC_NOTICES_MAX). An unknown or closed center: 404. "
        "Rate limited per client address (GOVHALL_PUBLIC_API_PER_MINUTE a minute): 429 with "
        "Retry-After."
    ),
)
def shown(
    request: HttpRequest,
    response: HttpResponse,
    center: Code = Query(..., description="The center's public code"),
):
    limited = public_read_limited(request)
    if limited is not None:
        return rate_limited(response, limited)
    found = public_center(center)
    if found is None:
        return Status(404, error_body(_("Not found.")))
    response["Cache-Control"] = "public, max-age=60"
    return list(notices_shown(found).only("id", "title", "body", "starts_at", "ends_at"))


@router.get(
    "",
    response=list[HallNoticeOut],
    summary="Hall notices of your centers (managers)",
    description=(
        "Every notice (drafts, withdrawn and ended ones too) of the centers in your subtree, "
        "or of one `center` of it (another center: 404), by center and position."
    ),
)
@paginate(Pagination)
def notices(
    request: HttpRequest,
    center: int | None = Query(None, ge=1, le=BIGINT_MAX, description="one center"),
):
    user = _manager(request)
    if center is not None:
        access_center(user, center)
    return notices_listed(notices_in_scope(user), center_id=center)


@router.get("/{notice_id}", response={200: HallNoticeOut, 404: ErrorOut}, summary="One notice")
def notice(request: HttpRequest, notice_id: Id):
    return access_notice(_manager(request), notice_id)


@router.post(
    "",
    response={201: HallNoticeOut, **SERVICE_REFUSALS},
    summary="Write a notice",
    description="For the managers of the center (another center: 404). Published and begun, "
    "it shows at once on the disclosure page and the board's ticker.",
)
def create(request: HttpRequest, payload: HallNoticeIn):
    user = _manager(request)
    center = access_center(user, payload.center)
    try:
        made = notice_create(actor=user, center=center, **_fields(payload))
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, access_notice(user, made.pk))


@router.put(
    "/{notice_id}",
    response={200: HallNoticeOut, **SERVICE_REFUSALS},
    summary="Change a notice (every field, as the workbench form)",
)
def update(request: HttpRequest, notice_id: Id, payload: HallNoticeChangeIn):
    user = _manager(request)
    found = access_notice(user, notice_id, for_write=True)
    try:
        notice_update(actor=user, notice=found, **_fields(payload))
    except ValidationError as error:
        return service_refusal(error)
    return access_notice(user, notice_id)


@router.post(
    "/{notice_id}/withdraw",
    response={200: HallNoticeOut, **SERVICE_REFUSALS},
    summary="Withdraw a published notice",
    description="Takes it off the page and the ticker at once; it stays as an unpublished "
    "notice (publish it again with PUT). Not published: 409.",
)
def withdraw(request: HttpRequest, notice_id: Id):
    user = _manager(request)
    found = access_notice(user, notice_id, for_write=True)
    try:
        notice_withdraw(actor=user, notice=found)
    except ValidationError as error:
        return service_refusal(error)
    return access_notice(user, notice_id)


@router.delete(
    "/{notice_id}",
    response={204: None, **SERVICE_REFUSALS},
    summary="Delete a notice",
)
def delete(request: HttpRequest, notice_id: Id):
    user = _manager(request)
    found = access_notice(user, notice_id, for_write=True)
    try:
        notice_delete(actor=user, notice=found)
    except ValidationError as error:
        return service_refusal(error)
    return Status(204, None)
