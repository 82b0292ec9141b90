"""An applicant's own ratings and complaints, for their page in the online hall (issue 19
item 3): ratings of their cases, complaints filed with their phone. Fixed query counts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.feedback.models import Complaint, Rating
from govhall.workdays.queries.calendar import day_start


def ratings_of_cases(case_ids: Iterable[int]) -> list[Rating]:
    """The current ratings (not superseded by a re-rating) of these cases, latest first."""
    ids = list(case_ids)
    if not ids:
        return []
    return list(
        Rating.objects.filter(case_id__in=ids, superseded_by__isnull=True)
        .select_related("case", "item")
        .order_by("-rated_at", "-id")[: settings.GOVHALL_MY_PAGE_MAX_ROWS]
    )


def rateable_case_ids(case_ids: Iterable[int], now: datetime.datetime | None = None) -> set[int]:
    """Which of these cases can be rated online now (the rule of `rateable_case_id`: delivered
    within the supplementary limit, not rated yet), in one query."""
    ids = list(case_ids)
    if not ids:
        return set()
    today = timezone.localdate(now or timezone.now())
    earliest = day_start(today - datetime.timedelta(days=settings.GOVHALL_RATING_SUPPLEMENT_DAYS))
    rated = Rating.objects.filter(
        occasion=Concat(Value("case:"), Cast(OuterRef("pk"), CharField())),
        supersedes__isnull=True,
    )
    return set(
        Case.objects.filter(pk__in=ids, status=CaseStatus.DELIVERED, delivered_at__gte=earliest)
        .exclude(Exists(rated))
        .values_list("pk", flat=True)
    )


def complaints_of(phone: str) -> list[Complaint]:
    """Complaints filed with this phone (not anonymous ones), latest first."""
    if not phone:
        return []
    return list(
        Complaint.objects.filter(complainant_phone=phone, anonymous=False)
        .select_related("center")
        .order_by("-received_at", "-id")[: settings.GOVHALL_MY_PAGE_MAX_ROWS]
    )
