"""办件公示 (public case list, issue 18 item 5; seeds/000… 篇4 公开办事制): the recent accepted
cases of one center as the public may see them — case number, item, applicant (a person's name
masked, an enterprise's name kept), a status label, the accepted and finished dates. Nothing else
of the applicant leaves this module: no ID number, phone, address or contact.

One indexed query per page: (center, received_at) with the window of
GOVHALL_PUBLIC_CASES_DAYS days; a search by case number is the unique index on `number`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from govhall.cases.case_transitions import NATIONAL_CODE, NATIONAL_LABEL
from govhall.cases.models import Case
from govhall.cases.statuses import ApplicantKind, CaseStatus
from govhall.core.idnumbers import mask_name
from govhall.core.ratelimit import RateDecision, rate_hit, rate_key
from govhall.org.models import Center

NUMBER_SEARCH_MAX = 48


@dataclass(frozen=True)
class PublicCase:
    number: str
    item: str
    applicant: str
    status: str  # the national exchange status (受理 / 在办 / 办结 …)
    accepted_on: datetime.date | None
    finished_on: datetime.date | None


def public_cases_hit(client: str) -> RateDecision:
    """Count one page of 办件公示 opened from `client` (an address): at most
    GOVHALL_PUBLIC_CASES_PER_MINUTE a minute, the portal page and the API together (a refused
    hit is answered 429 with Retry-After)."""
    return rate_hit(
        key=rate_key("disclosure.cases", client),
        limit=settings.GOVHALL_PUBLIC_CASES_PER_MINUTE,
        window_seconds=60,
    )


def public_applicant(kind: str, name: str) -> str:
    """An enterprise's name as registered; a person's masked (张*明)."""
    if kind == ApplicantKind.ENTERPRISE:
        return name
    return mask_name(name)


def public_cases(
    center: Center, *, number: str = "", at: datetime.datetime | None = None
) -> QuerySet[Case]:
    """The center's accepted cases received within the window, newest first (voided ones never);
    `number` narrows to that one case number (exact, as typed or in capitals)."""
    now = at or timezone.now()
    since = now - datetime.timedelta(days=settings.GOVHALL_PUBLIC_CASES_DAYS)
    qs = (
        Case.objects.filter(center=center, received_at__gte=since, accepted_at__isnull=False)
        .exclude(status=CaseStatus.VOIDED)
        .select_related("item", "applicant")
        .only(
            "number",
            "status",
            "received_at",
            "accepted_at",
            "decided_at",
            "completed_at",
            "item__name",
            "applicant__kind",
            "applicant__name",
        )
        .order_by("-received_at", "-id")
    )
    number = (number or "").strip()[:NUMBER_SEARCH_MAX]
    if number:
        # Exact (the unique index), as typed or in capitals.
        qs = qs.filter(number__in={number, number.upper()})
    return qs


def as_public(case: Case) -> PublicCase:
    finished = case.decided_at or case.completed_at
    return PublicCase(
        number=case.number,
        item=case.item.name,
        applicant=public_applicant(case.applicant.kind, case.applicant.name),
        status=NATIONAL_LABEL[NATIONAL_CODE[case.status]],
        accepted_on=timezone.localdate(case.accepted_at) if case.accepted_at else None,
        finished_on=timezone.localdate(finished) if finished else None,
    )
