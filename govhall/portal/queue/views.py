"""Public queue pages (排队叫号, SPEC §7; seeds/000… 篇3 导视系统 排队叫号): the ticket kiosk
(取号机), the printable ticket, the citizen's ticket page and the hall's display board (叫号显示屏)
with its live stream.

Citizens are anonymous: the kiosk is a plain Django form protected by CSRF; tickets are reached
only by their random token. The kiosk page gives its device a long-lived signed cookie
(`KIOSK_COOKIE`): kiosk tickets are limited per device and per address a day, and priority
tickets per device (beyond, a ticket is issued normal with the priority asked, for the guide
to confirm). The client address is REMOTE_ADDR. Every rule (limits, hours, phone, priorities,
check-in) is in `govhall.frontdesk.services`; every read in `govhall.frontdesk.queries.board`.
The board also shows this month's best windows by satisfaction (好差评 rankings,
`govhall.feedback.queries.rating_figures.monthly_rankings`), cached per center and month.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator
from typing import Any

from asgiref.sync import sync_to_async
from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
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
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from govhall.cases.notice_render import qr_svg
from govhall.core.push import center_channel
from govhall.core.ratelimit import RateLimited
from govhall.feedback.queries.rating_figures import monthly_rankings
from govhall.feedback.services.rating_tokens import occasion_token
from govhall.frontdesk.models import Ticket, TicketPriority, TicketStatus
from govhall.frontdesk.queries.board import (
    active_center,
    board_fingerprint,
    board_state,
    group_item,
    kiosk_group,
    kiosk_groups,
    kiosk_matters,
    people_ahead,
    people_ahead_at_issue,
    public_ticket,
)
from govhall.frontdesk.queries.notices import board_notices
from govhall.frontdesk.services.appointment_booking import appointment_check_in
from govhall.frontdesk.services.tickets import ticket_take
from govhall.org.models import Center
from govhall.portal.streams import (
    db_moment,
    event_stream_response,
    fingerprint_events,
    is_async_server,
    pushed_events,
)

# The kiosk device's signed cookie (a random id), kept ten years.
KIOSK_COOKIE = "govhall_kiosk"
KIOSK_COOKIE_SALT = "govhall.portal.kiosk"
KIOSK_COOKIE_SECONDS = 10 * 365 * 24 * 3600
# How often the board's stream looks for a change (seconds).
BOARD_POLL_SECONDS = 0.3
# A comment line now and then keeps proxies from closing an idle stream.
BOARD_HEARTBEAT_SECONDS = 10.0
# How many of the month's best windows the board's rankings strip shows.
BOARD_RANKINGS_TOP = 3


class KioskTicketForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone (optional, for an SMS when your turn is near)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "tel",
                "autocomplete": "off",
                "pattern": "[0-9 +-]*",
                "enterkeyhint": "done",
            }
        ),
    )
    elderly_disabled = forms.BooleanField(
        label=gettext_lazy("Elderly or disabled: priority service"), required=False
    )


class KioskCheckInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Booking code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )


def _kiosk_print(request: HttpRequest) -> bool:
    """A kiosk with a receipt printer opens its page with ?print=1: tickets print at once."""
    return (request.POST.get("print") or request.GET.get("print")) == "1"


def _with_print(url: str, kiosk_print: bool) -> str:
    return f"{url}?print=1" if kiosk_print else url


def _form_errors(form: forms.Form, refused: ValidationError) -> None:
    """Put the service's refusal on the form: per field where the form has it, else on top."""
    if hasattr(refused, "error_dict"):
        for field, errors in refused.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in refused.messages:
            form.add_error(None, message)


def kiosk_device(request: HttpRequest) -> str:
    """The kiosk device's id from its signed cookie, or "" (then its address counts)."""
    value = request.get_signed_cookie(
        KIOSK_COOKIE, default="", salt=KIOSK_COOKIE_SALT, max_age=KIOSK_COOKIE_SECONDS
    )
    return f"kiosk:{value}" if value else ""


