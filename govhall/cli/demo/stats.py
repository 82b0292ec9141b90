"""Demo statistics (issue 18 items 1, 6): bring the daily case rollups up to date with the demo
cases, as the worker does every minute (the first run rebuilds them all), so the case figures
page has its numbers at once. Idempotent."""

from __future__ import annotations

from govhall.stats.services.rollups import refresh_changed


def load_demo_stats() -> int:
    """Returns the number of cases looked at."""
    return refresh_changed()
