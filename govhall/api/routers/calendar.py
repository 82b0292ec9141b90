"""Working-day calendar API (SPEC §4): public facts, the same answers as the CLI and pages;
and, for the managers of a center, its closures and extra working days, optionally applied to
every center below in one step (issue 16 item 9; rules in workdays/services/center_days.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import SERVICE_REFUSALS, Code, FieldRefused, Label, Search, service_refusal
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.models import Center
from govhall.workdays.queries.calendar import calendar_for, holiday_label
from govhall.workdays.queries.work_calendar import (
    END,
    EPOCH,
    MAX_DEADLINE_DAYS,
    CalendarRangeError,
    WorkCalendar,
)
from govhall.workdays.services.center_days import (
    center_day_cascade,
    center_day_remove,
    center_day_set,
)

router = Router()

MAX_COVERAGE_YEARS = 50


class DayOut(Schema):
    date: datetime.date
    is_workday: bool
    kind: str
    note: str
    center: str | None
    covered: bool


class DeadlineOut(Schema):
    start: datetime.date
    days: int
    end: datetime.date
    center: str | None
    uncovered_years: list[int]


class WorkdaysOut(Schema):
    first: datetime.date
    last: datetime.date
    workdays: int
    center: str | None
    uncovered_years: list[int]


class YearCoverageOut(Schema):
    year: int
    covered: bool
    source: str | None


class CoverageOut(Schema):
    years: list[YearCoverageOut]


def _calendar(center: str | None) -> WorkCalendar:
    if not center:
        return calendar_for(None)
    center_id = Center.objects.filter(code=center).values_list("pk", flat=True).first()
    if center_id is None:
        raise FieldRefused("center", _("There is no center with code %(code)s.") % {"code": center})
    return calendar_for(center_id)


def _check_date(day: datetime.date, name: str) -> None:
    if not EPOCH <= day <= END:
        raise FieldRefused(
            name,
            _("%(name)s: the calendar covers %(first)s to %(last)s.")
            % {"name": name, "first": EPOCH.isoformat(), "last": END.isoformat()},
        )


def _uncovered(calendar: WorkCalendar, first: datetime.date, last: datetime.date) -> list[int]:
    return calendar.uncovered_years(range(first.year, last.year + 1))


@router.get("is-workday", response=DayOut, summary="Is a day a working day")
def is_workday(
    request: HttpRequest,
    date: datetime.date,
    center: Code | None = Query(None, description="center code: apply its closures"),
) -> DayOut:
    _check_date(date, "date")
    calendar = _calendar(center)
    fact = calendar.day_fact(date)
    return DayOut(
        date=date,
        is_workday=fact.is_workday,
        kind=fact.kind.value,
        note=holiday_label(fact.note) if fact.note else "",
        center=center or None,
        covered=calendar.coverage(date.year) is not None,
    )


@router.get("deadline", response=DeadlineOut, summary="End date of a working-day limit")
def deadline(
    request: HttpRequest,
    start: datetime.date,
    days: int = Query(..., ge=0, le=MAX_DEADLINE_DAYS, description="working days, 0 or more"),
    center: Code | None = Query(None, description="center code: apply its closures"),
) -> DeadlineOut:
    """The `days`-th working day after `start`; the start day itself is not counted."""
    _check_date(start, "start")
    calendar = _calendar(center)
    try:
        end = calendar.add_workdays(start, days)
    except CalendarRangeError as exc:
        raise FieldRefused("days", str(exc)) from None
    return DeadlineOut(
        start=start,
        days=days,
        end=end,
        center=center or None,
        uncovered_years=_uncovered(calendar, start, end),
    )


@router.get("workdays", response=WorkdaysOut, summary="Working days in a closed range")
def workdays(
    request: HttpRequest,
    first: datetime.date,
    last: datetime.date,
    center: Code | None = Query(None, description="center code: apply its closures"),
) -> WorkdaysOut:
    _check_date(first, "first")
    _check_date(last, "last")
    if last < first:
        raise FieldRefused(
            "last",
            _("The range is reversed: %(last)s is before %(first)s.")
            % {"first": first.isoformat(), "last": last.isoformat()},
        )
    calendar = _calendar(center)
    return WorkdaysOut(
        first=first,
        last=last,
        workdays=calendar.count_workdays(first, last),
        center=center or None,
        uncovered_years=_uncovered(calendar, first, last),
    )


@router.get("coverage", response=CoverageOut, summary="Which years have a national schedule")
def coverage(
    request: HttpRequest,
    years: Search = Query("", description="comma-separated years; default this year and next"),
) -> CoverageOut:
    if years.strip():
        try:
            wanted = sorted({int(part) for part in years.split(",") if part.strip()})
        except ValueError:
            raise FieldRefused(
                "years", _("years: give years separated by commas, e.g. 2026,2027.")
            ) from None
    else:
        today = datetime.date.today()
        wanted = [today.year, today.year + 1]
    if not wanted or len(wanted) > MAX_COVERAGE_YEARS:
        raise FieldRefused(
            "years", _("years: give 1 to %(max)s years.") % {"max": MAX_COVERAGE_YEARS}
        )
    if wanted[0] < EPOCH.year or wanted[-1] > END.year:
        raise FieldRefused(
            "years",
            _("years: the calendar covers %(first)s to %(last)s.")
            % {"first": EPOCH.year, "last": END.year},
        )
    calendar = calendar_for(None)
    return CoverageOut(
        years=[
            YearCoverageOut(
                year=year,
                covered=calendar.coverage(year) is not None,
                source=calendar.coverage(year),
            )
            for year in wanted
        ]
    )


# --- a center's closures and extra working days (managers of the center) ---------------------


class CenterDayIn(Schema):
    date: datetime.date
    kind: Code = Field(..., description="closed (on a working day) or extra_workday (a day off)")
    reason: Label
    include_below: bool = Field(
        False,
        description="also for every active center below (town and village rooms) in one step; "
        "a center below with its own entry for that day keeps it",
    )


class CenterDayOut(Schema):
    center_id: int
    date: datetime.date
    kind: str
    reason: str
    cascaded_from: int | None = Field(None, description="set by this center above, or own")
    applied_below: list[int] = Field(..., description="centers below that received the day")
    kept_below: list[int] = Field(..., description="centers below that kept their own entry")


class CenterDayRemoveIn(Schema):
    include_below: bool = Field(False, description="also remove the copies it set below")


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.post(
    "centers/{center_id}/days",
    auth=SESSION_OR_TOKEN,
    response={201: CenterDayOut, **SERVICE_REFUSALS},
    summary="Close a center on a working day or open it on a day off (optionally below too)",
)
def set_center_day(request: HttpRequest, center_id: int, payload: CenterDayIn) -> Any:
    center = access_center(request.user, center_id, for_write=True)
    date, kind, reason = payload.date, payload.kind, payload.reason
    applied: list[int] = []
    kept: list[int] = []
    try:
        if payload.include_below:
            result = center_day_cascade(
                actor=_actor(request), center_id=center.pk, date=date, kind=kind, reason=reason
            )
            saved, applied, kept = result.day, result.applied, result.kept
        else:
            saved = center_day_set(
                actor=_actor(request), center_id=center.pk, date=date, kind=kind, reason=reason
            )
    except ValidationError as error:
        return service_refusal(error)
    return Status(
        201,
        CenterDayOut(
            center_id=saved.center_id,
            date=saved.date,
            kind=saved.kind,
            reason=saved.reason,
            cascaded_from=saved.cascaded_from,
            applied_below=applied,
            kept_below=kept,
        ),
    )


@router.post(
    "centers/{center_id}/days/{date}/remove",
    auth=SESSION_OR_TOKEN,
    response={204: None, **SERVICE_REFUSALS},
    summary="Remove a center's closure or extra working day (optionally its copies below)",
)
def remove_center_day(
    request: HttpRequest, center_id: int, date: datetime.date, payload: CenterDayRemoveIn
) -> Any:
    center = access_center(request.user, center_id, for_write=True)
    try:
        center_day_remove(
            actor=_actor(request),
            center_id=center.pk,
            date=date,
            include_below=payload.include_below,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(204, None)
