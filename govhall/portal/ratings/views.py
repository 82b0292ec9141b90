"""Public rating pages (好差评, issue 15 item 1), phone first, no login.

`/rate/<token>/`: the signed link of a service occasion (QR code on a finished ticket's page,
the SMS invitation, the progress page of a delivered case) or of a re-rating after a bad rating
was followed up. The page shows the service (center, item, window, the clerk's public name and
staff number), the five levels, the reasons for a bad rating, a comment and an optional name and
phone. Whether it can still be rated (finished, within the supplementary limit, not rated yet,
re-rated once) is the rating service's answer; posts are rate limited per client address. The
channel is the link's `?via=` (qr_code, sms, progress_page, online; default qr_code).

`/ratings/`: the monthly rankings of a center's windows and staff (public names only).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from govhall.catalog.queries.guides import public_centers
from govhall.core.ratelimit import RateLimited
from govhall.core.validation import Conflict
from govhall.feedback.models import BAD_LEVELS, FollowUpStatus, Rating, RatingChannel
from govhall.feedback.queries.rating_figures import monthly_rankings
from govhall.feedback.queries.ratings import OccasionFacts, occasion_facts
from govhall.feedback.services.rating_tokens import RERATE, read_token
from govhall.feedback.services.ratings import (
    PUBLIC_CHANNELS,
    already_rated_message,
    occasion_of,
    occasion_refusal,
    rating_give_public,
)
from govhall.portal.ratings.forms import RatingForm

BAD_LEVEL_VALUES = [int(level) for level in BAD_LEVELS]


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/ratings/rate.html",
        {
            "message": _(
                "This rating link is not valid. Please scan the code on your ticket or notice "
                "again, or open the link in the SMS."
            ),
            "facts": None,
        },
        status=404,
    )


def _target(token: str) -> tuple[str, int, Rating | None] | None:
    """(occasion kind, occasion id, rating re-rated) of a token, or None when it is not valid."""
    parsed = read_token(token)
    if parsed is None:
        return None
    kind, pk = parsed
    if kind != RERATE:
        return kind, pk, None
    rating = Rating.objects.filter(pk=pk).first()
    if rating is None:
        return None
    occasion_kind, _sep, number = rating.occasion.partition(":")
    return occasion_kind, int(number), rating


def _state(occasion: Any, supersedes: Rating | None, now: datetime.datetime) -> str:
    """Why the page shows no form (empty: it shows one)."""
    if supersedes is not None:
        if Rating.objects.filter(supersedes=supersedes).exists():
            return _("You have rated this service again already; thank you.")
        if supersedes.follow_up != FollowUpStatus.CLOSED:
            return _("You can rate again once we have told you the result of your rating.")
        return ""
    refusal = occasion_refusal(occasion, now)
    if refusal:
        return refusal
    if Rating.objects.filter(occasion=occasion.key, supersedes__isnull=True).exists():
        return already_rated_message()
    return ""


def _facts(occasion: Any, supersedes: Rating | None) -> OccasionFacts:
    source: dict[str, Any] = (
        {
            "center_id": supersedes.center_id,
            "item_id": supersedes.item_id,
            "window_id": supersedes.window_id,
            "staff_id": supersedes.staff_id,
        }
        if supersedes is not None
        else {
            "center_id": occasion.center_id,
            "item_id": occasion.values["item_id"],
            "window_id": occasion.values["window_id"],
            "staff_id": occasion.values["staff_id"],
        }
    )
    return occasion_facts(**source, moment=occasion.moment)


def _channel(request: HttpRequest) -> str:
    via = request.GET.get("via") or request.POST.get("via") or ""
    return via if via in PUBLIC_CHANNELS else RatingChannel.QR_CODE


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    if target is None:
        return _invalid(request)
    kind, occasion_id, supersedes = target
    try:
        occasion = occasion_of(kind, occasion_id)
    except Http404:
        return _invalid(request)
    now = timezone.now()
    facts = _facts(occasion, supersedes)
    message = _state(occasion, supersedes, now)
    form = RatingForm(request.POST if request.method == "POST" and not message else None)
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            rating = rating_give_public(
                client=_client(request),
                kind=kind,
                occasion_id=occasion_id,
                level=data["level"],
                channel=_channel(request),
                reason=data["reason"] or "",
                comment=data["comment"],
                rater_name=data["rater_name"],
                rater_phone=data["rater_phone"],
                supersedes=supersedes,
                now=now,
            )
        except RateLimited as limited:
            form.add_error(None, limited.message)
            status = 429
        except Conflict as conflict:
            message = " ".join(conflict.messages)
            status = 409
        except ValidationError as refused:
            for field, messages in refused.message_dict.items():
                for text in messages:
                    form.add_error(field if field in form.fields else None, text)
            status = 422
        else:
            thanks = reverse("portal:rate_thanks", args=[token])
            return redirect(f"{thanks}?bad=1" if rating.is_bad else thanks)
    elif form.is_bound:
        status = 422
    return render(
        request,
        "portal/ratings/rate.html",
        {
            "facts": facts,
            "form": None if message else form,
            "message": message,
            "rerate": supersedes is not None,
            "via": _channel(request),
            "bad_levels": BAD_LEVEL_VALUES,
        },
        status=status,
    )


@never_cache
@require_GET
def rate_thanks(request: HttpRequest, token: str) -> HttpResponse:
    if read_token(token) is None:
        return _invalid(request)
    return render(request, "portal/ratings/thanks.html", {"bad": request.GET.get("bad") == "1"})


@require_GET
def rankings(request: HttpRequest) -> HttpResponse:
    """The month's rankings of a center's windows and staff (?center=code&month=YYYY-MM; this
    month by default)."""
    centers = list(public_centers().order_by("path"))
    code = (request.GET.get("center") or "").strip()
    center = next((c for c in centers if c.code == code), None) if code else None
    if code and center is None:
        raise Http404
    center = center or (centers[0] if centers else None)
    today = timezone.localdate()
    year, month = today.year, today.month
    asked = (request.GET.get("month") or "").strip()
    if asked:
        try:
            chosen = datetime.datetime.strptime(asked, "%Y-%m").date()
        except ValueError:
            chosen = None
        if chosen is not None and chosen <= today:
            year, month = chosen.year, chosen.month
    months = []
    first = today.replace(day=1)
    for _n in range(12):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    figures = monthly_rankings(center, year, month) if center else {"windows": [], "staff": []}
    return render(
        request,
        "portal/ratings/rankings.html",
        {
            "centers": centers,
            "center": center,
            "month": datetime.date(year, month, 1),
            "months": months,
            "windows": figures["windows"],
            "staff": figures["staff"],
        },
    )
