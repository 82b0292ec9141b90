"""Our own error pages (issue 17 item 11): Chinese 400/403/404/500 and CSRF-failure pages in the
site's look, for the staff side and the public side alike.

Django's own handlers render 400.html, 403.html and 404.html (govhall/templates) with the
request's context. Two answers need more care:

- `server_error` (handler500) renders 500.html from a plain dict: no context processors, so no
  session, user or database is touched while the site is already failing; only the address
  decides whether the page leads back to the workbench or to the public home page.
- `csrf_failure` (CSRF_FAILURE_VIEW) renders 403_csrf.html, an expired form explained, rather
  than Django's English "CSRF verification failed".
"""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template import loader

from govhall.core.outage import is_outage, outage_response

log = logging.getLogger("govhall.errors")

STAFF_PREFIX = "/staff/"
# What is sent when even the template cannot be rendered.
BARE_500 = "<!doctype html><title>500</title><h1>服务器内部错误 (500)</h1>"


def _staff_side(request: HttpRequest) -> bool:
    return str(getattr(request, "path", "")).startswith(STAFF_PREFIX)


def server_error(request: HttpRequest) -> HttpResponse:
    # A database or broker outage met by a middleware (the session, the signed-in user): the
    # clean 503 (govhall/core/outage.py), not the 500 page.
    exc = sys.exc_info()[1]
    if is_outage(exc):
        assert exc is not None
        return outage_response(request, exc)
    try:
        body = loader.get_template("500.html").render({"staff_side": _staff_side(request)})
    except Exception:  # the page of last resort must not fail in turn
        log.exception("the 500 page could not be rendered")
        body = BARE_500
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    log.warning("CSRF failure on %s: %s", getattr(request, "path", "?"), reason)
    body = loader.get_template("403_csrf.html").render({"staff_side": _staff_side(request)})
    return HttpResponseForbidden(body)
