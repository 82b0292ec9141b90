"""Electronic licences (电子证照, issue 19 item 4).

- GET /licences/verify/{token}: public, no login, rate limited per client address
  (GOVHALL_LICENCE_VERIFY_PER_HOUR, 429 with Retry-After): validity, item, number, issuer and the
  MASKED holder name only. An unknown token is 404.
- GET /licences?holder=…: staff who read cases, the licences in their scope (center subtree, own
  department for department roles), filtered by the holder's exact ID number / USCC, the item or
  the state; the holder's ID number masked.
- POST /licences/{id}/revoke: the issuing department's leader or a manager of its center, with
  a reason (422 without one, 409 when already revoked, 404 when not yours to revoke).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    Code,
    ErrorOut,
    Id,
    Pagination,
    error_body,
    rate_limited,
    service_refusal,
)
from govhall.cases.access.licences import access_licence, licences_in_scope
from govhall.cases.models import ElectronicLicence
from govhall.cases.queries.licences import (
    STATE_LABELS,
    licence_state,
    licence_verify_rule,
    licences_filtered,
    public_licence,
)
from govhall.cases.services.licences import licence_revoke
from govhall.core import idnumbers
from govhall.core.models import User
from govhall.core.ratelimit import RateLimited, rate_limit

router = Router(auth=SESSION_OR_TOKEN)


class LicenceVerifyOut(Schema):
    state: str = Field(..., description="valid, expired or revoked")
    state_label: str
    name: str = Field(..., description="The licence's name")
    item: str = Field(..., description="The service item that issued it")
    number: str = Field(..., description="Licence number")
    issuer: str = Field(..., description="Issuing department")
    valid_from: datetime.date
    valid_until: datetime.date | None = Field(None, description="null: no expiry")
    holder: str = Field(..., description="The holder's name, masked (张*明)")


class LicenceOut(Schema):
    id: int
    number: str
    identifier: str = Field(..., description="GB/T 36904-style identifier with check character")
    name: str
    item_code: str
    department: str
    holder_name: str
    holder_id_number: str = Field(..., description="Masked")
    case_number: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    issued_at: datetime.datetime
    state: str = Field(..., description="valid, expired or revoked (today)")
    revoked_at: datetime.datetime | None
    revoke_reason: str

    @staticmethod
    def resolve_item_code(obj: ElectronicLicence) -> str:
        return obj.item.code

    @staticmethod
    def resolve_department(obj: ElectronicLicence) -> str:
        return obj.department.name

    @staticmethod
    def resolve_holder_name(obj: ElectronicLicence) -> str:
        return obj.holder.name

    @staticmethod
    def resolve_holder_id_number(obj: ElectronicLicence) -> str:
        return idnumbers.mask_id(obj.holder.id_number)

    @staticmethod
    def resolve_case_number(obj: ElectronicLicence) -> str:
        return obj.case.number

    @staticmethod
    def resolve_state(obj: ElectronicLicence) -> str:
        return licence_state(obj)


class LicenceRevokeIn(Schema):
    reason: str = Field(..., max_length=2000, description="Why the licence is revoked")


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@router.get(
    "/verify/{token}",
    auth=None,
    response={200: LicenceVerifyOut, 404: ErrorOut, 429: ErrorOut},
    summary="Verify an electronic licence by the token in its QR code (public)",
    description=(
        "No login. Validity, item, number, issuer and the masked holder name; nothing else "
        "personal. Rate limited per client address (GOVHALL_LICENCE_VERIFY_PER_HOUR)."
    ),
)
def verify(request: HttpRequest, response: HttpResponse, token: Code):
    try:
        rate_limit([licence_verify_rule(_client(request))])
    except RateLimited as limited:
        return rate_limited(response, limited)
    found = public_licence(token)
    if found is None:
        return Status(404, error_body(_("No licence has this verification code.")))
    return found


@router.get(
    "/",
    response=list[LicenceOut],
    summary="Electronic licences in your scope",
    description=(
        "Staff who read cases: the licences of the cases in your scope, newest first. "
        "`holder`: the holder's exact ID number or USCC; `item`: an implementation code; "
        "`state`: valid, expired or revoked."
    ),
)
@paginate(Pagination)
def licences(
    request: HttpRequest,
    holder: str = Query("", max_length=18, description="Holder's ID number or USCC"),
    item: str = Query("", max_length=64, description="Implementation code of the item"),
    state: str = Query("", max_length=8, description=", ".join(STATE_LABELS)),
):
    user = request.user
    assert isinstance(user, User)
    return licences_filtered(
        licences_in_scope(user).select_related("item", "department", "holder", "case"),
        holder=holder,
        item_code=item,
        state=state,
    ).order_by("-issued_at", "-id")


@router.post(
    "/{licence_id}/revoke",
    response={200: LicenceOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Revoke an electronic licence (the issuing department's leader or management)",
)
def revoke(request: HttpRequest, licence_id: Id, payload: LicenceRevokeIn):
    user = request.user
    assert isinstance(user, User)
    found = access_licence(user, licence_id, for_write=True)
    try:
        return licence_revoke(actor=user, licence=found, reason=payload.reason)
    except ValidationError as error:
        return service_refusal(error)


__all__ = ["router"]
