"""Ratings (好差评, issue 15 item 1): give a rating — staff entering one taken by phone after a
call-back (session or token), or a citizen online by the signed link's token (一事一评, no
login, rate limited) —, the ratings of the caller's scope (the rater masked), one rating (the
rater in full; the read is logged) and the monthly rankings of a center's windows and staff
(public, like the portal's /ratings/).

The rules are `govhall.feedback.services.ratings.rating_give`; the satisfaction rate is defined
once in `govhall.feedback.queries.rating_figures.satisfaction_rate`.

Errors (`govhall.api.schemas`): a rating, ticket or case the caller does not see, or a forged
token → 404; refused input (no reason for a bad rating, past the supplementary limit, not
finished yet) → 422; rated already (also at the same moment) → 409; too many posts from one
address → 429."""

# No `from __future__ import annotations`: django-ninja resolves the annotations of paginated
# operations (their Query parameters) at import time.

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    Code,
    ErrorOut,
    FieldRefused,
    Id,
    Line,
    Name,
    Pagination,
    PersonOut,
    Short,
    error_body,
    rate_limited,
    service_refusal,
)
from govhall.catalog.queries.guides import public_centers
from govhall.core.idnumbers import mask_name, mask_phone
from govhall.core.models import User
from govhall.core.ratelimit import RateLimited
from govhall.feedback.access.ratings import access_rating, can_enter_ratings, can_read_ratings
from govhall.feedback.models import Rating, RatingChannel
from govhall.feedback.queries.rating_figures import monthly_rankings
from govhall.feedback.queries.ratings import RatingFilters, rating_list
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.feedback.services.rating_tokens import RERATE, read_token
from govhall.feedback.services.ratings import rating_give, rating_give_public

router = Router(auth=SESSION_OR_TOKEN)


class RatingOut(Schema):
    id: int
    occasion: str = Field(..., description='"ticket:<id>" or "case:<id>"')
    center_id: int
    ticket_id: int | None
    case_id: int | None
    item_id: int | None
    department_id: int | None
    window_id: int | None
    staff: PersonOut | None = Field(None, description="Who served (A/B cover honoured)")
    channel: str = Field(
        ..., description="window_screen, qr_code, sms, progress_page, phone, online"
    )
    level: int = Field(..., description="5 非常满意 … 1 非常不满意; 差评 are 1 and 2")
    reason: str
    comment: str
    rater_name: str = Field(..., description="Masked unless `rater_masked` is false")
    rater_phone: str
    rater_masked: bool
    rated_at: datetime.datetime
    is_supplementary: bool = Field(..., description="补充评价: given after the screen's minutes")
    supersedes_id: int | None = Field(None, description="The rating this re-rating replaces")
    follow_up: str
    excluded: bool
    entered_by: PersonOut | None = Field(None, description="Staff who entered a phone rating")

    @staticmethod
    def resolve_rater_masked(obj: Rating) -> bool:
        return getattr(obj, "rater_masked", True) is not False

    @staticmethod
    def resolve_rater_name(obj: Rating) -> str:
        return mask_name(obj.rater_name) if RatingOut.resolve_rater_masked(obj) else obj.rater_name

    @staticmethod
    def resolve_rater_phone(obj: Rating) -> str:
        masked = RatingOut.resolve_rater_masked(obj)
        return mask_phone(obj.rater_phone) if masked else obj.rater_phone


