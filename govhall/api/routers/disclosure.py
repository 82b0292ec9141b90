"""Public disclosure (政务公开, issue 18 item 5) as a read API: what the portal's /disclosure/,
/on-time/ and /ratings/ pages show, from the same queries and masked the same way. No login.

- `/centers`, `/centers/{code}`: active centers with their complaint, supervision and enquiry
  phones (`govhall.org.queries.public`);
- `/centers/{code}/cases`: 办件公示 (`govhall.cases.queries.public`): case number, item, the
  applicant masked (a person 张*明, an enterprise by its registered name), the national status,
  accepted and finished dates; nothing else of the applicant;
- `/centers/{code}/posts`: 挂牌上岗 / AB岗 公开 (`govhall.staffing.queries.public_posts`): each
  window with its head and its posts' A and B staff — name, staff number, department;
- `/centers/{code}/on-time`: this and last month's on-time rates by department
  (`govhall.stats.queries.ontime`, THE on-time rule of the figures);
- `/centers/{code}/rankings`: a month's satisfaction rankings of windows and staff
  (`govhall.feedback.queries.rating_figures.monthly_rankings`, public names only).

Rate limits per client address (REMOTE_ADDR): the 办件公示 list GOVHALL_PUBLIC_CASES_PER_MINUTE
together with the portal page, every other read GOVHALL_PUBLIC_API_PER_MINUTE; beyond, 429 with
Retry-After. An unknown or closed center: 404."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from govhall.api.public_reads import client_address, public_read_limited, refused
from govhall.api.schemas import (
    MAX_OFFSET,
    Code,
    ErrorOut,
    error_body,
    field_refusal,
    rate_limited,
)
from govhall.cases.queries.public import (
    NUMBER_SEARCH_MAX,
    as_public,
    public_cases,
    public_cases_hit,
)
from govhall.feedback.queries.rating_figures import monthly_rankings
from govhall.org.models import Center
from govhall.org.queries.public import public_center, public_center_list
from govhall.staffing.queries.public_posts import PublicPerson, public_windows
from govhall.stats.queries.ontime import month_start, on_time_rates, previous_month

router = Router(auth=None)

LIMITED = {404: ErrorOut, 429: ErrorOut}


class DisclosureCenterOut(Schema):
    code: str = Field(..., description="The center's public code (used in every address here)")
    name: str
    level: str
    address: str
    phone: str = Field(..., description="Enquiries")
    complaint_phone: str = Field(..., description="Complaints (投诉电话)")
    supervision_phone: str = Field(..., description="Supervision (监督电话)")


class DisclosureCaseOut(Schema):
    number: str = Field(..., description="Case number")
    item: str = Field(..., description="Service item")
    applicant: str = Field(
        ..., description="A person's name masked (张*明); an enterprise's name as registered"
    )
    status: str = Field(..., description="National status name: 受理, 在办, 办结 …")
    accepted_on: datetime.date | None
    finished_on: datetime.date | None


class DisclosureCasePageOut(Schema):
    items: list[DisclosureCaseOut]
    count: int = Field(..., description="Cases in the window (GOVHALL_PUBLIC_CASES_DAYS days)")


class DisclosureNameplateOut(Schema):
    """A window person's public nameplate (挂牌上岗), not a `PersonOut`: no id, no login."""

    name: str
    staff_number: str = Field(..., description="工号")
    department: str
    badge_number: str = Field("", description="The hall-issued badge number (工作牌); empty: none")


class DisclosurePostOut(Schema):
    name: str
    a: DisclosureNameplateOut | None = Field(None, description="A post (主岗)")
    b: DisclosureNameplateOut | None = Field(None, description="B post (备岗), covers A's absence")


class DisclosureWindowOut(Schema):
    number: int
    name: str
    location: str
    is_agency: bool = Field(False, description="代办窗口: agents apply here on applicants' behalf")
    head: DisclosureNameplateOut | None = Field(None, description="Window head (首席代表)")
    posts: list[DisclosurePostOut]


