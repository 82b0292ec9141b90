"""Electronic licences (电子证照, issue 19 item 4).

Entry points:

def licence_issue(*, case: Case, actor: User | None, at: datetime | None = None)
        -> ElectronicLicence | None
def licence_revoke(*, actor: User, licence: ElectronicLicence, reason: str,
                   at: datetime | None = None) -> ElectronicLicence

`licence_issue` is called when an approved case of an item with `ServiceItem.issues_licence` is
delivered (`case_act` deliver from certificate_ready); it is idempotent (one licence per case).
The licence is valid from the day of delivery for `ServiceItem.licence_valid_years` years (to
the day before the anniversary), or without end when the item sets none.

The licence number is the issuing department's code, the year and a serial within that
department and year: "SCJ-2026-00001" (unique).

The identifier follows the spirit of GB/T 36904-2018 (电子证照标识): four dot-separated parts,
all upper-case letters and digits,

    <issuer code>.<licence type code>.<serial>.<check character>

- issuer code: the issuing body's code, here the center code and the department code run
  together (where the department has a unified social credit code, that is the place for it);
- licence type code: the item's implementation code (the licence is the item's result);
- serial: the year and the serial of the number, "202600001";
- check character: ISO/IEC 7064 MOD 37,36 (hybrid system) over the three parts without dots,
  one character 0-9A-Z (`check_character`).

`verify_token` (secrets.token_urlsafe) is the unguessable part of the public verification
address /licences/verify/<token>/.

Revocation: the issuing department's leader or a manager of its center (`can_revoke_licence`),
with a reason; the event `licence.revoke` records it.
"""

from __future__ import annotations

import datetime
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.access.licences import can_revoke_licence
from govhall.cases.events import LicenceEvent
from govhall.cases.models import Case, ElectronicLicence
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors
from govhall.org.models import Department

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SERIAL_DIGITS = 5
PART_MAX = 20
REASON_MAX_LENGTH = ElectronicLicence._meta.get_field("revoke_reason").max_length or 300
TOKEN_BYTES = 32  # token_urlsafe(32): 43 characters


def check_character(text: str) -> str:
    """ISO/IEC 7064 MOD 37,36 (hybrid) check character of upper-case letters and digits."""
    modulus = len(ALPHABET)
    product = modulus
    for char in text:
        total = (product + ALPHABET.index(char)) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return ALPHABET[(modulus + 1 - product) % modulus]


def identifier_is_valid(identifier: str) -> bool:
    """Whether the identifier's check character matches its other parts."""
    parts = (identifier or "").split(".")
    if len(parts) != 4 or len(parts[3]) != 1:
        return False
    body = "".join(parts[:3])
    if not body or any(char not in ALPHABET for char in body):
        return False
    return check_character(body) == parts[3]


def _code(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())[:PART_MAX] or "0"


def _valid_until(start: datetime.date, years: int | None) -> datetime.date | None:
    if not years:
        return None
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year without one
        anniversary = start.replace(year=start.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


def _next_serial(prefix: str) -> int:
    numbers = ElectronicLicence.objects.filter(number__startswith=prefix).values_list(
        "number", flat=True
    )
    serials = [int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()]
    return max(serials, default=0) + 1


@transaction.atomic
def licence_issue(
    *, case: Case, actor: User | None, at: datetime.datetime | None = None
) -> ElectronicLicence | None:
    """Issue the electronic licence of the delivered approved `case` (see the module doc); the
    existing one when already issued; None when the item issues no licence."""
    existing = ElectronicLicence.objects.filter(case=case).first()
    if existing is not None:
        return existing
    item = case.item
    if not item.issues_licence:
        return None
    now = at or timezone.now()
    today = timezone.localdate(now)
    # Serials of one department are handed out one at a time.
    department = (
        Department.objects.select_for_update().select_related("center").get(pk=case.department_id)
    )
    prefix = f"{department.code}-{today.year}-"
    serial = _next_serial(prefix)
    number = f"{prefix}{serial:0{SERIAL_DIGITS}d}"
    body = [
        _code(f"{department.center.code}{department.code}"),
        _code(item.code),
        f"{today.year}{serial:0{SERIAL_DIGITS}d}",
    ]
    identifier = ".".join([*body, check_character("".join(body))])
    licence = ElectronicLicence.objects.create(
        case=case,
        holder_id=case.applicant_id,
        item=item,
        department=department,
        name=item.name,
        number=number,
        identifier=identifier,
        verify_token=secrets.token_urlsafe(TOKEN_BYTES),
        valid_from=today,
        valid_until=_valid_until(today, item.licence_valid_years),
        issued_at=now,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_event(
        actor=actor,
        action=LicenceEvent.ISSUE,
        obj=licence,
        center_id=case.center_id,
        data={"case": case.number, "number": number, "identifier": identifier},
    )
    return licence


@transaction.atomic
def licence_revoke(
    *,
    actor: User,
    licence: ElectronicLicence,
    reason: str,
    at: datetime.datetime | None = None,
) -> ElectronicLicence:
    """Revoke `licence` with a reason (the issuing department's leader or a manager of its
    center); a licence already revoked is a Conflict."""
    locked = (
        ElectronicLicence.objects.select_for_update(of=("self",))
        .select_related("department", "case")
        .get(pk=licence.pk)
    )
    if not can_revoke_licence(actor, locked):
        raise ValidationError(
            _("Only the issuing department's leader or the hall's management may revoke it."),
            code="forbidden",
        )
    if locked.revoked_at is not None:
        raise Conflict(_("This licence is already revoked."))
    errors = FieldErrors()
    reason = errors.text(
        "reason",
        reason,
        max_length=REASON_MAX_LENGTH,
        required=_("Give the reason for revoking the licence."),
        too_long=_("The reason is too long (at most %(max)d characters).")
        % {"max": REASON_MAX_LENGTH},
    )
    errors.raise_if_any()
    locked.revoked_at = at or timezone.now()
    locked.revoke_reason = reason
    locked.save(update_fields=["revoked_at", "revoke_reason"])
    record_event(
        actor=actor,
        action=LicenceEvent.REVOKE,
        obj=locked,
        center_id=locked.case.center_id,
        note=reason,
        data={"number": locked.number},
    )
    return locked


__all__ = [
    "check_character",
    "identifier_is_valid",
    "licence_issue",
    "licence_revoke",
]
