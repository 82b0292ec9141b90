"""The code of conduct and badges API (issue 21 item 3), the same services and queries as the
workbench.

- `GET /public/{code}`: a center's published code of conduct, by section — public (many halls
  post it for citizens), no login, rate limited per client address like the other public reads
  (GOVHALL_PUBLIC_API_PER_MINUTE, 429 beyond); an unknown center or one without a published
  code: 404;
- `GET /code?center=`: the same for staff, with whether the caller still has to read the
  current revision of their own center's code; `POST /acknowledge`: 我已阅读并遵守;
- `GET /badges?center=`, `POST /badges` (issue), `POST /badges/{id}/withdraw`: staff who
  oversee staff read; a hall manager of the center issues and withdraws.
Errors: refused input 422, a conflict (already holds a badge, withdrawn already) 409, outside
the caller's scope 404 like a missing object.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from govhall.api.public_reads import public_read_limited
from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    Code,
    ErrorOut,
    Id,
    error_body,
    field_refusal,
    rate_limited,
    service_refusal,
)
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of, staff_in_scope
from govhall.org.queries.public import public_center
from govhall.staffing.access.conduct import access_badge, can_read_badges, can_read_conduct
from govhall.staffing.models.conduct import Badge
from govhall.staffing.queries.conduct import PublishedCode, badges_of, conduct_due, published_code
from govhall.staffing.services.conduct import badge_issue, badge_withdraw, conduct_acknowledge

router = Router(auth=django_auth)


class ConductLineOut(Schema):
    text: str
    patrol: bool = Field(..., description="offered to the patrol as a checklist point")


class ConductSectionOut(Schema):
    section: str = Field(..., description='"polite", "forbidden", "bans" or "dress"')
    label: str
    lines: list[ConductLineOut]


class ConductCodeOut(Schema):
    center: str
    revision: int
    published_at: datetime.datetime | None
    sections: list[ConductSectionOut]


class ConductStaffCodeOut(ConductCodeOut):
    to_read: bool = Field(..., description="the caller has not read this revision yet")


class AcknowledgementOut(Schema):
    revision: int
    acknowledged_at: datetime.datetime


class BadgeOut(Schema):
    id: int
    number: str
    user_id: int
    name: str
    issued_on: datetime.date
    withdrawn_on: datetime.date | None

    @staticmethod
    def resolve_name(obj: Badge) -> str:
        return obj.user.display_name


class BadgeIn(Schema):
    user_id: Id


def _code_out(code: PublishedCode) -> dict[str, Any]:
    return {
        "center": code.center.name,
        "revision": code.revision,
        "published_at": code.published_at,
        "sections": [
            {
                "section": section.section,
                "label": section.label,
                "lines": [{"text": line.text, "patrol": line.patrol} for line in section.lines],
            }
            for section in code.sections
        ],
    }


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _own_center_id(request: HttpRequest) -> int:
    root = scope_of(request.user).root
    if root is None:
        raise HttpError(404, _("Not found."))
    return root.pk


@router.get(
    "/public/{code}",
    auth=None,
    response={200: ConductCodeOut, 404: ErrorOut, 429: ErrorOut},
    summary="A center's published code of conduct (public)",
)
def public_code(request: HttpRequest, response: HttpResponse, code: Code):
    limited = public_read_limited(request)
    if limited is not None:
        return rate_limited(response, limited)
    center = public_center(code)
    published = published_code(center) if center is not None else None
    if published is None:
        return Status(404, error_body(_("Not found.")))
    response["Cache-Control"] = "public, max-age=300"
    return _code_out(published)


@router.get("/code", response=ConductStaffCodeOut, summary="The published code of a center")
def staff_code(request: HttpRequest, center: int | None = Query(None, ge=1, le=BIGINT_MAX)):
    if not can_read_conduct(request.user):
        raise HttpError(404, _("Not found."))
    found = access_center(request.user, center if center is not None else _own_center_id(request))
    published = published_code(found)
    if published is None:
        raise HttpError(404, _("Not found."))
    due = conduct_due(_user(request))
    return {**_code_out(published), "to_read": due is not None and due.center_id == found.pk}


@router.post(
    "/acknowledge",
    response={200: AcknowledgementOut, **SERVICE_REFUSALS},
    summary="I have read the current code of my center and will abide by it",
)
def acknowledge(request: HttpRequest):
    if not can_read_conduct(request.user):
        raise HttpError(404, _("Not found."))
    try:
        return conduct_acknowledge(actor=_user(request))
    except ValidationError as error:
        return service_refusal(error)


@router.get("/badges", response=list[BadgeOut], summary="The badges of a center")
def badges(request: HttpRequest, center: int | None = Query(None, ge=1, le=BIGINT_MAX)):
    if not can_read_badges(request.user):
        raise HttpError(404, _("Not found."))
    found = access_center(request.user, center if center is not None else _own_center_id(request))
    return list(badges_of(found).order_by("number")[:1000])


@router.post(
    "/badges",
    response={201: BadgeOut, **SERVICE_REFUSALS},
    summary="Issue a badge to a staff member (the next number of their center)",
)
def issue(request: HttpRequest, payload: BadgeIn):
    staff = staff_in_scope(request.user).select_related("user").filter(user_id=payload.user_id)
    member = staff.first()
    if member is None:
        return field_refusal("user_id", _("This person is not on the staff of a center."))
    try:
        return Status(201, badge_issue(actor=_user(request), user=member.user))
    except ValidationError as error:
        return service_refusal(error)


@router.post(
    "/badges/{badge_id}/withdraw",
    response={200: BadgeOut, **SERVICE_REFUSALS},
    summary="Withdraw a badge (today)",
)
def withdraw(request: HttpRequest, badge_id: int):
    badge = access_badge(request.user, badge_id, for_write=True)
    try:
        return badge_withdraw(actor=_user(request), badge=badge)
    except ValidationError as error:
        return service_refusal(error)
