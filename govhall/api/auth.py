"""Bearer-token auth for department systems: `Authorization: Bearer gh_…`.

Endpoints take `auth=SESSION_OR_TOKEN`: a bearer token, or else a signed-in staff session. A
token acts as its user (`govhall.core.tokens`), so `request.user` is set to that user and every
scope check downstream treats the system exactly like that user's session.

The token is tried first, on purpose: django-ninja's session auth checks CSRF before it looks
at the session, and a system calling with a token has no CSRF cookie, so trying the session
first would refuse every token POST with 403. A request that presents a bearer token which is
unknown, revoked or belongs to an inactive user is refused with 401 at once (it does not fall
back to the session: explicit credentials that are wrong are an error, not an absence).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from govhall.core.models import User
from govhall.core.tokens import authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a key made by `govhall api_token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = authenticate(token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


SESSION_OR_TOKEN = [ApiTokenAuth(), django_auth]
