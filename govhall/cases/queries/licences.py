"""Reading electronic licences (issue 19 item 4): a licence's state, the licences an applicant
holds that stand for a material at intake, and the public verification view.

A licence is *valid* on a day when it is not revoked, its `valid_from` has come and its
`valid_until` (if any) has not passed; else *expired* or *revoked* (revocation wins).

A material with `Material.licence_item` is satisfied at intake (window and online) by a valid
licence of the same applicant (same ID number / USCC) for that item, without an upload.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import ElectronicLicence
from govhall.catalog.models import Material
from govhall.core import idnumbers
from govhall.core.ratelimit import HOUR, RateRule, rate_key

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
STATE_LABELS = {VALID: _("Valid"), EXPIRED: _("Expired"), REVOKED: _("Revoked")}
TOKEN_MAX_LENGTH = ElectronicLicence._meta.get_field("verify_token").max_length or 43


def _day(now: datetime.datetime | datetime.date | None) -> datetime.date:
    if isinstance(now, datetime.datetime):
        return timezone.localdate(now)
    return now or timezone.localdate()


def licence_state(
    licence: ElectronicLicence, now: datetime.datetime | datetime.date | None = None
) -> str:
    """valid, expired or revoked on the day of `now` (today by default)."""
    if licence.revoked_at is not None:
        return REVOKED
    day = _day(now)
    if licence.valid_from > day or (licence.valid_until is not None and licence.valid_until < day):
        return EXPIRED
    return VALID


def valid_licences(
    *, id_number: str, now: datetime.datetime | datetime.date | None = None
) -> QuerySet[ElectronicLicence]:
    """The valid licences of the applicant with this ID number / USCC, newest first."""
    day = _day(now)
    return (
        ElectronicLicence.objects.filter(
            holder__id_number=idnumbers.normalize(id_number),
            revoked_at__isnull=True,
            valid_from__lte=day,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .select_related("department", "item")
        .order_by("-issued_at", "-id")
    )


def licence_offers(
    *,
    id_number: str,
    materials: Iterable[Material],
    now: datetime.datetime | datetime.date | None = None,
) -> dict[int, ElectronicLicence]:
    """For each material accepting a licence (`licence_item`), the applicant's newest valid
    licence of that item, by material id (one query; none for an empty number)."""
    wanted = {m.pk: m.licence_item_id for m in materials if m.licence_item_id is not None}
    if not wanted or not (id_number or "").strip():
        return {}
    rows = list(valid_licences(id_number=id_number, now=now).filter(item_id__in=wanted.values()))
    offers: dict[int, ElectronicLicence] = {}
    for material_id, item_id in wanted.items():
        licence = next((row for row in rows if row.item_id == item_id), None)
        if licence is not None:
            offers[material_id] = licence
    return offers


def licence_for_material(
    *,
    id_number: str,
    material: Material,
    licence_id: int,
    now: datetime.datetime | datetime.date | None = None,
) -> ElectronicLicence | None:
    """The licence `licence_id` if it is a valid licence of this applicant standing for
    `material`; else None."""
    if material.licence_item_id is None or not (id_number or "").strip():
        return None
    return (
        valid_licences(id_number=id_number, now=now)
        .filter(pk=licence_id, item_id=material.licence_item_id)
        .first()
    )


def licence_verify_rule(client: str) -> RateRule:
    """The hourly limit of public licence verifications per client address (the portal page
    and the API share it)."""
    return RateRule(
        key=rate_key("licence.verify", client),
        limit=settings.GOVHALL_LICENCE_VERIFY_PER_HOUR,
        window_seconds=HOUR,
        message=str(gettext("Too many verifications from this address. Try again later.")),
    )


@dataclass(frozen=True)
class PublicLicence:
    """What the public verification page and API show: nothing personal but the masked
    holder name."""

    state: str
    state_label: str
    name: str
    item: str
    number: str
    issuer: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    holder: str  # masked


def public_licence(token: str, now: datetime.datetime | None = None) -> PublicLicence | None:
    """The licence with this verification token as the public may see it, or None."""
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    licence = (
        ElectronicLicence.objects.select_related("item", "department", "holder")
        .filter(verify_token=token)
        .first()
    )
    if licence is None:
        return None
    state = licence_state(licence, now)
    return PublicLicence(
        state=state,
        state_label=str(STATE_LABELS[state]),
        name=licence.name,
        item=licence.item.name,
        number=licence.number,
        issuer=licence.department.name,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        holder=idnumbers.mask_name(licence.holder.name),
    )


def licences_filtered(
    licences: QuerySet[ElectronicLicence],
    *,
    holder: str = "",
    state: str = "",
    department_id: int | None = None,
    item_code: str = "",
    now: datetime.datetime | datetime.date | None = None,
) -> QuerySet[ElectronicLicence]:
    """`licences` narrowed to a holder (exact ID number / USCC), a state today (valid, expired,
    revoked), a department, an item (implementation code); the workbench and the API use it."""
    if holder:
        licences = licences.filter(holder__id_number=idnumbers.normalize(holder))
    if department_id is not None:
        licences = licences.filter(department_id=department_id)
    if item_code:
        licences = licences.filter(item__code=item_code)
    day = _day(now)
    live = Q(revoked_at__isnull=True, valid_from__lte=day) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )
    if state == VALID:
        licences = licences.filter(live)
    elif state == EXPIRED:
        licences = licences.filter(revoked_at__isnull=True).exclude(live)
    elif state == REVOKED:
        licences = licences.filter(revoked_at__isnull=False)
    return licences