def _remember_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give the kiosk a device cookie the first time it shows a page."""
    if not kiosk_device(request):
        response.set_signed_cookie(
            KIOSK_COOKIE,
            secrets.token_urlsafe(16),
            salt=KIOSK_COOKIE_SALT,
            max_age=KIOSK_COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _kiosk_context(request: HttpRequest, center: Center, **extra: Any) -> dict[str, Any]:
    kiosk_print = _kiosk_print(request)
    return {
        "center": center,
        "kiosk_print": kiosk_print,
        "home_url": _with_print(reverse("portal:kiosk", args=[center.code]), kiosk_print),
        # For the next citizen: the first screen in Chinese, after a ticket is shown and after
        # a while without a touch (queue.js reads these from the page).
        "home_path": reverse("portal:kiosk", args=[center.code]),
        "restart_url": _with_print(
            reverse("portal:kiosk_restart", args=[center.code]), kiosk_print
        ),
        "kiosk_idle_seconds": settings.GOVHALL_KIOSK_IDLE_SECONDS,
        "kiosk_ticket_seconds": settings.GOVHALL_KIOSK_TICKET_SECONDS,
        **extra,
    }


@never_cache
@require_GET
def kiosk_restart(request: HttpRequest, code: str) -> HttpResponse:
    """Back to the kiosk's first screen in Chinese (the hall's language), whatever language the
    previous citizen chose: after a ticket is shown and after an idle timeout (issue 17)."""
    center = active_center(code)
    response = HttpResponseRedirect(
        _with_print(reverse("portal:kiosk", args=[center.code]), _kiosk_print(request))
    )
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        settings.LANGUAGE_CODE,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
@require_GET
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """The kiosk's first screen: the matters the hall's groups serve (searchable, the
    department as a hint, `?q=` without script), then one big button per group, with how many
    wait now."""
    center = active_center(code)
    groups = list(kiosk_groups(center, timezone.localdate()))
    q = str(request.GET.get("q") or "")[:50]
    context = _kiosk_context(request, center, groups=groups, q=q, matters=kiosk_matters(groups, q))
    return _remember_device(request, render(request, "portal/queue/kiosk.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_take(request: HttpRequest, code: str, letter: str) -> HttpResponse:
    """Second screen: the matter chosen (`item`), the optional phone and the elderly/disabled
    priority, then the ticket."""
    center = active_center(code)
    group = kiosk_group(center, letter, timezone.localdate())
    item = group_item(group, request.POST.get("item") or request.GET.get("item") or "")
    form = KioskTicketForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            priority = (
                TicketPriority.ELDERLY_DISABLED
                if form.cleaned_data["elderly_disabled"]
                else TicketPriority.NORMAL
            )
            try:
                ticket = ticket_take(
                    group=group,
                    actor=None,
                    priority=priority,
                    phone=form.cleaned_data["phone"],
                    device=kiosk_device(request),
                    client=_client(request),
                    item=item,
                )
            except ValidationError as refused:
                _form_errors(form, refused)
            except RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            else:
                return _remember_device(
                    request,
                    HttpResponseRedirect(
                        _with_print(
                            reverse("portal:kiosk_ticket", args=[center.code, ticket.token]),
                            _kiosk_print(request),
                        )
                    ),
                )
        status = status if status == 429 else 422
    return _remember_device(
        request,
        render(
            request,
            "portal/queue/kiosk_take.html",
            _kiosk_context(request, center, group=group, item=item, form=form),
            status=status,
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_check_in(request: HttpRequest, code: str) -> HttpResponse:
    """ "I have an appointment": the booking code turns the appointment into a priority ticket."""
    center = active_center(code)
    form = KioskCheckInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ticket = appointment_check_in(
                    actor=None,
                    code=form.cleaned_data["code"],
                    center=center,
                    device=kiosk_device(request),
                    client=_client(request),
                )
            except ValidationError as refused:
                _form_errors(form, refused)
            except RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            else:
                return HttpResponseRedirect(
                    _with_print(
                        reverse("portal:kiosk_ticket", args=[center.code, ticket.token]),
                        _kiosk_print(request),
                    )
                )
        status = status if status == 429 else 422
    return render(
        request,
        "portal/queue/kiosk_check_in.html",
        _kiosk_context(request, center, form=form),
        status=status,
    )


def _ticket_urls(request: HttpRequest, ticket: Ticket) -> dict[str, str]:
    status_path = reverse("portal:ticket", args=[ticket.token])
    base = settings.GOVHALL_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return {
        "status_url": status_path,
        "status_absolute": f"{base}{status_path}",
        "print_url": reverse("portal:ticket_print", args=[ticket.token]),
    }


@never_cache
@require_GET
def kiosk_ticket(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The kiosk's last screen: the number, people ahead, a QR code of the ticket page; with a
    receipt printer (?print=1) the ticket prints at once."""
    center = active_center(code)
    ticket = public_ticket(token)
    if ticket.center_id != center.pk:
        raise Http404
    urls = _ticket_urls(request, ticket)
    return render(
        request,
        "portal/queue/kiosk_ticket.html",
        _kiosk_context(
            request,
            center,
            ticket=ticket,
            ahead=people_ahead(ticket),
            qr=qr_svg(urls["status_absolute"]),
            **urls,
        ),
    )


@never_cache
@require_GET
@xframe_options_sameorigin  # the kiosk prints it in a frame of its own page
@csp_replace({"frame-ancestors": ["'self'"]})  # type: ignore[arg-type]  # typed for (request)
def ticket_print(request: HttpRequest, token: str) -> HttpResponse:
    """The printable ticket: a narrow receipt (80 mm, or 58 mm with ?paper=58)."""
    ticket = public_ticket(token)
    urls = _ticket_urls(request, ticket)
    return render(
        request,
        "portal/queue/ticket_print.html",
        {
            "ticket": ticket,
            "ahead": people_ahead_at_issue(ticket),
            "auto_print": request.GET.get("print") == "1",
            "paper": "58" if request.GET.get("paper") == "58" else "80",
            "qr": qr_svg(urls["status_absolute"]),
            **urls,
        },
    )


