"""Assessment tests: alerts raised the way the scans raise them (`raise_alerts`), on a person
responsible of the test's choosing (B when B covered)."""

from __future__ import annotations

import datetime
import itertools

from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.supervision.models import Alert, AlertRule
from govhall.supervision.services.raising import AlertDraft, raise_alerts
from govhall.testing.cases import local
from govhall.testing.supervision import ensure_default_rules

_keys = itertools.count(1)


def raise_alert(
    code: str,
    *,
    center: Center,
    responsible: User,
    day: datetime.date,
    window: Window | None = None,
) -> Alert:
    """Raise one alert of the rule `code` on `responsible` for `day` through the scans' service."""
    ensure_default_rules()
    rule = AlertRule.objects.get(code=code)
    key = f"test:{next(_keys)}"
    raise_alerts(
        rule,
        [
            AlertDraft(
                subject_key=key,
                center_id=center.pk,
                occurred_on=day,
                detail=f"{code} {day}",
                window_id=window.pk if window else None,
                responsible_id=responsible.pk,
            )
        ],
        moment=local(day.year, day.month, day.day),
        batch=key,
    )
    return Alert.objects.get(rule=rule, subject_key=key)
