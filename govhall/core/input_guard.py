"""Refuse input that would only reach the database to fail there (issue 12 item 4).

PostgreSQL rejects a NUL character in text, so a NUL byte anywhere a view might store or look up
would end as a server error. `InputGuardMiddleware` refuses it first, with 400 and a clear
message, wherever it is: the path, the query string, a header, a form field or a JSON string
(keys included). It also answers 413 to a body over the limit before anything reads it:
`DATA_UPLOAD_MAX_MEMORY_SIZE` for ordinary bodies, `GOVHALL_MAX_UPLOAD_BYTES` (plus a margin for
the other form fields) for multipart uploads, whose own page still reports an over-size file.

Answers under the JSON API's prefix are JSON `{"detail": "..."}`, like the API's other errors;
the rest are plain text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
API_PREFIX = "/api/"
# Room for the ordinary fields sent with an uploaded file.
MULTIPART_MARGIN_BYTES = 1024 * 1024
JSON_TYPES = ("application/json",)


def body_limit(request: HttpRequest) -> int | None:
    """The largest body this request may carry, in bytes (None: no limit)."""
    if request.content_type == "multipart/form-data":
        return int(settings.GOVHALL_MAX_UPLOAD_BYTES) + MULTIPART_MARGIN_BYTES
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return None if limit is None else int(limit)


def has_nul(value: Any) -> bool:
    """Whether a NUL character hides anywhere in a parsed JSON value (keys included)."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


def _any_nul(texts: Iterable[str]) -> bool:
    return any(NUL in text for text in texts)


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return self._answer(
                request,
                413,
                _("The request is too large: at most %(size)s bytes are accepted.")
                % {"size": limit},
            )
        if self._nul_anywhere(request):
            return self._answer(
                request, 400, _("The request contains a NUL character (\\u0000), which is refused.")
            )
        return None

    def _nul_anywhere(self, request: HttpRequest) -> bool:
        if NUL in request.path or NUL in request.path_info:
            return True
        if _any_nul(key for key in request.GET) or _any_nul(
            value for _key, values in request.GET.lists() for value in values
        ):
            return True
        if _any_nul(str(value) for key, value in request.META.items() if key.startswith("HTTP_")):
            return True
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return False
        if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            form = request.POST
            names = [*form, *(f.name or "" for _key, files in request.FILES.lists() for f in files)]
            return _any_nul(names) or _any_nul(
                value for _key, values in form.lists() for value in values
            )
        content_type = request.content_type or ""
        if content_type in JSON_TYPES or content_type.endswith("+json"):
            body = request.body
            if b"\x00" in body:
                return True
            if b"\\u0000" not in body:
                return False
            try:
                return has_nul(json.loads(body))
            except ValueError:
                return False  # the view refuses what is not JSON
        return False

    @staticmethod
    def _answer(request: HttpRequest, status: int, message: str) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
