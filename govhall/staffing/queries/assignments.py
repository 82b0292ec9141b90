"""Reading window-staff records: assignment history and return-to-department warnings.

退回制度 (seeds/001…, seeds/002…): a window staff member is returned to their department after a
failed annual assessment, 2 verified complaints or 2 criticism notices within 12 months, or 3
times rated most unsatisfactory within 12 months.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.models.assignment import Assignment, StaffFact, StaffFactKind

# kind → how many facts within the last 12 months make a person due for return.
RETURN_THRESHOLDS: dict[str, int] = {
    StaffFactKind.FAILED_ANNUAL_ASSESSMENT: 1,
    # GOVHALL_COMPLAINTS_FOR_RETURN (default 2), read when counting: `return_threshold`.
    StaffFactKind.VERIFIED_COMPLAINT: settings.GOVHALL_COMPLAINTS_FOR_RETURN,
    StaffFactKind.CRITICISM_NOTICE: 2,
    StaffFactKind.MOST_UNSATISFACTORY: 3,
}
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
    return _("Rated most unsatisfactory %(count)d times in 12 months") % {"count": count}


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
    in_window = Q(staff_facts__occurred_on__gte=since, staff_facts__occurred_on__lte=today)
    counted = users.annotate(
        **{
            _COUNT_NAMES[kind]: Count("staff_facts", filter=in_window & Q(staff_facts__kind=kind))
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
        for fact in StaffFact.objects.filter(
            user__in=[w.user.pk for w in warnings], occurred_on__gte=since, occurred_on__lte=today
        ).order_by("-occurred_on", "-id"):
            by_user[fact.user_id].append(fact)
        for warning in warnings:
            warning.facts = by_user[warning.user.pk]
    return warnings