def _status_context(ticket: Ticket) -> dict[str, Any]:
    stale = ticket.status == TicketStatus.WAITING and ticket.service_date < timezone.localdate()
    return {
        "ticket": ticket,
        "ahead": people_ahead(ticket),
        "stale": stale,
        "live": not stale
        and ticket.status in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING),
        # Once finished, the page (opened from the ticket's QR code) offers the rating.
        "rate_url": reverse("portal:rate", args=[occasion_token(f"ticket:{ticket.pk}")])
        if ticket.status == TicketStatus.DONE
        else "",
    }


@never_cache
@require_GET
def ticket_status(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's phone page of a ticket; it refreshes itself (htmx polling) while live."""
    ticket = public_ticket(token)
    context = _status_context(ticket)
    if request.headers.get("HX-Request"):
        return render(request, "portal/queue/_ticket_status.html", context)
    return render(
        request, "portal/queue/ticket_status.html", {**context, **_ticket_urls(request, ticket)}
    )


# --- the display board -------------------------------------------------------------------------


def _board_labels() -> dict[str, str]:
    """The words the board's script writes (it renders the state itself)."""
    return {
        "away": _("Away for a moment"),
        "backBy": _("Back at %(time)s"),
        "paused": _("Paused"),
        "serving": _("Being served"),
        "called": _("Please come"),
        "window": _("Window %(number)s"),
        "noCalls": _("No calls yet today."),
        "offline": _("Reconnecting…"),
    }


def board_rankings(center: Center, now: datetime.datetime) -> dict[str, Any]:
    """This month's best windows by satisfaction (the board's strip), from the cache: computed
    at most once per GOVHALL_BOARD_RANKINGS_SECONDS per center and month, never per poll."""
    local = timezone.localtime(now)
    month = f"{local:%Y-%m}"
    key = f"govhall:board-rankings:{center.pk}:{center.code}:{month}"
    cached = cache.get(key)
    if cached is None:
        rows = monthly_rankings(center, local.year, local.month)["windows"][:BOARD_RANKINGS_TOP]
        cached = {
            "month": month,
            "windows": [
                {
                    "rank": row["rank"],
                    "number": row["number"],
                    "name": row["name"],
                    "rate": row["rate"],
                    "count": row["count"],
                }
                for row in rows
            ],
        }
        cache.set(key, cached, settings.GOVHALL_BOARD_RANKINGS_SECONDS)
    return cached


def _board_state(center: Center, now: datetime.datetime) -> dict[str, Any]:
    return {
        **board_state(center, now),
        "rankings": board_rankings(center, now),
        # The hall's notices (公告, issue 18 item 5) on the ticker.
        "notices": board_notices(center, now),
    }


@never_cache
@require_GET
def board(request: HttpRequest, code: str) -> HttpResponse:
    """The hall's display board (叫号显示屏), full screen; live through `board_stream`."""
    center = active_center(code)
    return render(
        request,
        "portal/queue/board.html",
        {
            "center": center,
            "state": _board_state(center, timezone.now()),
            "stream_url": reverse("portal:board_stream", args=[center.code]),
            "state_url": reverse("portal:board_state", args=[center.code]),
            "labels": _board_labels(),
        },
    )


@never_cache
@require_GET
def board_state_json(request: HttpRequest, code: str) -> JsonResponse:
    """The board's state as JSON, for a plain poll where server-sent events are unavailable."""
    center = active_center(code)
    return JsonResponse(
        _board_state(center, timezone.now()), json_dumps_params={"ensure_ascii": False}
    )


def _board_events(center: Center, seconds: float) -> Iterator[str]:
    """Server-sent events: the state on connect, then again whenever the fingerprint changes,
    until `seconds` have passed (the browser's EventSource reconnects by itself)."""
    return fingerprint_events(
        event="board",
        # The rankings come from the cache (recomputed at most every
        # GOVHALL_BOARD_RANKINGS_SECONDS): a new ranking is sent when it differs.
        fingerprint=lambda now: (
            board_fingerprint(center, now),
            board_rankings(center, now),
            board_notices(center, now),
        ),
        state=lambda now: _board_state(center, now),
        seconds=seconds,
        poll_seconds=BOARD_POLL_SECONDS,
        heartbeat_seconds=BOARD_HEARTBEAT_SECONDS,
    )


@never_cache
@require_GET
async def board_stream(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The board's live stream: pushed under an ASGI server (production), polled under WSGI
    (the dev server); the same events either way (`govhall.portal.streams`)."""
    seconds = float(settings.GOVHALL_BOARD_STREAM_SECONDS)
    if not is_async_server(request):
        center = await sync_to_async(active_center)(code)
        return event_stream_response(_board_events(center, seconds))
    center = await db_moment(active_center)(code)
    return event_stream_response(
        pushed_events(
            event="board",
            key=("board", center.pk),
            channels=[center_channel(center.pk)],
            state=lambda now: _board_state(center, now),
            seconds=seconds,
            # The rankings (cached) and the notices change with the clock too.
            refresh_seconds=BOARD_HEARTBEAT_SECONDS,
            heartbeat_seconds=BOARD_HEARTBEAT_SECONDS,
        )
    )
