"""The one answer of an htmx action in the workbench (issue 17 item 5, "approvals answer").

A button that decides something on a row (approve a leave, an absence, an off-hours appointment,
take on a transferred inquiry…) posts with htmx and gets back, at once:

- the row in its new state (the view's row partial, swapped in place by the button's hx-target);
- the message that says what happened, out of band into the page's message region
  (`#page-messages` in workbench/base.html), from Django's messages framework, so the view
  writes its message once with `messages.success/error(...)` for htmx and plain posts alike;
- for a decision the object no longer allows (decided already, someone acted first): status
  409 Conflict with the row as it now is and the refusal as an error message. htmx swaps 409
  and 422 answers like 2xx (govhall/static/govhall/govhall.js), and shows a message for any
  other failed answer (404, 403, 500), so no click stays silent.

Without htmx (no JavaScript) the same views redirect back to the page, which shows the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from govhall.core.validation import Conflict

#: The id of the page's message region (workbench/base.html).
MESSAGES_REGION = "page-messages"


def is_htmx(request: HttpRequest) -> bool:
    """Whether `request` was sent by htmx (and wants a partial back)."""
    return request.headers.get("HX-Request") == "true"


def status_of(error: ValidationError) -> int:
    """409 for a conflict (the object is no longer where the page showed it), else 422."""
    return 409 if isinstance(error, Conflict) else 422


def refuse(request: HttpRequest, error: ValidationError) -> int:
    """Add `error`'s messages as one page message and return its status (`status_of`)."""
    messages.error(request, " ".join(str(text) for text in error.messages))
    return status_of(error)


def htmx_result(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """`template` rendered with `context` (the row to swap in), followed by the page's messages
    out of band; the messages are consumed, so they do not show again on the next page."""
    row = render_to_string(template, dict(context), request=request)
    region = render_to_string(
        "workbench/_htmx_messages.html",
        {"messages": messages.get_messages(request), "region": MESSAGES_REGION},
        request=request,
    )
    return HttpResponse(row + region, status=status)
