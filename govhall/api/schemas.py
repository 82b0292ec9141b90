"""What every router of the JSON API shares: the error policy and its body, shared output
shapes (`PersonOut`), bounded pagination, constrained input types, the JSON-only parser and the
error handlers (issue 12 item 4, issue 13).

Error policy — the one place it is written; every router follows it, the OpenAPI description
(api/main.py) and the README point here, api/tests/test_error_policy.py checks it:

- Every refusal has the body `ErrorOut`: `{"detail": "...", "errors": {field: [...]}}`, in the
  caller's language, `errors` only when particular fields are at fault.
- 422 — refused input: a parameter or body field that is missing, malformed or out of range,
  and an action the rules refuse (a service's `ValidationError`). `errors` names the fields.
  Routers answer it with `service_refusal(error)` or `field_refusal(field, message)`.
- 409 — a conflict: the object changed since the caller looked (a stale version or status,
  another window or decider acted first), a duplicate, "already done". The services raise
  `govhall.core.validation.Conflict` or a subclass of it (`CaseConflict`, `TicketConflict`),
  also through `FieldErrors.conflict` (a code or letter used already; refused input in the
  same request wins: 422) and `refusal_error(StateRefusal(...))` (a lifecycle's "not from this
  status"); `service_refusal` answers it with 409 (other classes may be named in `conflicts`).
- 404 — missing OR forbidden: an object outside the caller's scope, or an operation the
  caller's role does not have, answers exactly like a missing one (`access_*` raise Http404),
  so nobody learns what exists.
- 429 — rate limited (a public door: progress look-ups, kiosk tickets, bookings), with
  `Retry-After` in seconds: `rate_limited(response, limited)`.
- Outside any view: 401 no or bad credentials; 403 only a session call without its CSRF
  token; 400 a request carrying a NUL character (refused by middleware before any view);
  413 a body over the limit; 415 a body not sent as application/json.
- `declare_error_responses` adds to each operation the codes it can answer, so the OpenAPI
  document lists them all.

Other shared pieces:

- `PersonOut` is how every answer names a staff member (id, username, name).
- `Pagination` is the one `limit`/`offset` pagination of every list: `limit` defaults to
  `GOVHALL_API_PAGE_SIZE` and is cut to `GOVHALL_API_MAX_PAGE_SIZE`; `offset` is bounded.
- `Id`, `Count`, `Small`, `Code`, `Name`, `Line`, `Text` and friends bound what reaches the
  database: ids within PostgreSQL's bigint, counts within their integer columns, strings within
  their columns. Use them in every input schema instead of bare `int` and `str`.
- `JsonParser` accepts a JSON object only, sent as JSON (`Content-Type: application/json`):
  another type answers 415, something that is not an object 422.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from pydantic import AliasChoices, StringConstraints

from govhall.core.ratelimit import RateLimited
from govhall.core.validation import Conflict

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from ninja import NinjaAPI

# --- errors -------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(..., description="Why the request was refused, in the user's language")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages by field, when the refusal concerns particular fields"
    )


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return body


#: What an operation that calls a service declares besides its success: a conflict, a refusal.
SERVICE_REFUSALS: dict[int, Any] = {409: ErrorOut, 422: ErrorOut}


def service_refusal(
    error: ValidationError, *, conflicts: tuple[type[ValidationError], ...] = ()
) -> Status[dict[str, Any]]:
    """A service's refusal as the API answers it: 409 for a conflict (a
    `govhall.core.validation.Conflict`, or an error of one of `conflicts`: the object changed
    under the caller, someone acted first, already done), else 422; `detail` joins the
    messages and `errors` keeps them by field when the service named fields."""
    status = 409 if isinstance(error, (Conflict, *conflicts)) else 422
    errors = (
        {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
        if hasattr(error, "error_dict")
        else None
    )
    return Status(status, error_body(" ".join(str(m) for m in error.messages), errors))


def field_refusal(field: str, message: str) -> Status[dict[str, Any]]:
    """422 for one refused parameter the router checks itself (a month that is not YYYY-MM,
    an unknown code, a number in the wrong place)."""
    return Status(422, error_body(message, {field: [message]}))


class FieldRefused(HttpError):
    """Raised where returning is awkward (a helper): answers like `field_refusal`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(422, message)
        self.field = field


def rate_limited(response: HttpResponse, limited: RateLimited) -> Status[dict[str, Any]]:
    """429 in the shape of every refusal, with Retry-After (seconds)."""
    response["Retry-After"] = str(limited.retry_after)
    return Status(429, error_body(limited.message))


# --- shared output shapes -----------------------------------------------------------------------


class PersonOut(Schema):
    """A staff member as every answer names them (who decided, who covers, who is on duty).
    Built from a `User`: `name` is its display name. Never a phone or an ID number: applicants
    are not `PersonOut` (their own, masked shapes live with the case and the appointment)."""

    id: int
    username: str
    # Read from a User's `display_name` (or a ready `name`); answered as `name`.
    name: str = Field(..., validation_alias=AliasChoices("display_name", "name"))


# --- bounded numbers and strings ----------------------------------------------------------------

BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
SMALLINT_MAX = 2**15 - 1
MAX_OFFSET = 10**9

# A database id: positive and within PostgreSQL's bigint.
Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
# A count, a quantity, a version: never negative, within an integer column.
Count = Annotated[int, Field(ge=0, le=INTEGER_MAX)]
# Copies, minutes, a capacity, a position: within a smallint column.
Small = Annotated[int, Field(ge=0, le=SMALLINT_MAX)]
# Yuan, as money columns store it (12 digits, 2 after the point), never negative.
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
# A year a calendar can speak about.
Year = Annotated[int, Field(ge=1900, le=2100)]

