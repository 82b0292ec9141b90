"""Gates every signed-in request on the account rules of govhall.core.accounts (issue 12 item 8):

1. a person who must give a second factor (their role requires it, or they enrolled) and has
   not yet in this session is sent to the code step (or to enroll, when they have no app yet);
2. a person whose password has expired is sent to the password change page.

Until then only the login, logout and those pages answer. An API call on such a session is
treated as anonymous (401); bearer tokens are not sessions and are not affected.

It also keeps the idle timeout: a signed-in request pushes the session's expiry
(SESSION_COOKIE_AGE, GOVHALL_SESSION_IDLE_MINUTES) forward, at most once every TOUCH_SECONDS so
pages do not write the session on every request; whether the person needs a second factor is
worked out again at the same time (a new role or a reset authenticator applies within a minute).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.checks import CheckMessage, Error
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from govhall.core import accounts
from govhall.core.models import User
from govhall.core.roles import Role

ALWAYS_OPEN_PREFIXES = ("/static/", "/i18n/", "/favicon")
TOUCH_SECONDS = 60
SEEN_KEY = "govhall_seen"
OTP_NEEDED_KEY = "govhall_otp_needed"


def check_otp_roles(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """System check: a misspelt role in GOVHALL_OTP_REQUIRED_ROLES would silently ask no one."""
    unknown = sorted(set(settings.GOVHALL_OTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"GOVHALL_OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Known roles: {', '.join(Role.values)}",
            id="govhall.E001",
        )
    ]


def start_session(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    """On login (signal user_logged_in): the session starts its idle clock."""
    session = getattr(request, "session", None)
    if session is not None and isinstance(user, User):
        session[SEEN_KEY] = int(time.time())
        session[OTP_NEEDED_KEY] = accounts.otp_needed(user)


def _touch(request: HttpRequest, user: User) -> bool:
    """Push the idle expiry forward when due; answer whether a second factor is needed."""
    session = request.session
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen >= TOUCH_SECONDS or OTP_NEEDED_KEY not in session:
        session[SEEN_KEY] = now  # modified: saved with a new expiry
        session[OTP_NEEDED_KEY] = accounts.otp_needed(user)
    return bool(session[OTP_NEEDED_KEY])


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def _open_paths(self) -> frozenset[str]:
        return frozenset(
            {
                reverse("workbench:login"),
                reverse("workbench:logout"),
                reverse("admin:logout"),
                reverse("workbench:account_otp_setup"),
                reverse("workbench:account_otp_verify"),
            }
        )

    @cached_property
    def _password_path(self) -> str:
        return reverse("workbench:account_password")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not request.path.startswith(ALWAYS_OPEN_PREFIXES)
        ):
            otp_needed = _touch(request, user)
            if request.path not in self._open_paths:
                blocked = self._blocked(request, user, otp_needed=otp_needed)
                if blocked is not None:
                    return blocked
        return self.get_response(request)

    def _blocked(
        self, request: HttpRequest, user: User, *, otp_needed: bool
    ) -> HttpResponse | None:
        verified = getattr(user, "is_verified", lambda: False)()
        if not verified and otp_needed:
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
                return None
            step = (
                "workbench:account_otp_verify"
                if accounts.otp_device(user) is not None
                else "workbench:account_otp_setup"
            )
            return self._redirect(request, reverse(step))
        if request.path != self._password_path and accounts.password_expired(user):
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
                return None
            messages.warning(
                request, _("Your password has expired: choose a new one to go on working.")
            )
            return self._redirect(request, self._password_path)
        return None

    @staticmethod
    def _redirect(request: HttpRequest, to: str) -> HttpResponse:
        if request.method == "GET" and not request.headers.get("HX-Request"):
            return HttpResponseRedirect(f"{to}?{urlencode({'next': request.get_full_path()})}")
        return HttpResponseRedirect(to)
