"""Public summary of on-time rates by department (按时办结率公开, issue 14 item 5). No login.

Figures only (`stats.queries.ontime`, THE on-time rule of `govhall.stats.figures`, from the
daily rollups like the case figures and the period reports): per department of a center, the
cases completed this month and last month, how many on time, and the rate — no names, numbers
or people. One center's figures are cached for GOVHALL_PUBLIC_ONTIME_CACHE_SECONDS, so the page
costs a cache read; the center is chosen by its public code (?center=…), like the service guides.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from govhall.catalog.queries.guides import public_centers
from govhall.stats.queries.ontime import (
    DepartmentRates,
    month_start,
    on_time_rates,
    previous_month,
)

CACHE_PREFIX = "portal.ontime"


def _rates(center_id: int, center: object, today: object) -> list[DepartmentRates]:
    key = f"{CACHE_PREFIX}:{center_id}:{today}"
    rows: list[DepartmentRates] | None = cache.get(key)
    if rows is None:
        rows = on_time_rates(center, today)  # type: ignore[arg-type]
        seconds = settings.GOVHALL_PUBLIC_ONTIME_CACHE_SECONDS
        if seconds:
            cache.set(key, rows, seconds)
    return rows


def on_time(request: HttpRequest) -> HttpResponse:
    centers = list(public_centers().order_by("path"))
    code = (request.GET.get("center") or "").strip()
    if code:
        center = next((c for c in centers if c.code == code), None)
        if center is None:
            raise Http404
    else:
        center = centers[0] if centers else None
    today = timezone.localdate()
    this_first = month_start(today)
    rows = _rates(center.pk, center, today) if center is not None else []
    response = render(
        request,
        "portal/ontime.html",
        {
            "centers": centers,
            "center": center,
            "rows": rows,
            "this_month": this_first,
            "last_month": previous_month(this_first),
        },
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
