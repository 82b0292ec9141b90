"""Every supervision scan, run together by the beat task and `govhall supervise`.

Entry points:
def run_scans(*, now=None, full=False) -> dict[str, int]
def run_scans_results(*, now=None, full=False) -> dict[str, ScanResult-like]

Each scan is `scan(*, now, full) -> ScanResult`-like (it has `raised` and `withdrawn`) and lives in
its own module of `services/`; it is idempotent and safe with a concurrent run of itself. The
registry keeps it with its name in words (what `govhall supervise` prints): the label of its
subject when it watches one, else a label of its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.supervision.models import AlertSubject
from govhall.supervision.services.case_rules_scan import scan_case_rules
from govhall.supervision.services.frontdesk_scan import scan_front_desk
from govhall.supervision.services.patrol_missing import scan_patrol_missing
from govhall.supervision.services.people_scan import scan_people
from govhall.supervision.services.scan import scan_case_deadlines
from govhall.supervision.services.step_scan import scan_case_steps
from govhall.supervision.services.timeout_default import scan_timeout_defaults

Scan = Callable[..., Any]


@dataclass(frozen=True)
class RegisteredScan:
    run: Scan
    label: str | Promise  # the scan in words (lazy: translated when printed)


# name → scan; the order is the order they run in.
SCANS: dict[str, RegisteredScan] = {
    "case_deadline": RegisteredScan(scan_case_deadlines, AlertSubject.CASE_DEADLINE.label),
    # timeout default first: a step it passes is no longer over its limit for the step scan
    "timeout_default": RegisteredScan(
        scan_timeout_defaults, _("Timeout default (overdue steps approved automatically)")
    ),
    "case_step": RegisteredScan(scan_case_steps, AlertSubject.CASE_STEP.label),
    "case_events": RegisteredScan(
        scan_case_rules, _("Case records (notices, overrides, reasons, fees, materials)")
    ),
    "patrol_missing": RegisteredScan(scan_patrol_missing, AlertSubject.PATROL_MISSING.label),
    "people": RegisteredScan(scan_people, _("Posts and attendance")),
    "front_desk": RegisteredScan(
        scan_front_desk, _("Front desk (first inquiries, off-hours requests)")
    ),
}


def run_scans_results(
    *, now: datetime.datetime | None = None, full: bool = False
) -> dict[str, Any]:
    """Run every scan as of `now` (default: the clock); each scan's result (with `raised` and
    `withdrawn`), by name — what `govhall supervise` reports."""
    return {name: scan.run(now=now, full=full) for name, scan in SCANS.items()}


def run_scans(*, now: datetime.datetime | None = None, full: bool = False) -> dict[str, int]:
    """Run every scan as of `now` (default: the clock); the alerts each raised, by name."""
    return {name: result.raised for name, result in run_scans_results(now=now, full=full).items()}
