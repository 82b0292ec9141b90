"""The window's rating screen (评价器, issue 15 item 1): a tablet facing the citizen, paired to
one window, full screen in landscape.

The tablet holds a long-lived signed cookie (`SCREEN_COOKIE`: "<screen id>:<secret>", the row
keeps only the secret's hash). Without a valid one — never paired, revoked, or replaced by a
tablet paired later — every page sends it to the pairing page. The screen is idle until the
clerk at its window finishes a ticket or delivers a case; the live stream (server-sent events,
the display board's loop in `govhall.portal.streams`) then lights it up with the five levels,
the clerk's name, a photo placeholder and the staff number. The occasion rated is decided by
the server from the screen's window (`feedback.queries.rating_screens`); the page only sends
the level (and a reason for a bad one) with the occasion key it showed, so a late tap never
rates the next citizen's service. Rules and rate limits live in
`govhall.feedback.services.rating_screens`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govhall.core.push import center_channel
from govhall.core.ratelimit import RateLimited
from govhall.core.validation import Conflict
from govhall.feedback.models import BadRatingReason, RatingLevel, RatingScreen
from govhall.feedback.queries.rating_screens import (
    UNPAIRED,
    screen_fingerprint,
    screen_of_device,
    screen_state,
)
from govhall.feedback.services.rating_screens import (
    PAIRING_CODE_LENGTH,
    rating_screen_pair,
    rating_screen_rate,
    rating_screen_seen,
)
from govhall.portal.streams import (
    db_moment,
    event_stream_response,
    fingerprint_events,
    is_async_server,
    json_data,
    pushed_events,
)

SCREEN_COOKIE = "govhall_rating_screen"
SCREEN_COOKIE_SALT = "govhall.portal.rating_screen"
SCREEN_COOKIE_SECONDS = 10 * 365 * 24 * 3600
# The screen's stream looks for a change twice a second (a tablet per window: cheaper than the
# board's 0.3 s, still at once for a citizen turning to the screen).
SCREEN_POLL_SECONDS = 0.5
# Pushed (ASGI): how often a screen's state is rebuilt by the clock without a notification.
SCREEN_REFRESH_SECONDS = 5.0
# How long the thank-you shows before the screen goes back to what the stream says.
THANKS_SECONDS = 5


class PairForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Pairing code"),
        max_length=PAIRING_CODE_LENGTH + 4,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def device_screen(request: HttpRequest) -> RatingScreen | None:
    """The screen this tablet is paired as, or None."""
    value = request.get_signed_cookie(
        SCREEN_COOKIE, default="", salt=SCREEN_COOKIE_SALT, max_age=SCREEN_COOKIE_SECONDS
    )
    return screen_of_device(value) if value else None


def _to_pairing() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("portal:rating_screen_pair"))


@never_cache
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest) -> HttpResponse:
    """The pairing page: the code shown in the workbench (typed, or in the QR code's link)."""
    form = PairForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" and request.GET.get("code"):
        form = PairForm(initial={"code": request.GET["code"][: PAIRING_CODE_LENGTH + 4]})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                pairing = rating_screen_pair(
                    code=form.cleaned_data["code"], client=_client(request)
                )
            except RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error("code", message)
            else:
                response = HttpResponseRedirect(reverse("portal:rating_screen"))
                response.set_signed_cookie(
                    SCREEN_COOKIE,
                    pairing.token,
                    salt=SCREEN_COOKIE_SALT,
                    max_age=SCREEN_COOKIE_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
                return response
    return render(
        request,
        "portal/rating_screen/pair.html",
        {"form": form, "screen": device_screen(request)},
        status=status,
    )


def _labels() -> dict[str, str]:
    """The words the screen's script writes."""
    return {
        "welcome": _("Welcome. Please rate our service"),
        "rateNow": _("Please rate my service"),
        "staffNumber": _("Staff no. %(number)s"),
        "why": _("What was not satisfactory?"),
        "otherPlaceholder": _("Please tell us in a few words"),
        "send": _("Send"),
        "back": _("Back"),
        "thanks": _("Thank you for your rating!"),
        "thanksBad": _("Thank you. We will look into it and improve."),
        "failed": _("Sorry, the rating could not be sent. Please ask the staff."),
        "offline": _("Reconnecting…"),
    }


@never_cache
@require_GET
def screen(request: HttpRequest) -> HttpResponse:
    """The rating screen itself, live through `screen_stream`."""
    found = device_screen(request)
    if found is None:
        return _to_pairing()
    rating_screen_seen(screen=found)
    return render(
        request,
        "portal/rating_screen/screen.html",
        {
            "screen": found,
            "state": screen_state(found, timezone.now()),
            "stream_url": reverse("portal:rating_screen_stream"),
            "state_url": reverse("portal:rating_screen_state"),
            "rate_url": reverse("portal:rating_screen_rate"),
            "pair_url": reverse("portal:rating_screen_pair"),
            "levels": [
                {"value": value, "label": str(label)} for value, label in RatingLevel.choices
            ],
            "bad_levels": [
                int(level) for level in (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)
            ],
            "reasons": [
                {"value": value, "label": str(label)} for value, label in BadRatingReason.choices
            ],
            "labels": _labels(),
            "thanks_seconds": THANKS_SECONDS,
        },
    )


def _unpaired_state() -> dict[str, Any]:
    return {"mode": UNPAIRED}


@never_cache
@require_GET
def screen_state_json(request: HttpRequest) -> JsonResponse:
    """The screen's state as JSON, for a plain poll where server-sent events are unavailable."""
    found = device_screen(request)
    if found is None:
        return JsonResponse(_unpaired_state())
    rating_screen_seen(screen=found)
    return JsonResponse(
        screen_state(found, timezone.now()), json_dumps_params={"ensure_ascii": False}
    )


def _unpaired_events() -> Iterator[str]:
    yield "retry: 5000\n\n"
    yield f"event: screen\ndata: {json_data(_unpaired_state())}\n\n"


def screen_events(found: RatingScreen, seconds: float) -> Iterator[str]:
    """Server-sent events: the screen's state on connect, then whenever it changes."""

    def fingerprint(now: Any) -> Any:
        rating_screen_seen(screen=found, now=now)
        return screen_fingerprint(found, now)

    return fingerprint_events(
        event="screen",
        fingerprint=fingerprint,
        state=lambda now: screen_state(found, now),
        seconds=seconds,
        poll_seconds=SCREEN_POLL_SECONDS,
    )


def _screen_and_center(request: HttpRequest) -> tuple[RatingScreen | None, int]:
    found = device_screen(request)
    if found is None:
        return None, 0
    rating_screen_seen(screen=found)
    return found, found.window.center_id


@never_cache
@require_GET
async def screen_stream(request: HttpRequest) -> StreamingHttpResponse:
    """The tablet's live stream: pushed under an ASGI server (production), polled under WSGI
    (the dev server); the same events either way (`govhall.portal.streams`)."""
    seconds = float(settings.GOVHALL_BOARD_STREAM_SECONDS)
    if not is_async_server(request):
        found = await sync_to_async(device_screen)(request)
        if found is None:
            return event_stream_response(_unpaired_events())
        return event_stream_response(screen_events(found, seconds))
    found, center_id = await db_moment(_screen_and_center)(request)
    if found is None:
        return event_stream_response(_unpaired_events())
    screen = found

    async def seen() -> None:
        await db_moment(rating_screen_seen)(screen=screen)

    return event_stream_response(
        pushed_events(
            event="screen",
            # The tablet's secret is part of the state (a replaced tablet shows unpaired).
            key=("rating-screen", screen.pk, screen.secret_hash),
            channels=[center_channel(center_id)],
            state=lambda now: screen_state(screen, now),
            seconds=seconds,
            # An occasion leaves the screen after GOVHALL_RATING_SCREEN_SECONDS by the clock.
            refresh_seconds=SCREEN_REFRESH_SECONDS,
            on_build=seen,
        )
    )


def _level(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


@never_cache
@require_POST
def rate(request: HttpRequest) -> JsonResponse:
    """The citizen's tap: 200 with the level, 422 refused input, 409 the occasion changed or
    was rated, 429 too many, 403 the tablet is not paired (it goes to the pairing page)."""
    found = device_screen(request)
    if found is None:
        return JsonResponse({"mode": UNPAIRED}, status=403)
    try:
        rating = rating_screen_rate(
            screen=found,
            level=_level(request.POST.get("level")),
            reason=request.POST.get("reason", ""),
            comment=request.POST.get("comment", ""),
            occasion=request.POST.get("occasion", ""),
        )
    except RateLimited as limited:
        response = JsonResponse({"errors": {"__all__": [limited.message]}}, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    except Conflict as conflict:
        return JsonResponse(
            {
                "errors": conflict.message_dict
                if hasattr(conflict, "error_dict")
                else {"__all__": conflict.messages}
            },
            status=409,
        )
    except ValidationError as refused:
        errors = (
            refused.message_dict
            if hasattr(refused, "error_dict")
            else {"__all__": refused.messages}
        )
        return JsonResponse({"errors": errors}, status=422)
    return JsonResponse({"level": rating.level, "bad": rating.is_bad})
