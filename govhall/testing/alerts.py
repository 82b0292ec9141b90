"""Alerts for the inbox tests: one alert on a window, without running a scan."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from govhall.core.models import User
from govhall.org.models import Window
from govhall.supervision.models import Alert, AlertRule

DAY = datetime.date(2025, 10, 15)


def make_alert(
    window: Window,
    responsible: User | None,
    *,
    code: str = "case_deadline.red",
    **fields: Any,
) -> Alert:
    """A live alert of rule `code` at `window` (its center, first department) on `responsible`."""
    rule = AlertRule.objects.get(code=code)
    values: dict[str, Any] = {
        "rule": rule,
        "level": rule.level,
        "subject_key": f"test:{uuid.uuid4().hex[:12]}",
        "center_id": window.center_id,
        "department": window.departments.first(),
        "window": window,
        "responsible": responsible,
        "occurred_on": DAY,
        "detail": "办件超过承诺时限",
        "raised_at": timezone.now(),
        "points": rule.points,
        "is_violation": rule.counts_as_violation,
        "batch": uuid.uuid4().hex,
    }
    values.update(fields)
    return Alert.objects.create(**values)
