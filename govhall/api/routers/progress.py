"""Public progress inquiry (SPEC §6): no login, rate-limited against guessing.

The client address used for the rate limit is REMOTE_ADDR. Behind a reverse proxy, configure
the proxy (or a trusted middleware) to set REMOTE_ADDR from X-Forwarded-For; otherwise every
applicant shares the proxy's failure budget.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from govhall.api.schemas import Code, ErrorOut, error_body, rate_limited, service_refusal
from govhall.cases.services.progress import ProgressLimited, progress_lookup

router = Router(auth=None)


class StepOut(Schema):
    name: str = Field(..., description="Public name of the step (no staff names, no notes)")
    at: datetime.datetime = Field(..., description="When the step happened")


class ProgressOut(Schema):
    number: str = Field(..., description="Case number")
    status: str = Field(..., description="Status code of govhall (e.g. accepted, in_review)")
    status_label: str = Field(..., description="Status in words")
    national_code: str = Field(..., description="National exchange status code (02–13)")
    national_label: str = Field(..., description="National status name, e.g. 受理, 在办, 办结")
    kind: str = Field(..., description="immediate, promised, joint, escalated, or empty")
    kind_label: str = Field(..., description="Kind in words")
    item: str = Field(..., description="Service item name")
    department: str = Field(..., description="Department handling the case")
    center: str = Field(..., description="Service center")
    applicant_name: str = Field(..., description="Applicant's name, masked (张*明)")
    received_at: datetime.datetime = Field(..., description="When the application was received")
    accepted_at: datetime.datetime | None = Field(None, description="When it was accepted")
    promised_due_on: datetime.date | None = Field(None, description="Promised completion date")
    legal_due_on: datetime.date | None = Field(None, description="Legal deadline")
    working_days_left: int | None = Field(
        None, description="Working days to the promised date (negative: overdue); null if none"
    )
    suspended: bool = Field(..., description="The clock is stopped (hearing, inspection, …)")
    outcome: str = Field(
        ...,
        description="approved, denied, not_accepted, escalation_closed, withdrawn, voided, "
        "or empty while undecided",
    )
    outcome_label: str = Field(..., description="Outcome in words")
    completed_at: datetime.datetime | None = Field(None, description="When the case was done")
    steps: list[StepOut] = Field(..., description="Public steps, oldest first")


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy the proxy must set it from X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@router.get(
    "/",
    response={200: ProgressOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Progress of a case by its number and the last 4 digits of the applicant's phone "
    "or ID number",
    description=(
        "Public, no login. `last4` matches the last four characters of the applicant's mobile "
        "phone or ID number (X allowed). A wrong number and wrong digits both answer 404 with "
        "the same message. Too many failures from one address, or on one case number, within "
        "GOVHALL_PROGRESS_WINDOW_MINUTES answer 429 (with Retry-After); a locked case number "
        "stays locked for the window even with the right digits. The client address is "
        "REMOTE_ADDR: behind a reverse proxy, set it from X-Forwarded-For in the proxy setup."
    ),
)
def progress(
    request: HttpRequest,
    response: HttpResponse,
    number: Code = Query("", description="Case number printed on the notice"),
    last4: Code = Query("", description="Last 4 digits of the applicant's phone or ID number"),
):
    try:
        found = progress_lookup(number=number, last4=last4, client=client_address(request))
    except ValidationError as error:
        return service_refusal(error)
    except ProgressLimited as limited:
        return rate_limited(response, limited)
    if found is None:
        return Status(404, error_body(not_found_message()))
    return found


def not_found_message() -> str:
    return _(
        "No case matches this number and these digits. Check the number on your notice and "
        "the last 4 digits of the phone or ID number given when applying."
    )
