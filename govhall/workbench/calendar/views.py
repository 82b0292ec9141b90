"""Workbench pages of the working-day calendar (SPEC §4): a year view per center, a deadline
calculator, and for hall managers the center overrides and imported national schedules."""

from __future__ import annotations

import calendar as month_layout
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center
from govhall.workbench.calendar.forms import (
    CenterDayForm,
    DeadlineForm,
    RangeForm,
    ScheduleFileForm,
    ScheduleTextForm,
)
from govhall.workdays.access.calendar import centers_below, may_manage_national_schedule
from govhall.workdays.queries.calendar import calendar_for, deadline_at, holiday_label
from govhall.workdays.queries.days import center_days, imported_schedules
from govhall.workdays.queries.work_calendar import END, EPOCH, DayKind, WorkCalendar
from govhall.workdays.services.center_days import (
    center_day_cascade,
    center_day_remove,
    center_day_set,
)
from govhall.workdays.services.schedules import schedule_import, schedule_remove

# Centers offered in the picker; a province-wide superuser types ?center= beyond that.
PICKER_LIMIT = 300


# One or two letters so seven columns fit a month card on a phone (Chinese: 一 二 三 …).
WEEKDAY_HEADINGS = (
    pgettext_lazy("weekday heading", "Mo"),
    pgettext_lazy("weekday heading", "Tu"),
    pgettext_lazy("weekday heading", "We"),
    pgettext_lazy("weekday heading", "Th"),
    pgettext_lazy("weekday heading", "Fr"),
    pgettext_lazy("weekday heading", "Sa"),
    pgettext_lazy("weekday heading", "Su"),
)


def _legend() -> list[tuple[str, str]]:
    return [
        (DayKind.WORKDAY.value, _("Working day")),
        (DayKind.WEEKEND.value, _("Weekend")),
        (DayKind.HOLIDAY.value, _("National holiday")),
        (DayKind.MAKEUP.value, _("Make-up working day (调休)")),
        (DayKind.CLOSED.value, _("Center closed")),
        (DayKind.EXTRA.value, _("Extra working day")),
    ]


def _viewed_center(request: HttpRequest, raw_center: object | None) -> Center | None:
    """The center whose calendar is shown: ?center=<id> within scope, else the user's own.

    A superuser without a center of their own sees the national calendar (None).
    """
    scope = scope_of(request.user)
    if scope.nothing:
        raise Http404
    if raw_center not in (None, ""):
        return access_center(request.user, raw_center)
    return scope.root


def _year_from(raw: str | None) -> int:
    if not raw:
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        raise Http404 from None
    if not EPOCH.year <= year <= END.year:
        raise Http404
    return year


def _month_grids(calendar: WorkCalendar, year: int) -> list[dict[str, Any]]:
    grids = []
    layout = month_layout.Calendar(firstweekday=0)  # Monday first
    for month in range(1, 13):
        weeks = []
        for week in layout.monthdatescalendar(year, month):
            cells: list[dict[str, Any] | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                fact = calendar.day_fact(day)
                note = holiday_label(fact.note) if fact.note else ""
                if fact.kind == DayKind.MAKEUP:
                    note = (
                        _("Make-up working day (%(holiday)s)") % {"holiday": note}
                        if note
                        else _("Make-up working day")
                    )
                cells.append(
                    {"day": day.day, "iso": day.isoformat(), "kind": fact.kind.value, "note": note}
                )
            weeks.append(cells)
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, month_layout.monthrange(year, month)[1])
        grids.append(
            {
                "name": MONTHS[month],
                "weeks": weeks,
                "workdays": calendar.count_workdays(first, last),
            }
        )
    return grids


