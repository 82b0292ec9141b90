"""Materials an applicant may reuse (issue 17 item 2, made one rule with the library of issue 19
item 4): THE rule for offering a material instead of a new copy, at window intake and online.

A material of an item is offered from the applicant's library (`ApplicantMaterial`, kept by
`govhall.cases.services.library.library_keep` when a case is accepted) when the library of the
same applicant (same ID number / USCC) holds an entry that is

- not withdrawn and not expired (`valid_until`, by default `GOVHALL_MATERIAL_REUSE_DAYS` after
  it was verified), and not from a case voided or withdrawn since;
- for the same catalog material, or a material of the same normalised name (`normalise_name`:
  width, case and spaces ignored, so "身份证明" of one item is the "身份 证明" of another).

Issue 17's rule (any same-name material handed in on an accepted case in the last
GOVHALL_MATERIAL_REUSE_DAYS) is replaced by this one: the library is filled at acceptance, so
what was offered before is offered now, and nothing else is.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from govhall.cases.models import ApplicantMaterial
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import Material
from govhall.core import idnumbers

UNVERIFIED_STATUSES = (CaseStatus.VOIDED, CaseStatus.WITHDRAWN)


@dataclass(frozen=True)
class ReuseOffer:
    material_id: int  # the item's catalog material
    case_id: int  # the earlier case it was verified on
    case_number: str
    verified_on: datetime.date  # when it was verified
    entry_id: int = 0  # the library entry (ApplicantMaterial)
    verified_by: str = ""  # the clerk who verified it (name)
    has_file: bool = False


def normalise_name(name: str) -> str:
    """A material's name for matching: full-width folded (NFKC), case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def library_entries(
    *, id_number: str, now: datetime.datetime | None = None
) -> QuerySet[ApplicantMaterial]:
    """The applicant's live library: not withdrawn, not expired, not from a voided or
    withdrawn case; newest first."""
    today = timezone.localdate(now or timezone.now())
    return (
        ApplicantMaterial.objects.filter(
            applicant__id_number=idnumbers.normalize(id_number), withdrawn_at__isnull=True
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exclude(verified_on_case__status__in=UNVERIFIED_STATUSES)
        .select_related("verified_on_case", "verified_by")
        .order_by("-verified_at", "-id")
    )


def matches(entry: ApplicantMaterial, material: Material) -> bool:
    """Whether a library entry stands for this catalog material (same material or name)."""
    if entry.material_id is not None and entry.material_id == material.pk:
        return True
    return normalise_name(entry.name) == normalise_name(material.name)


def _offer(material: Material, entry: ApplicantMaterial) -> ReuseOffer:
    case = entry.verified_on_case
    who = entry.verified_by
    return ReuseOffer(
        material_id=material.pk,
        case_id=entry.verified_on_case_id or 0,
        case_number=case.number if case is not None else "",
        verified_on=timezone.localdate(entry.verified_at),
        entry_id=entry.pk,
        verified_by=(who.get_full_name() or who.username) if who is not None else "",
        has_file=bool(entry.file),
    )


def reuse_offers(
    *, id_number: str, materials: Iterable[Material], now: datetime.datetime | None = None
) -> dict[int, ReuseOffer]:
    """The newest live library entry for each of these materials, by catalog material id (one
    query). Nothing for an empty number."""
    materials = list(materials)
    if not materials or not (id_number or "").strip():
        return {}
    entries = list(library_entries(id_number=id_number, now=now))
    offers: dict[int, ReuseOffer] = {}
    for material in materials:
        for entry in entries:
            if matches(entry, material):
                offers[material.pk] = _offer(material, entry)
                break
    return offers


def reusable_entry(
    *,
    id_number: str,
    material: Material,
    case_id: int | None = None,
    entry_id: int | None = None,
    now: datetime.datetime | None = None,
) -> ApplicantMaterial | None:
    """The live library entry of this applicant standing for `material`, verified on
    `case_id` (window intake names the case) or with id `entry_id` (online names the entry)."""
    if not (id_number or "").strip() or (case_id is None and entry_id is None):
        return None
    entries = library_entries(id_number=id_number, now=now)
    if case_id is not None:
        entries = entries.filter(verified_on_case_id=case_id)
    if entry_id is not None:
        entries = entries.filter(pk=entry_id)
    return next((entry for entry in entries if matches(entry, material)), None)


def may_reuse(
    *,
    id_number: str,
    material: Material,
    case_id: int,
    now: datetime.datetime | None = None,
) -> bool:
    """Whether this applicant's library holds `material` verified on case `case_id`."""
    return (
        reusable_entry(id_number=id_number, material=material, case_id=case_id, now=now) is not None
    )
