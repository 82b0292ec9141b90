"""Bad ratings (差评) under follow-up (issue 15 item 1): the inbox of the caller's scope (overdue
first, the rater masked), one rating (the rater in full for those who follow it up or decide on
it; the read is logged), what the caller may do with it, the actions of
`feedback/rating_transitions.py` (call_back, rectify, tell, appeal, exclude, reject_appeal) and
the month's targets (实名差评回访率, 整改率; definitions in
`govhall/feedback/queries/rating_follow_up.py`).

Errors (`govhall.api.schemas`): a rating the caller does not see → 404, like a missing one;
refused input or an action the caller may not take (the wrong party, the rated person
themselves) → 422; a stale `version`, or a rating no longer in a state for the action → 409."""

# No `from __future__ import annotations`: django-ninja resolves the annotations of paginated
# operations (their Query parameters) at import time.

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from govhall.api.schemas import (
    SERVICE_REFUSALS,
    ErrorOut,
    FieldRefused,
    Pagination,
    PersonOut,
    Text,
    TransitionOut,
    VersionIn,
    service_refusal,
)
from govhall.core.idnumbers import mask_name, mask_phone
from govhall.core.models import User
from govhall.feedback.access.rating_follow_up import access_bad_rating, can_read_bad_ratings
from govhall.feedback.models import Rating
from govhall.feedback.queries.rating_follow_up import (
    BadRatingViewer,
    InboxFilter,
    bad_rating_inbox,
    follow_up_targets,
)
from govhall.feedback.rating_transitions import RatingAction
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.feedback.services.rating_follow_up import (
    rating_actions,
    rating_appeal,
    rating_call_back,
    rating_exclude,
    rating_rectify,
    rating_reject_appeal,
    rating_tell,
)

router = Router(auth=django_auth)


class BadRatingOut(Schema):
    id: int
    center_id: int
    department_id: int | None
    window_id: int | None
    case_id: int | None
    item_id: int | None
    staff: PersonOut | None = Field(None, description="Who served")
    channel: str
    level: int = Field(..., description="1 非常不满意 … 5 非常满意; 差评 are 1 and 2")
    reason: str
    comment: str
    rater_name: str = Field(..., description="Masked unless shown in full (`rater_masked`)")
    rater_phone: str
    rater_masked: bool
    rated_at: datetime.datetime
    follow_up: str = Field(..., description="open, verified, rectified, closed, appealed, excluded")
    call_back_due_at: datetime.datetime | None
    rectify_due_at: datetime.datetime | None
    overdue: bool
    version: int = Field(..., description="Send it back with an action; a stale one answers 409")

    @staticmethod
    def resolve_rater_masked(obj: Rating) -> bool:
        return getattr(obj, "rater_masked", True) is not False

    @staticmethod
    def resolve_rater_name(obj: Rating) -> str:
        masked = BadRatingOut.resolve_rater_masked(obj)
        return mask_name(obj.rater_name) if masked else obj.rater_name

    @staticmethod
    def resolve_rater_phone(obj: Rating) -> str:
        masked = BadRatingOut.resolve_rater_masked(obj)
        return mask_phone(obj.rater_phone) if masked else obj.rater_phone

    @staticmethod
    def resolve_overdue(obj: Rating) -> bool:
        return bool(getattr(obj, "is_overdue", 0))


class BadRatingDetailOut(BadRatingOut):
    called_back_at: datetime.datetime | None
    called_back_by: PersonOut | None
    call_back_note: str
    justified: bool | None
    rectification: str
    rectified_at: datetime.datetime | None
    rectified_by: PersonOut | None
    citizen_told_at: datetime.datetime | None
    appeal_reason: str
    appealed_at: datetime.datetime | None
    appealed_by: PersonOut | None
    excluded: bool
    appeal_decision_note: str
    appeal_decided_at: datetime.datetime | None
    appeal_decided_by: PersonOut | None


class BadRatingActionsOut(Schema):
    id: int
    follow_up: str
    version: int
    actions: list[TransitionOut]


class BadRatingListQuery(Schema):
    show: str = Field(
        InboxFilter.OPEN, description='"open" (in follow-up, default), "overdue" or "all"'
    )
    status: str | None = Field(None, max_length=12, description="One follow-up status")


class CallBackIn(VersionIn):
    justified: bool = Field(..., description="The verification found the rating justified")
    note: Text = Field(..., description="What the citizen said and what was found (≤ 1000)")


class RectifyIn(VersionIn):
    result: Text


class NoteIn(VersionIn):
    note: Text = ""


class AppealIn(VersionIn):
    reason: Text


class RateOut(Schema):
    done: int
    total: int
    percent: Decimal | None = Field(..., description="One decimal; null when nothing to count")
    met: bool | None


class TargetsOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    call_back: RateOut = Field(..., description="实名差评回访率: real-name called back in time")
    rectification: RateOut = Field(..., description="整改率: rectified ÷ justified")
    target: int = Field(..., description="Percent")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _need_reader(request: HttpRequest) -> User:
    user = _user(request)
    if not can_read_bad_ratings(user):
        raise HttpError(404, _("Not found."))
    return user


@router.get(
    "/",
    response=list[BadRatingOut],
    summary="Bad ratings I see: overdue first (the rater masked)",
    description="Paginated with `limit` and `offset`; the answer is `{items, count}`.",
)
@paginate(Pagination)
def list_bad_ratings(request: HttpRequest, filters: Query[BadRatingListQuery]) -> QuerySet[Rating]:
    user = _need_reader(request)
    if filters.show not in (InboxFilter.OPEN, InboxFilter.OVERDUE, InboxFilter.ALL):
        raise FieldRefused("show", _("Choose open, overdue or all."))
    return bad_rating_inbox(user, show=filters.show, status=filters.status or None)