def _compute(request: HttpRequest, center: Center | None, calendar: WorkCalendar) -> dict[str, Any]:
    """Calculator results for whichever of the two calculator forms was submitted."""
    context: dict[str, Any] = {}
    if "start" in request.GET or "days" in request.GET:
        form: Form = DeadlineForm(request.GET)
        context["deadline_form"] = form
        if form.is_valid():
            start, days = form.cleaned_data["start"], form.cleaned_data["days"]
            try:
                closing = center.closing_time if center else datetime.time(17, 30)
                ends_at = deadline_at(center.pk if center else None, start, days, closing)
            except ValueError as exc:  # CalendarRangeError: past the end of the calendar
                form.add_error("days", str(exc))
            else:
                end = timezone.localtime(ends_at).date()
                context["deadline"] = {
                    "start": start,
                    "days": days,
                    "end": end,
                    "weekday": WEEKDAYS[end.weekday()],
                    "ends_at": timezone.localtime(ends_at),
                    "uncovered": calendar.uncovered_years(range(start.year, end.year + 1)),
                }
    if "first" in request.GET or "last" in request.GET:
        form = RangeForm(request.GET)
        context["range_form"] = form
        if form.is_valid():
            first, last = form.cleaned_data["first"], form.cleaned_data["last"]
            context["range"] = {
                "first": first,
                "last": last,
                "workdays": calendar.count_workdays(first, last),
                "days": (last - first).days + 1,
                "uncovered": calendar.uncovered_years(range(first.year, last.year + 1)),
            }
    return context


def _calendar_url(center: Center | None, year: int) -> str:
    query: dict[str, int] = {"year": year}
    if center is not None:
        query["center"] = center.pk
    return f"{reverse('workbench:calendar')}?{urlencode(query)}"


