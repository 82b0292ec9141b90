"""Reading window-staff records: assignment history and return-to-department warnings.

退回制度 (seeds/001…, seeds/002…): a window staff member is returned to their department after a
failed annual assessment, 2 verified complaints or 2 criticism notices within 12 months, one
exposure by media or inspection or one serious violation within 12 months (seeds/002… 二4), or 3
times rated most unsatisfactory, however long ago (seeds/001… 调整办法 五 sets no window).
Facts up to a return decision (ReturnDecision) are settled by it and no longer count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.models.assignment import (
    Assignment,
    ReturnDecision,
    StaffFact,
    StaffFactKind,
)

# kind → how many facts within the last 12 months make a person due for return.
RETURN_THRESHOLDS: dict[str, int] = {
    StaffFactKind.FAILED_ANNUAL_ASSESSMENT: 1,
    # GOVHALL_COMPLAINTS_FOR_RETURN (default 2), read when counting: `return_threshold`.
    StaffFactKind.VERIFIED_COMPLAINT: settings.GOVHALL_COMPLAINTS_FOR_RETURN,
    StaffFactKind.CRITICISM_NOTICE: 2,
    StaffFactKind.MOST_UNSATISFACTORY: 3,
    StaffFactKind.MEDIA_EXPOSURE: 1,
    StaffFactKind.SERIOUS_VIOLATION: 1,
}
# Kinds counted however long ago (the others count within the last 12 months).
WITHOUT_WINDOW: frozenset[str] = frozenset({StaffFactKind.MOST_UNSATISFACTORY})
_COUNT_NAMES = {kind: f"n_{kind}" for kind in RETURN_THRESHOLDS}


def return_threshold(kind: str) -> int:
    """How many facts of `kind` within 12 months make a person due for return (the complaints'
    number is the setting GOVHALL_COMPLAINTS_FOR_RETURN, read now)."""
    if kind == StaffFactKind.VERIFIED_COMPLAINT:
        return int(settings.GOVHALL_COMPLAINTS_FOR_RETURN)
    return RETURN_THRESHOLDS[kind]


def assignments_of(user: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(user=user)
        .select_related("department", "window", "center")
        .order_by("-starts_on", "-id")
    )


def current_assignment(user: User) -> Assignment | None:
    return assignments_of(user).filter(ends_on__isnull=True).first()


def twelve_months_before(today: datetime.date) -> datetime.date:
    """The first day still inside the 12 months ending `today`."""
    try:
        return today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)


@dataclass
class ReturnWarning:
    user: User
    reasons: list[str]
    counts: dict[str, int]
    facts: list[StaffFact] = field(default_factory=list)


def _reason(kind: str, count: int) -> str:
    if kind == StaffFactKind.FAILED_ANNUAL_ASSESSMENT:
        return _("Failed the annual assessment")
    if kind == StaffFactKind.VERIFIED_COMPLAINT:
        return _("%(count)d verified complaints in 12 months") % {"count": count}
    if kind == StaffFactKind.CRITICISM_NOTICE:
        return _("%(count)d criticism notices in 12 months") % {"count": count}
    if kind == StaffFactKind.MEDIA_EXPOSURE:
        return _("Exposed by media or inspection")
    if kind == StaffFactKind.SERIOUS_VIOLATION:
        return _("Serious violation")
    return _("Rated most unsatisfactory %(count)d times") % {"count": count}


def _counts(kind: str, since: datetime.date) -> Q:
    if kind in WITHOUT_WINDOW:
        return Q(staff_facts__kind=kind)
    return Q(staff_facts__kind=kind, staff_facts__occurred_on__gte=since)


def _last_return() -> Subquery:
    return Subquery(
        ReturnDecision.objects.filter(user=OuterRef("pk"))
        .order_by("-decided_on")
        .values("decided_on")[:1]
    )


def return_warnings(
    center_or_users: Center | QuerySet[User] | Iterable[User],
    today: datetime.date,
    *,
    with_facts: bool = True,
) -> list[ReturnWarning]:
    """The people due to be returned to their department, each with the reasons and (with
    `with_facts`) the facts behind them. Counting is one aggregate query; facts one more."""
    since = twelve_months_before(today)
    if isinstance(center_or_users, Center):
        # The rule concerns window staff (窗口工作人员); others are not stationed anywhere.
        users = User.objects.filter(staff__center=center_or_users, staff__is_window_staff=True)
    elif isinstance(center_or_users, QuerySet):
        users = center_or_users
    else:
        users = User.objects.filter(pk__in=[u.pk for u in center_or_users])
    unsettled = Q(staff_facts__occurred_on__lte=today) & (
        Q(last_return__isnull=True) | Q(staff_facts__occurred_on__gt=F("last_return"))
    )
    counted = users.annotate(last_return=_last_return()).annotate(
        **{
            _COUNT_NAMES[kind]: Count("staff_facts", filter=unsettled & _counts(kind, since))
            for kind in RETURN_THRESHOLDS
        }
    )
    due = Q()
    for kind in RETURN_THRESHOLDS:
        due |= Q(**{f"{_COUNT_NAMES[kind]}__gte": return_threshold(kind)})
    warnings: list[ReturnWarning] = []
    for user in counted.filter(due).order_by("username"):
        counts = {kind: int(getattr(user, _COUNT_NAMES[kind])) for kind in RETURN_THRESHOLDS}
        reasons = [
            _reason(kind, counts[kind])
            for kind in RETURN_THRESHOLDS
            if counts[kind] >= return_threshold(kind)
        ]
        warnings.append(ReturnWarning(user=user, reasons=reasons, counts=counts))
    if with_facts and warnings:
        by_user: dict[int, list[StaffFact]] = defaultdict(list)
        settled = {w.user.pk: getattr(w.user, "last_return", None) for w in warnings}
        for fact in StaffFact.objects.filter(
            Q(occurred_on__gte=since) | Q(kind__in=WITHOUT_WINDOW),
            user__in=[w.user.pk for w in warnings],
            occurred_on__lte=today,
        ).order_by("-occurred_on", "-id"):
            last = settled.get(fact.user_id)
            if last is None or fact.occurred_on > last:
                by_user[fact.user_id].append(fact)
        for warning in warnings:
            warning.facts = by_user[warning.user.pk]
    return warnings
