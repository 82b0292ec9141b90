"""The rate limit of the public read API (issue 18 item 5): the disclosure reads and the current
hall notices, GOVHALL_PUBLIC_API_PER_MINUTE per client address a minute, answered 429 with
Retry-After beyond (`govhall.api.schemas.rate_limited`). The 办件公示 list has its own door,
shared with the portal page (`govhall.cases.queries.public.public_cases_hit`).

The client address is REMOTE_ADDR: behind a reverse proxy, set it from X-Forwarded-For in the
proxy setup, or every reader shares the proxy's budget."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from govhall.core.ratelimit import RateDecision, RateLimited, rate_hit, rate_key


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def refused(decision: RateDecision) -> RateLimited | None:
    """The refusal to answer when `decision` was refused, else None."""
    if decision.allowed:
        return None
    return RateLimited(
        _("Too many requests from your network. Please wait a minute."), decision.retry_after
    )


def public_read_limited(request: HttpRequest) -> RateLimited | None:
    """Count one public read from the caller's address; the refusal when over the limit."""
    return refused(
        rate_hit(
            key=rate_key("api.public_read", client_address(request)),
            limit=settings.GOVHALL_PUBLIC_API_PER_MINUTE,
            window_seconds=60,
        )
    )