class DisclosureMonthOut(Schema):
    finished: int = Field(..., description="Cases completed in the month")
    on_time: int = Field(..., description="Of these, completed on or before the promised day")
    rate: float | None = Field(..., description="Percent, one decimal; null: none completed")


class DisclosureDepartmentRatesOut(Schema):
    name: str
    this_month: DisclosureMonthOut
    last_month: DisclosureMonthOut


class DisclosureOnTimeOut(Schema):
    center: str
    this_month: datetime.date = Field(..., description="First day of this month")
    last_month: datetime.date = Field(..., description="First day of last month")
    departments: list[DisclosureDepartmentRatesOut]


class DisclosureRankOut(Schema):
    rank: int
    name: str = Field(..., description="Window number and name, or a staff member's public name")
    number: str = Field(..., description="The window's number or the staff number (工号)")
    count: int = Field(..., description="Counting ratings")
    good: int = Field(..., description="Ratings at 基本满意 or better")
    bad: int = Field(..., description="差评: the bottom two levels")
    rate: float | None = Field(..., description="Satisfaction rate, percent")


class DisclosureRankingsOut(Schema):
    center: str
    month: str = Field(..., description="YYYY-MM")
    windows: list[DisclosureRankOut]
    staff: list[DisclosureRankOut]


def _center_out(center: Center) -> dict[str, Any]:
    return {
        "code": center.code,
        "name": center.name,
        "level": center.level,
        "address": center.address,
        "phone": center.phone,
        "complaint_phone": center.complaint_phone,
        "supervision_phone": center.supervision_phone,
    }


def _public(response: HttpResponse, seconds: int) -> None:
    response["Cache-Control"] = f"public, max-age={seconds}"


def _center_or_404(code: str) -> Center | Status[dict[str, Any]]:
    center = public_center(code)
    if center is None:
        return Status(404, error_body(_("Not found.")))
    return center


def _person(person: PublicPerson | None) -> dict[str, str] | None:
    if person is None:
        return None
    return {
        "name": person.name,
        "staff_number": person.staff_number,
        "department": person.department,
        "badge_number": person.badge_number,
    }


def _month(month: Any) -> dict[str, Any]:
    rate = month.rate
    return {
        "finished": month.finished,
        "on_time": month.on_time,
        "rate": None if rate is None else float(rate),
    }


def _rank(row: dict[str, Any]) -> dict[str, Any]:
    # The rankings' rows also carry internal ids: never sent.
    return {
        "rank": row["rank"],
        "name": row["name"],
        "number": str(row.get("number") or ""),
        "count": row["count"],
        "good": row["good"],
        "bad": row["bad"],
        "rate": row["rate"],
    }


@router.get(
    "/centers",
    response={200: list[DisclosureCenterOut], 429: ErrorOut},
    summary="Every center with its complaint and supervision phones",
)
def centers(request: HttpRequest, response: HttpResponse):
    limited = public_read_limited(request)
    if limited is not None:
        return rate_limited(response, limited)
    _public(response, 300)
    return [_center_out(center) for center in public_center_list()]


@router.get(
    "/centers/{code}",
    response={200: DisclosureCenterOut, **LIMITED},
    summary="One center with its complaint and supervision phones",
)
def center(request: HttpRequest, response: HttpResponse, code: Code):
    limited = public_read_limited(request)
    if limited is not None:
        return rate_limited(response, limited)
    found = _center_or_404(code)
    if isinstance(found, Status):
        return found
    _public(response, 300)
    return _center_out(found)


