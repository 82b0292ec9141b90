"""Rating screens (评价器) of the windows (issue 15 item 1): the windows the user manages with
their screens; add a screen, issue its one-time pairing code (shown with the pairing link and a
QR code for the tablet), revoke it.

Who manages which window's screens is `feedback.access.rating_screens`; the rules are in
`feedback.services.rating_screens`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.cases.notice_render import qr_svg
from govhall.feedback.access.rating_screens import (
    access_rating_screen,
    access_rating_window,
    can_manage_rating_screens,
    rating_screen_windows,
)
from govhall.feedback.models import RatingScreen
from govhall.feedback.queries.rating_screens import screens_of_windows
from govhall.feedback.services.rating_screens import (
    LABEL_MAX_LENGTH,
    REASON_MAX_LENGTH,
    rating_screen_create,
    rating_screen_issue_code,
    rating_screen_revoke,
)
from govhall.workbench.request_input import staff_user


class ScreenForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=LABEL_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("Optional, e.g. the tablet's asset number."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=REASON_MAX_LENGTH, required=False
    )


def _require_page(request: HttpRequest) -> None:
    if not can_manage_rating_screens(request.user):
        raise Http404


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def screens(request: HttpRequest) -> HttpResponse:
    _require_page(request)
    return render(
        request,
        "workbench/feedback/screens/list.html",
        {
            "windows": screens_of_windows(rating_screen_windows(request.user)),
            "form": ScreenForm(),
            "now": timezone.now(),
            "pair_url": _absolute(request, reverse("portal:rating_screen_pair")),
        },
    )


@require_POST
@login_required
def screen_add(request: HttpRequest, window_id: int) -> HttpResponse:
    window = access_rating_window(request.user, window_id, for_write=True)
    form = ScreenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("workbench:rating_screens")
    try:
        screen = rating_screen_create(
            actor=staff_user(request), window=window, label=form.cleaned_data["label"]
        )
        screen = rating_screen_issue_code(actor=staff_user(request), screen=screen)
    except ValidationError as error:
        _flash(request, error)
        return redirect("workbench:rating_screens")
    messages.success(request, _("Screen added. Pair the tablet with the code below."))
    return redirect("workbench:rating_screen", screen_id=screen.pk)


def _absolute(request: HttpRequest, path: str) -> str:
    base = settings.GOVHALL_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return f"{base}{path}"


@login_required
def screen_detail(request: HttpRequest, screen_id: int) -> HttpResponse:
    screen = access_rating_screen(request.user, screen_id)
    now = timezone.now()
    live_code = (
        screen.revoked_at is None
        and bool(screen.pairing_code)
        and screen.pairing_expires_at is not None
        and screen.pairing_expires_at > now
    )
    pairing_link = ""
    if live_code:
        pairing_link = _absolute(
            request,
            f"{reverse('portal:rating_screen_pair')}?{urlencode({'code': screen.pairing_code})}",
        )
    return render(
        request,
        "workbench/feedback/screens/detail.html",
        {
            "screen": screen,
            "live_code": live_code,
            "pairing_link": pairing_link,
            "qr": qr_svg(pairing_link) if pairing_link else "",
            "pair_url": _absolute(request, reverse("portal:rating_screen_pair")),
            "revoke_form": RevokeForm(),
        },
    )


def _screen_for_write(request: HttpRequest, screen_id: int) -> RatingScreen:
    return access_rating_screen(request.user, screen_id, for_write=True)


@require_POST
@login_required
def screen_code(request: HttpRequest, screen_id: int) -> HttpResponse:
    screen = _screen_for_write(request, screen_id)
    try:
        rating_screen_issue_code(actor=staff_user(request), screen=screen)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("New pairing code issued."))
    return redirect("workbench:rating_screen", screen_id=screen.pk)


@require_POST
@login_required
def screen_revoke(request: HttpRequest, screen_id: int) -> HttpResponse:
    screen = _screen_for_write(request, screen_id)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        rating_screen_revoke(actor=staff_user(request), screen=screen, reason=reason)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Screen revoked: its tablet shows the pairing page."))
    return redirect("workbench:rating_screen", screen_id=screen.pk)
