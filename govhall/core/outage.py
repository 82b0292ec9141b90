"""A clean 503 while the database or the broker is down (issue 20).

When PostgreSQL restarts, a connection drops, or Redis (the Celery broker) cannot be reached, a
request fails with a connection error that is nobody's bug. Instead of the 500 page, the person
gets a 503 "the service is briefly unavailable" in Chinese with `Retry-After`: an HTML page for
pages, `{"detail": …}` for /api/. The error is logged as one warning line per request (an error
met in a middleware is also logged by Django with its traceback), and nothing of it reaches the
client.

Two doors lead here: `OutageMiddleware.process_exception` for errors raised by views, and the
500 handler (govhall.core.errors.server_error) for errors raised by a middleware (the session
and the signed-in user are read by middleware). Once the database is back, Django drops the
broken connection at the end of the request and the next request reconnects by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("govhall.outage")

# Connection-level failures of the database (Django's wrappers of the driver's errors) and of
# the broker (kombu wraps Redis errors met while sending a task; redis-py's own may surface too).
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,
    DatabaseInterfaceError,
    BrokerOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
)
API_PREFIX = "/api/"
BARE_503 = "<!doctype html><title>503</title><h1>服务暂时不可用 (503)</h1><p>请稍后再试。</p>"


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def _part(exc: BaseException) -> str:
    broker = (BrokerOperationalError, RedisConnectionError, RedisTimeoutError)
    return "broker" if isinstance(exc, broker) else "database"


def outage_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 answer to `request`, which failed with the outage error `exc` (logged here)."""
    path = str(getattr(request, "path", ""))
    log.warning(
        "503 %s unavailable: %s %s: %s: %s",
        _part(exc),
        getattr(request, "method", "?"),
        path,
        type(exc).__name__,
        str(exc).strip().splitlines()[0] if str(exc).strip() else "",
    )
    message = _("The service is briefly unavailable. Please try again in a moment.")
    response: HttpResponse
    if path.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=503)
    else:
        try:
            body = loader.get_template("503.html").render(
                {"staff_side": path.startswith("/staff/")}
            )
        except Exception:  # the outage page must not fail in turn
            log.exception("the 503 page could not be rendered")
            body = BARE_503
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.GOVHALL_OUTAGE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class OutageMiddleware:
    """Turns an outage error raised by a view into the 503 answer (see the module's doc)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self._is_async:
            return self.__acall__(request)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        response: Awaitable[HttpResponse] = self.get_response(request)
        return await response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return outage_response(request, exception)
        return None
