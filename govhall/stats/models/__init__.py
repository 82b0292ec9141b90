"""The rollup tables of the statistics (SPEC §10, issue 18 items 1 and 6)."""

from govhall.stats.models.reports import ReportPeriod, ReportTrigger, StatsReport
from govhall.stats.models.rollups import CaseDayRollup, RollupCursor

__all__ = [
    "CaseDayRollup",
    "ReportPeriod",
    "ReportTrigger",
    "RollupCursor",
    "StatsReport",
]
