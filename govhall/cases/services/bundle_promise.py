"""The promise of a 一件事 application (issue 19 item 5): `promised_days` working days of the
center calendar from the first acceptance of one of its cases; set once, by that acceptance."""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.cases.models import Case, CaseBundle
from govhall.workdays.queries.calendar import calendar_for


def bundle_promise_start(*, case: Case, at: datetime.datetime | None = None) -> None:
    """Called when `case` is accepted: the first acceptance of its bundle starts the promise."""
    if case.bundle_id is None:
        return
    day = timezone.localdate(at or case.accepted_at or timezone.now())
    bundle = CaseBundle.objects.select_for_update().filter(pk=case.bundle_id).first()
    if bundle is None or bundle.promised_due_on is not None:
        return
    bundle.promised_due_on = calendar_for(bundle.center_id).add_workdays(day, bundle.promised_days)
    bundle.save(update_fields=["promised_due_on"])
