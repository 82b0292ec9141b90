"""The big screen (大屏, issue 18 item 3) for the hall's wall, 1920×1080, public like the display
board: `/screen/<center code>/` draws the state (`govhall.stats.queries.screen.screen_state`)
with ECharts and keeps it live through a server-sent event stream (the whole state on connect,
then again whenever it changes; the stream ends after GOVHALL_SCREEN_STREAM_SECONDS and the
browser reconnects), falling back to polling `state.json`.

The state is computed at most once per GOVHALL_SCREEN_REFRESH_SECONDS per center and shared by
every screen, stream and poll (the cache), so a wall of screens costs one set of queries per
interval. Stream connections and polls are limited per client address
(GOVHALL_RATE_SCREEN_STATE_PER_ADDRESS_MINUTE, 429 with Retry-After beyond).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from govhall.core.ratelimit import RateLimited, RateRule, rate_key, rate_limit
from govhall.frontdesk.queries.board import active_center
from govhall.org.models import Center
from govhall.portal.streams import (
    db_moment,
    event_stream_response,
    fingerprint_events,
    is_async_server,
    pushed_events,
)
from govhall.stats.queries.screen import screen_state

# How often a stream looks for a new state in the cache (seconds), and the silence before a
# keep-alive comment line.
SCREEN_POLL_SECONDS = 0.5
SCREEN_HEARTBEAT_SECONDS = 10.0


def cached_screen_state(center: Center) -> dict[str, Any]:
    """The center's screen state, computed at most once per GOVHALL_SCREEN_REFRESH_SECONDS (the
    interval is a bucket of the clock, so every stream sees a new state at the same moment)."""
    refresh = max(0.1, float(settings.GOVHALL_SCREEN_REFRESH_SECONDS))
    bucket = int(time.time() // refresh)
    key = f"govhall:screen:{center.pk}:{center.code}:{bucket}"
    state: dict[str, Any] | None = cache.get(key)
    if state is None:
        state = screen_state(center, timezone.now())
        cache.set(key, state, max(1, int(refresh * 2)))
    return state


def _screen_labels() -> dict[str, str]:
    """The words the screen's script writes (it draws the state itself)."""
    return {
        "tickets": _("Tickets"),
        "cases": _("Received"),
        "onTime": _("On-time rate"),
        "satisfaction": _("Satisfaction"),
        "waiting": _("Waiting"),
        "casesToday": _("Cases today"),
        "window": _("Window %(number)s"),
        "anonymous": _("Anonymous"),
        "noRatings": _("No ratings in the last few days."),
        "noData": _("No figures yet."),
        "rooms": _("%(count)s rooms, %(busy)s busy today"),
        "updated": _("Updated %(time)s"),
        "offline": _("Reconnecting…"),
    }


def _limited(request: HttpRequest, scope: str) -> RateLimited | None:
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    try:
        rate_limit(
            [
                RateRule(
                    key=rate_key(f"screen.{scope}", address),
                    limit=settings.GOVHALL_RATE_SCREEN_STATE_PER_ADDRESS_MINUTE,
                    window_seconds=60,
                    message=_("Too many requests from this address. Please wait a minute."),
                )
            ]
        )
    except RateLimited as limited:
        return limited
    return None


def _too_many(limited: RateLimited) -> JsonResponse:
    response = JsonResponse({"detail": limited.message}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


@never_cache
@require_GET
def screen(request: HttpRequest, code: str) -> HttpResponse:
    """The big screen, full screen at 1920×1080; live through `screen_stream`."""
    center = active_center(code)
    return render(
        request,
        "portal/screen/screen.html",
        {
            "center": center,
            "state": cached_screen_state(center),
            "stream_url": reverse("portal:screen_stream", args=[center.code]),
            "state_url": reverse("portal:screen_state", args=[center.code]),
            "poll_seconds": max(5, int(settings.GOVHALL_SCREEN_REFRESH_SECONDS)),
            "labels": _screen_labels(),
        },
    )


@never_cache
@require_GET
def screen_state_json(request: HttpRequest, code: str) -> JsonResponse:
    """The screen's state as JSON, for a plain poll where server-sent events are unavailable."""
    center = active_center(code)
    if limited := _limited(request, "state"):
        return _too_many(limited)
    return JsonResponse(cached_screen_state(center), json_dumps_params={"ensure_ascii": False})


def _screen_events(center: Center, seconds: float) -> Iterator[str]:
    return fingerprint_events(
        event="screen",
        fingerprint=lambda now: cached_screen_state(center),
        state=lambda now: cached_screen_state(center),
        seconds=seconds,
        poll_seconds=min(SCREEN_POLL_SECONDS, float(settings.GOVHALL_SCREEN_REFRESH_SECONDS)),
        heartbeat_seconds=SCREEN_HEARTBEAT_SECONDS,
    )


def _center_unless_limited(request: HttpRequest, code: str) -> tuple[Center, RateLimited | None]:
    return active_center(code), _limited(request, "stream")


@never_cache
@require_GET
async def screen_stream(request: HttpRequest, code: str) -> StreamingHttpResponse | JsonResponse:
    """The screen's live stream: async under an ASGI server (production; no thread held while
    it waits), polled under WSGI (the dev server); the same events either way."""
    seconds = float(settings.GOVHALL_SCREEN_STREAM_SECONDS)
    if not is_async_server(request):
        center, limited = await sync_to_async(_center_unless_limited)(request, code)
        if limited:
            return _too_many(limited)
        return event_stream_response(_screen_events(center, seconds))
    center, limited = await db_moment(_center_unless_limited)(request, code)
    if limited:
        return _too_many(limited)
    return event_stream_response(
        pushed_events(
            event="screen",
            key=("big-screen", center.pk),
            # The figures are computed at most once per GOVHALL_SCREEN_REFRESH_SECONDS (shared by
            # every screen): the stream looks for a new set by the clock, not per notification.
            channels=[],
            state=lambda now: cached_screen_state(center),
            seconds=seconds,
            refresh_seconds=min(
                SCREEN_POLL_SECONDS, float(settings.GOVHALL_SCREEN_REFRESH_SECONDS)
            ),
            heartbeat_seconds=SCREEN_HEARTBEAT_SECONDS,
        )
    )