class RatingIn(Schema):
    level: int = Field(..., ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    reason: Short = Field("", description="For a bad rating: attitude, slow, more_visits, …")
    comment: Line = ""
    rater_name: Name = ""
    rater_phone: Short = ""


class PhoneRatingIn(RatingIn):
    kind: str = Field(..., max_length=8, description='"ticket" or "case"')
    occasion_id: Id


class OnlineRatingIn(RatingIn):
    token: str = Field(..., max_length=300, description="The signed token of the rating link")
    channel: str = Field(
        RatingChannel.ONLINE,
        max_length=16,
        description="qr_code, sms, progress_page or online (default)",
    )


class GivenOut(Schema):
    id: int
    level: int
    is_bad: bool
    is_supplementary: bool


class RatingListQuery(Schema):
    month: str = Field("", max_length=7, description="YYYY-MM")
    level: int | None = Field(None, ge=1, le=5)
    window_id: Id | None = None
    department_id: Id | None = None
    bad_only: bool = False


class RankingRowOut(Schema):
    rank: int
    id: int
    name: str = Field(..., description="Window, or the staff member's public name (挂牌)")
    number: Any = Field(..., description="Window number, or the public staff number")
    count: int
    good: int
    rate: float | None = Field(..., description="Satisfaction rate in percent (level ≥ 3)")
    bad: int


class RankingsOut(Schema):
    center: str
    month: str
    windows: list[RankingRowOut]
    staff: list[RankingRowOut]


def _month(raw: str) -> tuple[int, int] | None:
    if not raw:
        return None
    year, _dash, number = raw.partition("-")
    if not (len(year) == 4 and year.isdigit() and len(number) == 2 and number.isdigit()):
        raise FieldRefused("month", _("Give the month as YYYY-MM."))
    if not (2000 <= int(year) <= 2100 and 1 <= int(number) <= 12):
        raise FieldRefused("month", _("Give the month as YYYY-MM."))
    return int(year), int(number)


def _reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_read_ratings(user):
        raise HttpError(404, _("Not found."))
    return user


@router.get(
    "/",
    response=list[RatingOut],
    summary="Ratings of my scope, newest first (the rater masked)",
    description="Paginated with `limit` and `offset`; the answer is `{items, count}`.",
)
@paginate(Pagination)
def list_ratings(request: HttpRequest, filters: Query[RatingListQuery]) -> QuerySet[Rating]:
    user = _reader(request)
    month = _month(filters.month)
    return rating_list(
        user,
        RatingFilters(
            year=month[0] if month else None,
            month=month[1] if month else None,
            level=filters.level,
            window_id=filters.window_id,
            department_id=filters.department_id,
            bad_only=filters.bad_only,
        ),
    ).select_related("entered_by")


@router.get(
    "/rankings",
    response={200: RankingsOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Monthly rankings of a center's windows and staff (public)",
)
def rankings(
    request: HttpRequest,
    center: Code = Query(..., description="The center's public code"),
    month: str = Query("", max_length=7, description="YYYY-MM; default this month"),
) -> Any:
    found = public_centers().filter(code=center).first()
    if found is None:
        return Status(404, error_body(_("Not found.")))
    chosen = _month(month)
    today = timezone.localdate()
    year, number = chosen or (today.year, today.month)
    figures = monthly_rankings(found, year, number)
    return {
        "center": found.name,
        "month": f"{year:04d}-{number:02d}",
        "windows": figures["windows"],
        "staff": figures["staff"],
    }


@router.post(
    "/",
    response={201: RatingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Enter a rating the citizen gave on the phone after a call-back",
    description="For the rating office of the ticket's or case's scope; channel `phone`.",
)
def enter_rating(request: HttpRequest, body: PhoneRatingIn) -> Any:
    user = request.user
    if not isinstance(user, User) or not can_enter_ratings(user):
        return Status(404, error_body(_("Not found.")))
    try:
        rating = rating_give(
            actor=user,
            kind=body.kind,
            occasion_id=body.occasion_id,
            level=body.level,
            channel=RatingChannel.PHONE_CALL_BACK,
            reason=body.reason,
            comment=body.comment,
            rater_name=body.rater_name,
            rater_phone=body.rater_phone,
        )
    except Http404:
        return Status(404, error_body(_("Not found.")))
    except ValidationError as refused:
        return service_refusal(refused)
    return Status(201, rating)


@router.post(
    "/online",
    response={201: GivenOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Rate a service online with the token of its rating link (一事一评, no login)",
    description=(
        "The token of a QR code, SMS invitation or progress-page link (or a re-rating link "
        "after a bad rating was followed up). A forged token answers 404; too many posts from "
        "one address answer 429 with Retry-After."
    ),
)
def rate_online(request: HttpRequest, response: HttpResponse, body: OnlineRatingIn) -> Any:
    parsed = read_token(body.token)
    if parsed is None:
        return Status(404, error_body(_("This rating link is not valid.")))
    kind, pk = parsed
    supersedes = None
    if kind == RERATE:
        supersedes = Rating.objects.filter(pk=pk).first()
        if supersedes is None:
            return Status(404, error_body(_("This rating link is not valid.")))
        kind, _sep, number = supersedes.occasion.partition(":")
        pk = int(number)
    try:
        rating = rating_give_public(
            client=str(request.META.get("REMOTE_ADDR") or "unknown"),
            kind=kind,
            occasion_id=pk,
            level=body.level,
            channel=body.channel,
            reason=body.reason,
            comment=body.comment,
            rater_name=body.rater_name,
            rater_phone=body.rater_phone,
            supersedes=supersedes,
        )
    except RateLimited as limited:
        return rate_limited(response, limited)
    except Http404:
        return Status(404, error_body(_("This rating link is not valid.")))
    except ValidationError as refused:
        return service_refusal(refused)
    return Status(
        201,
        {
            "id": rating.pk,
            "level": rating.level,
            "is_bad": rating.is_bad,
            "is_supplementary": rating.is_supplementary,
        },
    )


# Declared last: its path would otherwise take "/online" and "/rankings".
@router.get(
    "/{rating_id}",
    response={200: RatingOut, 404: ErrorOut},
    summary="One rating (the rater in full; the read is logged)",
)
def get_rating(request: HttpRequest, rating_id: Id) -> Any:
    user = _reader(request)
    rating = access_rating(user, rating_id)
    if rating.rater_name or rating.rater_phone:
        feedback_personal_data_view_record(
            actor=user,
            obj=rating,
            center_id=rating.center_id,
            fields=["rater_name", "rater_phone"],
            purpose=_("Rating read through the API"),
        )
    rating.rater_masked = False  # type: ignore[attr-defined]
    return rating
