"""Every supervision scan, run together by the beat task and `govhall supervise`.

Entry points:
def run_scans(*, now=None, full=False) -> dict[str, int]
def run_scans_results(*, now=None, full=False) -> dict[str, ScanResult-like]

Each scan is `scan(*, now, full) -> ScanResult`-like (it has `raised` and `withdrawn`) and lives in
its own module of `services/`; it is idempotent and safe with a concurrent run of itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from govhall.supervision.services.case_rules_scan import scan_case_rules
from govhall.supervision.services.frontdesk_scan import scan_front_desk
from govhall.supervision.services.patrol_missing import scan_patrol_missing
from govhall.supervision.services.people_scan import scan_people
from govhall.supervision.services.scan import scan_case_deadlines
from govhall.supervision.services.step_scan import scan_case_steps
from govhall.supervision.services.timeout_default import scan_timeout_defaults

Scan = Callable[..., Any]

# name → scan; the order is the order they run in.
SCANS: dict[str, Scan] = {
    "case_deadline": scan_case_deadlines,
    # timeout default first: a step it passes is no longer over its limit for the step scan
    "timeout_default": scan_timeout_defaults,
    "case_step": scan_case_steps,
    "case_events": scan_case_rules,
    "patrol_missing": scan_patrol_missing,
    "people": scan_people,
    "front_desk": scan_front_desk,
}


def run_scans_results(
    *, now: datetime.datetime | None = None, full: bool = False
) -> dict[str, Any]:
    """Run every scan as of `now` (default: the clock); each scan's result (with `raised` and
    `withdrawn`), by name — what `govhall supervise` reports."""
    return {name: scan(now=now, full=full) for name, scan in SCANS.items()}


def run_scans(*, now: datetime.datetime | None = None, full: bool = False) -> dict[str, int]:
    """Run every scan as of `now` (default: the clock); the alerts each raised, by name."""
    return {name: result.raised for name, result in run_scans_results(now=now, full=full).items()}
