"""Materials an applicant may reuse at intake (issue 17 item 2).

A material is reusable when the same applicant (same ID number / USCC) handed it in on an earlier
case that was accepted (verified at a window: `accepted_at` set, not voided or withdrawn), received
within `GOVHALL_MATERIAL_REUSE_DAYS`. The earlier material matches the item's material by catalog
entry or by the same name (身份证明 of one item is the 身份证明 of another).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from govhall.cases.models import CaseMaterial
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import Material
from govhall.core import idnumbers

UNVERIFIED_STATUSES = (CaseStatus.VOIDED, CaseStatus.WITHDRAWN)


@dataclass(frozen=True)
class ReuseOffer:
    material_id: int  # the item's catalog material
    case_id: int  # the earlier case it was handed in on
    case_number: str
    verified_on: datetime.date  # when the earlier case received it


def _verified(id_number: str, now: datetime.datetime | None) -> QuerySet[CaseMaterial]:
    since = (now or timezone.now()) - datetime.timedelta(days=settings.GOVHALL_MATERIAL_REUSE_DAYS)
    return (
        CaseMaterial.objects.filter(
            case__applicant__id_number=idnumbers.normalize(id_number),
            case__accepted_at__isnull=False,
            case__received_at__gte=since,
            received=True,
        )
        .exclude(case__status__in=UNVERIFIED_STATUSES)
        .select_related("case")
    )


def _matching(materials: Iterable[Material]) -> Q:
    materials = list(materials)
    return Q(material_id__in=[m.pk for m in materials]) | Q(name__in={m.name for m in materials})


def reuse_offers(
    *, id_number: str, materials: Iterable[Material], now: datetime.datetime | None = None
) -> dict[int, ReuseOffer]:
    """The latest verified earlier case for each of these materials, by catalog material id
    (one query). Nothing for an empty or malformed number."""
    materials = list(materials)
    if not materials or not (id_number or "").strip():
        return {}
    rows = list(
        _verified(id_number, now)
        .filter(_matching(materials))
        .order_by("-case__received_at", "-case_id")
    )
    offers: dict[int, ReuseOffer] = {}
    for material in materials:
        for row in rows:
            if row.material_id == material.pk or row.name == material.name:
                offers[material.pk] = ReuseOffer(
                    material_id=material.pk,
                    case_id=row.case_id,
                    case_number=row.case.number,
                    verified_on=row.received_on or timezone.localdate(row.case.received_at),
                )
                break
    return offers


def may_reuse(
    *,
    id_number: str,
    material: Material,
    case_id: int,
    now: datetime.datetime | None = None,
) -> bool:
    """Whether this applicant's earlier case `case_id` holds a verified copy of `material`."""
    return _verified(id_number, now).filter(_matching([material]), case_id=case_id).exists()