def _render_calendar(
    request: HttpRequest,
    center: Center | None,
    year: int,
    *,
    day_form: CenterDayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_of(request.user)
    calendar = calendar_for(center.pk if center else None)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    context: dict[str, Any] = {
        "center": center,
        "year": year,
        "previous_year": year - 1 if year > EPOCH.year else None,
        "next_year": year + 1 if year < END.year else None,
        "coverage": calendar.coverage(year),
        "months": _month_grids(calendar, year),
        "weekday_names": WEEKDAY_HEADINGS,
        "year_workdays": calendar.count_workdays(first, last),
        "legend": _legend(),
        "can_manage": scope.can_manage,
        # The national schedule belongs to the system: its controls for system administrators.
        "can_manage_schedule": may_manage_national_schedule(request.user),
        "deadline_form": DeadlineForm(initial={"start": timezone.localdate().isoformat()}),
        "range_form": RangeForm(initial={"first": first.isoformat(), "last": last.isoformat()}),
    }
    centers = list(centers_in_scope(request.user).order_by("path")[:PICKER_LIMIT])
    context["picker_centers"] = centers if len(centers) > 1 or center is None else []
    context.update(_compute(request, center, calendar))
    if scope.can_manage:
        context["schedules"] = imported_schedules()
        if center is not None:
            overrides = list(center_days(center.pk, year))
            # Issue 16 item 9: a copy set from a center above shows where it came from.
            origins = dict(
                Center.objects.filter(
                    pk__in={day.cascaded_from for day in overrides if day.cascaded_from}
                ).values_list("pk", "name")
            )
            for override in overrides:
                origin = origins.get(override.cascaded_from or 0, "")
                override.origin_name = origin  # type: ignore[attr-defined]
            context["overrides"] = overrides
            context["has_below"] = bool(centers_below(center.pk))
            form = day_form or CenterDayForm()
            if not context["has_below"]:
                form.fields.pop("include_below", None)
            context["day_form"] = form
    return render(request, "workbench/calendar/year.html", context, status=status)


@login_required
def calendar_year(request: HttpRequest) -> HttpResponse:
    center = _viewed_center(request, request.GET.get("center"))
    return _render_calendar(request, center, _year_from(request.GET.get("year")))


@login_required
def calendar_compute(request: HttpRequest) -> HttpResponse:
    """The calculator's result alone, swapped into the page by htmx."""
    center = _viewed_center(request, request.GET.get("center"))
    calendar = calendar_for(center.pk if center else None)
    context = _compute(request, center, calendar)
    return render(request, "workbench/calendar/_result.html", context)


@login_required
def center_day_add(request: HttpRequest, center_id: int) -> HttpResponse:
    center = access_center(request.user, center_id, for_write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CenterDayForm(request.POST)
    year = _year_from(request.POST.get("year"))
    if form.is_valid():
        data = form.cleaned_data
        day = {"date": data["date"], "kind": data["kind"], "reason": data["reason"]}
        try:
            actor = request.user
            assert isinstance(actor, User)
            if data.get("include_below"):
                result = center_day_cascade(actor=actor, center_id=center.pk, **day)
            else:
                center_day_set(actor=actor, center_id=center.pk, **day)
                result = None
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                form.add_error(None, error.messages)
            else:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
        else:
            saved = _("Saved: %(date)s.") % {"date": data["date"].isoformat()}
            if result is not None:
                saved += " " + _("Also applied to the centers below: %(count)s.") % {
                    "count": len(result.applied)
                }
            messages.success(request, saved)
            if result is not None and result.kept:
                kept = Center.objects.filter(pk__in=result.kept).order_by("path")
                messages.info(
                    request,
                    _("Kept their own entry for that day: %(centers)s.")
                    % {"centers": "、".join(kept.values_list("name", flat=True))},
                )
            return HttpResponseRedirect(_calendar_url(center, data["date"].year))
    return _render_calendar(request, center, year, day_form=form, status=400)


@login_required
def center_day_delete(request: HttpRequest, center_id: int, day: str) -> HttpResponse:
    center = access_center(request.user, center_id, for_write=True)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        center_day_remove(
            actor=request.user,  # type: ignore[arg-type]
            center_id=center.pk,
            date=date,
            include_below=bool(request.POST.get("include_below")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed the override of %(date)s.") % {"date": day})
    return HttpResponseRedirect(_calendar_url(center, date.year))


def _require_schedule_manager(request: HttpRequest) -> None:
    """The national schedule's pages are a system administrator's (404 for anyone else)."""
    if not may_manage_national_schedule(request.user):
        raise Http404


@login_required
def schedule_import_page(request: HttpRequest) -> HttpResponse:
    _require_schedule_manager(request)
    next_year = timezone.localdate().year + 1
    initial = {"year": request.GET.get("year") or next_year}
    text_form = ScheduleTextForm(initial=initial, prefix="text")
    file_form = ScheduleFileForm(initial=initial, prefix="file")
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        bound: ScheduleTextForm | ScheduleFileForm
        if request.POST.get("mode") == "file":
            bound = file_form = ScheduleFileForm(request.POST, request.FILES, prefix="file")
        else:
            bound = text_form = ScheduleTextForm(request.POST, prefix="text")
        if bound.is_valid() and bound.parsed is not None:
            if bound.parsed.ok:
                year = bound.cleaned_data["year"]
                try:
                    schedule_import(
                        actor=request.user,  # type: ignore[arg-type]
                        year=year,
                        days=bound.parsed.entries,
                        source=bound.cleaned_data["source"],
                    )
                except ValidationError as error:
                    problems = error.messages
                else:
                    messages.success(
                        request,
                        _("Imported the national schedule of %(year)s: %(count)s days.")
                        % {"year": year, "count": len(bound.parsed.entries)},
                    )
                    center = scope_of(request.user).root
                    return HttpResponseRedirect(_calendar_url(center, year))
            else:
                problems = [str(problem) for problem in bound.parsed.problems]
        status = 400
    return render(
        request,
        "workbench/calendar/import.html",
        {"text_form": text_form, "file_form": file_form, "problems": problems},
        status=status,
    )


@login_required
def schedule_delete(request: HttpRequest, year: int) -> HttpResponse:
    _require_schedule_manager(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        schedule_remove(actor=request.user, year=year)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed the imported schedule of %(year)s.") % {"year": year})
    center = scope_of(request.user).root
    return HttpResponseRedirect(_calendar_url(center, year))