def _one(user: User, rating_id: int) -> Rating:
    """One rating as answered: the rater in full for a party (the read is logged)."""
    viewer = BadRatingViewer(user)
    rating = access_bad_rating(user, rating_id, viewer=viewer)
    row = bad_rating_inbox(user, show=InboxFilter.ALL, viewer=viewer).get(pk=rating.pk)
    if not viewer.sees_rater(row):
        return row
    if row.rater_name or row.rater_phone:
        feedback_personal_data_view_record(
            actor=user,
            obj=row,
            center_id=row.center_id,
            fields=["rater_name", "rater_phone"],
            purpose=_("Bad rating read through the API"),
        )
    row.rater_masked = False  # type: ignore[attr-defined]
    return row


@router.get(
    "/targets",
    response=TargetsOut,
    summary="The month's 实名差评回访率 and 整改率 over my scope (target 100%)",
)
def targets(
    request: HttpRequest,
    month: str = Query("", max_length=7, description="YYYY-MM; default this month"),
) -> dict[str, Any]:
    user = _need_reader(request)
    if month:
        year, _dash, number = month.partition("-")
        if not (len(year) == 4 and year.isdigit() and len(number) == 2 and number.isdigit()):
            raise FieldRefused("month", _("Give the month as YYYY-MM."))
        if not (2000 <= int(year) <= 2100 and 1 <= int(number) <= 12):
            raise FieldRefused("month", _("Give the month as YYYY-MM."))
        first = datetime.date(int(year), int(number), 1)
    else:
        first = timezone.localdate().replace(day=1)
    figures = follow_up_targets(user, first)

    def rate(value: Any) -> dict[str, Any]:
        return {
            "done": value.done,
            "total": value.total,
            "percent": value.percent,
            "met": value.met,
        }

    return {
        "month": first.strftime("%Y-%m"),
        "call_back": rate(figures.call_back),
        "rectification": rate(figures.rectification),
        "target": figures.target,
    }


@router.get(
    "/{int:rating_id}",
    response={200: BadRatingDetailOut, 404: ErrorOut},
    summary="One bad rating (the rater in full for the department and management; logged)",
)
def get_bad_rating(request: HttpRequest, rating_id: int) -> Rating:
    return _one(_need_reader(request), rating_id)


@router.get(
    "/{int:rating_id}/actions",
    response={200: BadRatingActionsOut, 404: ErrorOut},
    summary="What I may do with a bad rating now",
)
def actions(request: HttpRequest, rating_id: int) -> dict[str, Any]:
    user = _need_reader(request)
    rating = access_bad_rating(user, rating_id)
    return {
        "id": rating.pk,
        "follow_up": rating.follow_up,
        "version": rating.version,
        "actions": [
            {"action": row.action, "label": str(RatingAction(row.action).label)}
            for row in rating_actions(user, rating)
        ],
    }


STEP = {200: BadRatingDetailOut, 404: ErrorOut, **SERVICE_REFUSALS}


def _step(request: HttpRequest, rating_id: int, run: Callable[[User, Rating], object]) -> Any:
    user = _need_reader(request)
    rating = access_bad_rating(user, rating_id)
    try:
        run(user, rating)
    except ValidationError as error:
        return service_refusal(error)
    return _one(user, rating.pk)


@router.post(
    "/{int:rating_id}/call_back",
    response=STEP,
    summary="Record the call-back and the verification (justified or not)",
)
def call_back(request: HttpRequest, rating_id: int, payload: CallBackIn) -> Any:
    return _step(
        request,
        rating_id,
        lambda user, rating: rating_call_back(
            actor=user,
            rating=rating,
            version=payload.version,
            justified=payload.justified,
            note=payload.note,
        ),
    )


@router.post("/{int:rating_id}/rectify", response=STEP, summary="Record the rectification")
def rectify(request: HttpRequest, rating_id: int, payload: RectifyIn) -> Any:
    return _step(
        request,
        rating_id,
        lambda user, rating: rating_rectify(
            actor=user, rating=rating, version=payload.version, result=payload.result
        ),
    )


@router.post(
    "/{int:rating_id}/tell",
    response=STEP,
    summary="The result was told to the citizen (an SMS invites them to rate again)",
)
def tell(request: HttpRequest, rating_id: int, payload: NoteIn) -> Any:
    return _step(
        request,
        rating_id,
        lambda user, rating: rating_tell(
            actor=user, rating=rating, version=payload.version, note=payload.note
        ),
    )


@router.post(
    "/{int:rating_id}/appeal", response=STEP, summary="Appeal as malicious or mistaken, with why"
)
def appeal(request: HttpRequest, rating_id: int, payload: AppealIn) -> Any:
    return _step(
        request,
        rating_id,
        lambda user, rating: rating_appeal(
            actor=user, rating=rating, version=payload.version, reason=payload.reason
        ),
    )


@router.post(
    "/{int:rating_id}/exclude",
    response=STEP,
    summary="Management agrees with the appeal: exclude from the figures (note required)",
)
def exclude(request: HttpRequest, rating_id: int, payload: NoteIn) -> Any:
    return _step(
        request,
        rating_id,
        lambda user, rating: rating_exclude(
            actor=user, rating=rating, version=payload.version, note=payload.note
        ),
    )


@router.post(
    "/{int:rating_id}/reject_appeal",
    response=STEP,
    summary="Management rejects the appeal: back to where the rating was (note required)",
)
def reject_appeal(request: HttpRequest, rating_id: int, payload: NoteIn) -> Any:
    return _step(
        request,
        rating_id,
        lambda user, rating: rating_reject_appeal(
            actor=user, rating=rating, version=payload.version, note=payload.note
        ),
    )
