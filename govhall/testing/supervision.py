"""Supervision tests: scanning on a given day, the live levels of a case, promised times and
changes that write their event as a case action would."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from django.apps import apps

from govhall.cases.models import Case
from govhall.core.events import record_event
from govhall.supervision.models import Alert
from govhall.supervision.services.scan import scan_case_deadlines
from govhall.supervision.services.scanning import ScanResult
from govhall.testing.cases import local
from govhall.workdays.queries.calendar import calendar_for

START = datetime.date(2025, 9, 30)  # clock starts after Tue 2025-09-30 (National Day follows)


def scan(day: datetime.date, **kwargs: Any) -> ScanResult:
    return scan_case_deadlines(now=local(day.year, day.month, day.day), **kwargs)


def live(case: Case) -> set[str]:
    return set(Alert.objects.live().filter(case=case).values_list("level", flat=True))


def promise(case: Case, days: int, *, extension: int = 0) -> Case:
    """Give the case `days` promised working days (+ `extension`) from START."""
    case.promised_days = days
    case.extension_days = extension
    case.promised_due_on = calendar_for(None).add_workdays(START, days + extension)
    case.save(update_fields=["promised_days", "extension_days", "promised_due_on"])
    return case


def changed(case: Case, **fields: Any) -> Case:
    """Change the case as an action would: the fields, and an event on the case."""
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=list(fields))
    record_event(actor=None, action="case.extend", obj=case, center_id=case.center_id)
    return case


def ensure_default_rules() -> None:
    """Put back the default rules of the data migration (a transactional test elsewhere in the
    session flushes them); idempotent."""
    seeds = importlib.import_module("govhall.supervision.migrations.0002_default_rules")
    seeds.seed(apps, None)
    more = importlib.import_module("govhall.supervision.migrations.0004_more_default_rules")
    more.seed(apps, None)
    feedback = importlib.import_module("govhall.supervision.migrations.0006_feedback_subjects")
    feedback.seed(apps, None)
