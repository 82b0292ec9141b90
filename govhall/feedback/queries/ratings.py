"""Reading ratings (好差评, issue 15 item 1): what a rating page shows of the service rated, and
the rating office's list with its filters.

Entry points:
def occasion_facts(*, center_id, item_id, window_id, staff_id, moment) -> OccasionFacts
def rating_list(user, filters) -> RatingQuerySet
def rating_rows(ratings) -> list[RatingRow]   (names and phones masked)
def rateable_case_id(number, now=None) -> int | None
def phone_entry_occasions(user, text) -> list[FoundOccasion]
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.idnumbers import mask_name, mask_phone
from govhall.core.models import User
from govhall.feedback.access.ratings import can_enter_ratings, ratings_in_scope
from govhall.feedback.models import BAD_LEVELS, Rating
from govhall.feedback.models.ratings import RatingQuerySet
from govhall.feedback.queries.rating_figures import month_bounds
from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Window
from govhall.workdays.queries.calendar import day_start


@dataclass(frozen=True)
class OccasionFacts:
    """What the citizen sees of the service they rate: where, what, who served them (their
    public name and staff number, 挂牌)."""

    center: str
    item: str
    window: str
    staff_name: str
    staff_number: str
    moment: datetime.datetime | None


def occasion_facts(
    *,
    center_id: int,
    item_id: int | None,
    window_id: int | None,
    staff_id: int | None,
    moment: datetime.datetime | None,
) -> OccasionFacts:
    center = Center.objects.filter(pk=center_id).values_list("name", flat=True).first() or ""
    item = (
        ServiceItem.objects.filter(pk=item_id).values_list("name", flat=True).first()
        if item_id
        else None
    )
    window = (
        Window.objects.filter(pk=window_id).values("number", "name").first() if window_id else None
    )
    staff: dict[str, Any] = {}
    if staff_id:
        staff = dict(
            User.objects.filter(pk=staff_id).values("full_name", "staff__staff_number").first()
            or {}
        )
    return OccasionFacts(
        center=center,
        item=item or "",
        window=f"{window['number']}号 {window['name']}" if window else "",
        staff_name=staff.get("full_name") or "",
        staff_number=staff.get("staff__staff_number") or "",
        moment=moment,
    )


@dataclass(frozen=True)
class RatingFilters:
    """The list's filters, parsed (None: not filtered)."""

    year: int | None = None
    month: int | None = None
    level: int | None = None
    window_id: int | None = None
    department_id: int | None = None
    bad_only: bool = False


def rating_list(user: object, filters: RatingFilters) -> RatingQuerySet:
    """The ratings of the user's scope (see `access/ratings.py`), newest first, filtered."""
    qs = ratings_in_scope(user).select_related(
        "center", "item", "department", "window", "staff", "case", "ticket"
    )
    if filters.year and filters.month:
        start, end = month_bounds(filters.year, filters.month)
        qs = qs.filter(rated_at__gte=start, rated_at__lt=end)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.window_id:
        qs = qs.filter(window_id=filters.window_id)
    if filters.department_id:
        qs = qs.filter(department_id=filters.department_id)
    if filters.bad_only:
        qs = qs.filter(Q(level__in=BAD_LEVELS))
    return qs.order_by("-rated_at", "-id")


@dataclass(frozen=True)
class RatingRow:
    """One line of a list: the person's name and phone masked."""

    rating: Rating
    rater_name: str
    rater_phone: str
    counts: bool


def masked(rating: Rating) -> dict[str, Any]:
    return {
        "rater_name": mask_name(rating.rater_name) if rating.rater_name else "",
        "rater_phone": mask_phone(rating.rater_phone) if rating.rater_phone else "",
    }


def rating_rows(ratings: list[Rating]) -> list[RatingRow]:
    superseded = set(
        Rating.objects.filter(supersedes__in=[r.pk for r in ratings]).values_list(
            "supersedes_id", flat=True
        )
    )
    return [
        RatingRow(
            rating=r,
            counts=not r.excluded and r.pk not in superseded,
            **masked(r),
        )
        for r in ratings
    ]


def rateable_case_id(number: str, now: datetime.datetime | None = None) -> int | None:
    """The id of the case `number` when it can be rated online now (一事一评: delivered, within
    the supplementary limit, not rated yet), for the progress page's rating link; else None."""
    today = timezone.localdate(now or timezone.now())
    earliest = day_start(today - datetime.timedelta(days=settings.GOVHALL_RATING_SUPPLEMENT_DAYS))
    rated = Rating.objects.filter(
        occasion=Concat(Value("case:"), Cast(OuterRef("pk"), CharField())),
        supersedes__isnull=True,
    )
    return (
        Case.objects.filter(number=number, status=CaseStatus.DELIVERED, delivered_at__gte=earliest)
        .exclude(Exists(rated))
        .values_list("pk", flat=True)
        .first()
    )


@dataclass(frozen=True)
class FoundOccasion:
    """A ticket or case of the user's scope that a phone rating could be entered for."""

    kind: str  # "ticket" / "case"
    pk: int
    label: str  # the case number / ticket number and day
    detail: str  # the item or the queue group
    moment: datetime.datetime | None
    rated: bool


SEARCH_LIMIT = 20


def phone_entry_occasions(user: object, text: str) -> list[FoundOccasion]:
    """Finished tickets (by number, of the last GOVHALL_RATING_SUPPLEMENT_DAYS days) and
    delivered cases (by case number) of the user's scope matching `text`, newest first."""
    text = (text or "").strip().upper()
    if not text or not can_enter_ratings(user):
        return []
    scope = scope_of(user)
    centers = centers_in_scope(user)
    oldest = timezone.localdate() - datetime.timedelta(days=settings.GOVHALL_RATING_SUPPLEMENT_DAYS)
    cases = Case.objects.filter(
        center__in=centers, status=CaseStatus.DELIVERED, number__icontains=text
    )
    tickets = Ticket.objects.filter(
        center__in=centers, status=TicketStatus.DONE, number=text, service_date__gte=oldest
    )
    if scope.department_id is not None:
        cases = cases.filter(department_id=scope.department_id)
        tickets = tickets.filter(group__department_id=scope.department_id)
    rated = set(
        Rating.objects.filter(
            supersedes__isnull=True,
            occasion__in=[f"case:{pk}" for pk in cases.values_list("pk", flat=True)[:SEARCH_LIMIT]]
            + [f"ticket:{pk}" for pk in tickets.values_list("pk", flat=True)[:SEARCH_LIMIT]],
        ).values_list("occasion", flat=True)
    )
    found = [
        FoundOccasion("case", c.pk, c.number, c.item.name, c.delivered_at, f"case:{c.pk}" in rated)
        for c in cases.select_related("item").order_by("-delivered_at")[:SEARCH_LIMIT]
    ]
    found += [
        FoundOccasion(
            "ticket",
            t.pk,
            f"{t.number} · {t.service_date:%Y-%m-%d}",
            t.group.name,
            t.finished_at,
            f"ticket:{t.pk}" in rated,
        )
        for t in tickets.select_related("group").order_by("-finished_at")[:SEARCH_LIMIT]
    ]
    return found
