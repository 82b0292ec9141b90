"""Repeated violations (违规记录) as a return-to-department warning: window staff with at least
GOVHALL_ASSESSMENT_VIOLATIONS_FOR_RETURN alerts that count as violations within the 12 months
ending today (live and not excused: `Alert.objects.counting()`), each with those alerts.

The staffing rule (`staffing.queries.assignments.return_warnings`) reads hand-recorded or
assessment-recorded facts; this is its other input, read straight from the alerts, so nothing is
typed by hand for it. The return-warnings page shows both."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count

from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.queries.assignments import twelve_months_before
from govhall.supervision.models import Alert


@dataclass
class ViolationWarning:
    user: User
    count: int
    alerts: list[Alert] = field(default_factory=list)


def violation_warnings(center: Center, today: datetime.date) -> list[ViolationWarning]:
    threshold = settings.GOVHALL_ASSESSMENT_VIOLATIONS_FOR_RETURN
    since = twelve_months_before(today)
    violations = Alert.objects.counting().filter(
        is_violation=True,
        occurred_on__gte=since,
        occurred_on__lte=today,
        responsible__staff__center=center,
        responsible__staff__is_window_staff=True,
    )
    counts = dict(
        violations.order_by()
        .values("responsible_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold)
        .values_list("responsible_id", "n")
    )
    if not counts:
        return []
    by_user: dict[int, list[Alert]] = defaultdict(list)
    for alert in (
        violations.filter(responsible_id__in=counts)
        .select_related("rule")
        .order_by("-occurred_on", "-id")
    ):
        if alert.responsible_id is not None:
            by_user[alert.responsible_id].append(alert)
    users = User.objects.in_bulk(list(counts))
    return sorted(
        (ViolationWarning(user=users[pk], count=n, alerts=by_user[pk]) for pk, n in counts.items()),
        key=lambda w: (-w.count, w.user.username),
    )