# Strings, each within the columns it is stored in: a code, a number, a phone, a key; a short
# name (a contact); a name; a long name (a person, an enterprise); a label (a matter); a line
# (a reason, a note); a text (an opinion, an answer); a search box.
Code = Annotated[str, StringConstraints(max_length=64)]
Short = Annotated[str, StringConstraints(max_length=50)]
Name = Annotated[str, StringConstraints(max_length=64)]
LongName = Annotated[str, StringConstraints(max_length=100)]
Label = Annotated[str, StringConstraints(max_length=200)]
Line = Annotated[str, StringConstraints(max_length=300)]
Text = Annotated[str, StringConstraints(max_length=2000)]
Search = Annotated[str, StringConstraints(max_length=100)]


# --- lifecycles ---------------------------------------------------------------------------------


class TransitionOut(Schema):
    """One action the caller may take now on an object driven by a transition table."""

    action: str = Field(..., description="Name to POST to the object's action endpoint")
    label: str


class VersionIn(Schema):
    """The version of the object the caller saw: a stale one is answered 409."""

    version: Count = Field(..., description="The version read; a stale one answers 409")


# --- pagination ---------------------------------------------------------------------------------


class Pagination(LimitOffsetPagination):
    """`limit` (default `GOVHALL_API_PAGE_SIZE`, cut to `GOVHALL_API_MAX_PAGE_SIZE`) and
    `offset`; the answer is `{items, count}`."""

    class Input(Schema):
        limit: int = Field(
            settings.GOVHALL_API_PAGE_SIZE,
            ge=1,
            le=BIGINT_MAX,
            description=(
                f"Items per page; at most {settings.GOVHALL_API_MAX_PAGE_SIZE}, "
                "a larger number is cut to that"
            ),
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        offset = pagination.offset
        limit = min(pagination.limit, settings.GOVHALL_API_MAX_PAGE_SIZE)
        return {
            self.items_attribute: queryset[offset : offset + limit],
            "count": self._items_count(queryset),
        }


# --- the parser and the error handlers ----------------------------------------------------------


class JsonParser(Parser):
    """Bodies are JSON objects sent as application/json; anything else is refused."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise HttpError(415, _("Send the body as JSON (Content-Type: application/json)."))
        try:
            data = json.loads(request.body)
        except ValueError:
            raise NinjaValidationError(
                [{"loc": ("body",), "msg": _("The body is not valid JSON.")}]
            ) from None
        if not isinstance(data, dict):
            raise NinjaValidationError(
                [{"loc": ("body",), "msg": _("The body must be a JSON object.")}]
            )
        return data


def _field_name(loc: Any) -> str:
    # ninja's locations start with where the value came from: body, query, path, header.
    parts = [str(part) for part in (loc or ()) if part not in {"body", "query", "path", "header"}]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_errors(errors: list[dict[str, Any]]) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc")), []).append(str(error.get("msg", "")))
    detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
    return error_body(_("Invalid input: %(errors)s") % {"errors": detail}, fields)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every refusal of the API in the shape of `ErrorOut`, with the codes of the error
    policy (this module's docstring)."""

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, validation_errors(list(exc.errors)), status=422)

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # ninja turns any error of the parser into 400 "Cannot parse request body"; the
        # parser's own refusal (415, or 422 for what is not an object) is the real answer.
        cause = exc.__cause__
        if isinstance(cause, NinjaValidationError):
            return on_validation(request, cause)
        if isinstance(cause, HttpError):
            exc = cause
        status = exc.status_code
        message = str(exc)
        if isinstance(exc, FieldRefused):
            return api.create_response(
                request, error_body(message, {exc.field: [message]}), status=status
            )
        if status == 400 and message.startswith("Cannot parse request body"):
            return api.create_response(
                request, error_body(_("The body is not valid JSON.")), status=422
            )
        return api.create_response(request, error_body(message), status=status)

    def on_auth(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, error_body(_("Sign in or send an API token.")), status=401
        )

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, error_body(_("Not found.")), status=404)

    def on_403(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, error_body(_("Forbidden.")), status=403)

    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)


BODY_SOURCES = {"body", "form", "file"}


def _keep_success_status(operation: Any, status: int) -> None:
    """ninja answers a plain return value with the only declared code; once error codes are
    declared too it would answer 200, so a view declared as 201 or 204 keeps its code."""
    view = operation.view_func

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = view(*args, **kwargs)
        if isinstance(result, HttpResponseBase | Status):
            return result
        return Status(status, result)

    operation.view_func = wrapped


def declare_error_responses(api: NinjaAPI) -> None:
    """Declare on each operation every error it can answer, with `ErrorOut`: 400 (a NUL
    character, refused by the middleware) and 404 (nothing there, or nothing the caller may
    see) everywhere, 401 and 403 behind auth, 422 with any parameter, 413 and 415 with a body.
    Codes an operation declares
    itself are kept; call once, after every router is added."""
    # ninja binds a copy of each router's operations to the API (auth resolved) the first time
    # it needs them, and reuses those copies for the URLs and the OpenAPI document.
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                models = operation.response_models
                if len(models) == 1:
                    [only] = models
                    if only != 200 and isinstance(only, int):
                        _keep_success_status(operation, only)
                sources = {model.__ninja_param_source__ for model in operation.models}
                codes = {400, 404}  # 404: nothing there, or nothing the caller may see
                if operation.auth_callbacks:
                    codes |= {401, 403}
                if sources & BODY_SOURCES:
                    codes |= {413, 415}
                if sources or "{" in path:
                    codes.add(422)
                for code in sorted(codes):
                    if code not in models:
                        models[code] = operation._create_response_model(ErrorOut)