@router.get(
    "/centers/{code}/cases",
    response={200: DisclosureCasePageOut, **LIMITED, 422: ErrorOut},
    summary="办件公示: the center's recent accepted cases, applicants masked",
    description=(
        "The accepted cases received in the last GOVHALL_PUBLIC_CASES_DAYS days, newest first "
        "(voided ones never); `number` finds one case number exactly. `limit` (default "
        "GOVHALL_PUBLIC_CASES_PAGE, cut to GOVHALL_API_MAX_PAGE_SIZE) and `offset`. Limited "
        "with the portal page to GOVHALL_PUBLIC_CASES_PER_MINUTE pages a minute per address."
    ),
)
def cases(
    request: HttpRequest,
    response: HttpResponse,
    code: Code,
    number: str = Query("", max_length=NUMBER_SEARCH_MAX, description="One case number"),
    limit: int | None = Query(None, ge=1, le=MAX_OFFSET, description="Items per page"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Items to skip"),
):
    limited = refused(public_cases_hit(client_address(request)))
    if limited is not None:
        return rate_limited(response, limited)
    found = _center_or_404(code)
    if isinstance(found, Status):
        return found
    size = min(limit or settings.GOVHALL_PUBLIC_CASES_PAGE, settings.GOVHALL_API_MAX_PAGE_SIZE)
    listed = public_cases(found, number=number)
    response["Cache-Control"] = "private, no-store"
    return {
        "items": [asdict(as_public(case)) for case in listed[offset : offset + size]],
        "count": listed.count(),
    }


@router.get(
    "/centers/{code}/posts",
    response={200: list[DisclosureWindowOut], **LIMITED},
    summary="挂牌上岗 / AB岗 公开: each window's head and posts with their A and B staff",
    description="Names, staff numbers and departments only (no phone, no account).",
)
def posts(request: HttpRequest, response: HttpResponse, code: Code):
    limited = public_read_limited(request)
    if limited is not None:
        return rate_limited(response, limited)
    found = _center_or_404(code)
    if isinstance(found, Status):
        return found
    _public(response, 300)
    return [
        {
            "number": window.number,
            "name": window.name,
            "location": window.location,
            "is_agency": window.is_agency,
            "head": _person(window.head),
            "posts": [
                {"name": post.name, "a": _person(post.a), "b": _person(post.b)}
                for post in window.posts
            ],
        }
        for window in public_windows(found)
    ]


@router.get(
    "/centers/{code}/on-time",
    response={200: DisclosureOnTimeOut, **LIMITED},
    summary="This and last month's on-time rates by department",
    description=(
        "Completed: decided and neither voided nor withdrawn, on the local day of the "
        "decision; on time: on or before the promised day (the due day included; no promised "
        "day is on time) — the on-time rule of the statistics. Figures only, no names."
    ),
)
def on_time(request: HttpRequest, response: HttpResponse, code: Code):
    limited = public_read_limited(request)
    if limited is not None:
        return rate_limited(response, limited)
    found = _center_or_404(code)
    if isinstance(found, Status):
        return found
    today = timezone.localdate()
    this_first = month_start(today)
    _public(response, 300)
    return {
        "center": found.code,
        "this_month": this_first,
        "last_month": previous_month(this_first),
        "departments": [
            {
                "name": row.name,
                "this_month": _month(row.this_month),
                "last_month": _month(row.last_month),
            }
            for row in on_time_rates(found, today)
        ],
    }


@router.get(
    "/centers/{code}/rankings",
    response={200: DisclosureRankingsOut, **LIMITED, 422: ErrorOut},
    summary="A month's satisfaction rankings of the center's windows and staff",
    description=(
        "Best first: the highest satisfaction rate (share of ratings at 基本满意 or better), "
        "then more ratings, then fewer 差评. Ratings excluded on appeal or replaced by a "
        "re-rating do not count. `month` YYYY-MM, this month by default; a later month: 422."
    ),
)
def rankings(
    request: HttpRequest,
    response: HttpResponse,
    code: Code,
    month: str = Query("", max_length=7, description="YYYY-MM; this month by default"),
):
    limited = public_read_limited(request)
    if limited is not None:
        return rate_limited(response, limited)
    found = _center_or_404(code)
    if isinstance(found, Status):
        return found
    today = timezone.localdate()
    chosen = today.replace(day=1)
    if month:
        try:
            chosen = datetime.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            return field_refusal("month", _("Enter a month as YYYY-MM."))
        if chosen > today:
            return field_refusal("month", _("Choose this month or an earlier one."))
    figures = monthly_rankings(found, chosen.year, chosen.month)
    _public(response, 300)
    return {
        "center": found.code,
        "month": f"{chosen:%Y-%m}",
        "windows": [_rank(row) for row in figures["windows"]],
        "staff": [_rank(row) for row in figures["staff"]],
    }
