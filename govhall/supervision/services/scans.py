"""Every supervision scan, run together by the beat task and `govhall supervise`.

Entry point:
def run_scans(*, now=None, full=False) -> dict[str, int]

Each scan is `scan(*, now, full) -> ScanResult`-like (it has `raised` and `withdrawn`) and lives in
its own module of `services/`; it is idempotent and safe with a concurrent run of itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from govhall.supervision.services.scan import scan_case_deadlines

Scan = Callable[..., Any]

# name → scan; the order is the order they run in.
SCANS: dict[str, Scan] = {
    "case_deadline": scan_case_deadlines,
}


def run_scans(*, now: datetime.datetime | None = None, full: bool = False) -> dict[str, int]:
    """Run every scan as of `now` (default: the clock); the alerts each raised, by name."""
    return {name: scan(now=now, full=full).raised for name, scan in SCANS.items()}
