"""The online hall's sign-in on every request (issue 19 item 1): `request.online_session` and
`request.online_account` (None when nobody is signed in), and `account_required` for pages.

The cookie is the online hall's own (settings.GOVHALL_ONLINE_COOKIE_NAME); Django's staff session
and `request.user` are never consulted or changed here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from govhall.online.access.sessions import session_for_key
from govhall.online.models import AccountSession, ApplicantAccount
from govhall.online.services.sessions import session_touch

LOGIN_URL_NAME = "portal:online_login"


def set_session_cookie(response: HttpResponse, raw_key: str) -> None:
    response.set_cookie(
        settings.GOVHALL_ONLINE_COOKIE_NAME,
        raw_key,
        max_age=int(settings.GOVHALL_ONLINE_SESSION_MAX_HOURS) * 3600,
        secure=bool(settings.SESSION_COOKIE_SECURE),
        httponly=True,
        samesite="Lax",
    )


def clear_session_cookie(response: HttpResponse) -> None:
    response.delete_cookie(settings.GOVHALL_ONLINE_COOKIE_NAME, samesite="Lax")


class OnlineSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_key = request.COOKIES.get(settings.GOVHALL_ONLINE_COOKIE_NAME)
        session: AccountSession | None = session_for_key(raw_key) if raw_key else None
        if session is not None:
            session_touch(session)
        request.online_session = session  # type: ignore[attr-defined]
        request.online_account = session.account if session else None  # type: ignore[attr-defined]
        response = self.get_response(request)
        if session is not None:
            # A page drawn for a signed-in applicant (the header shows the name) is never kept
            # by a shared cache, even one that other pages mark public.
            patch_cache_control(response, private=True, no_store=True)
        if raw_key and session is None and not getattr(request, "online_signed_in", False):
            clear_session_cookie(response)
        return response


def account_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages of the online hall that need a signed-in applicant: the sign-in page otherwise,
    coming back here after."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "online_account", None) is None:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(LOGIN_URL_NAME)}?{query}")
        return view(request, *args, **kwargs)

    return wrapper


def acting_applicant(request: HttpRequest) -> ApplicantAccount | None:
    """The account the signed-in applicant acts for: the enterprise an agent chose to act for
    (AccountSession.acting_for, cleared when the agent is removed), else the account itself;
    None when nobody is signed in. Pages that apply or list cases use this, never
    `request.online_account` directly."""
    session: AccountSession | None = getattr(request, "online_session", None)
    if session is None:
        return None
    return session.acting_for or session.account
