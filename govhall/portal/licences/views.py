"""The public verification page of an electronic licence (issue 19 item 4), phone-first.

Anyone holding the QR code sees whether the licence is valid, expired or revoked, its name, item,
number, issuer and validity, and the holder's name MASKED; nothing else personal (no ID number,
phone or address). Rate limited per client address (GOVHALL_LICENCE_VERIFY_PER_HOUR, 429 beyond);
an unknown token is a 404 like any other page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govhall.cases.queries.licences import licence_verify_rule, public_licence
from govhall.core.ratelimit import RateLimited, rate_limit


def _client(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy the proxy must set it from X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        rate_limit([licence_verify_rule(_client(request))])
    except RateLimited as limited:
        refused = render(
            request, "portal/licences/limited.html", {"message": limited.message}, status=429
        )
        refused["Retry-After"] = str(limited.retry_after)
        return refused
    licence = public_licence(token)
    if licence is None:
        raise Http404
    response = render(request, "portal/licences/verify.html", {"licence": licence})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
