"""Daily case rollups: one row per (local day, center, department, window, staff, item, kind,
channel) with the counts and sums every case figure is made of (`govhall.stats.figures`).

A case contributes to the day it was received, the day it was accepted and the day it was
completed (decided); each figure is a SUM over rows, so any period, any dimension and any
subtree is one indexed aggregate over this table, never a scan of the cases.

Written only by `govhall.stats.services.rollups` (rebuild of a center's days; the worker's
incremental run and the `stats_rebuild` command).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The counters of a row, in the order the services fill them.
COUNTERS = (
    "received",
    "accepted",
    "completed",
    "on_time",
    "early",
    "overdue",
    "immediate",
    "online",
    "full_online",
    "visits_sum",
    "visits_0",
    "visits_1",
    "visits_2",
    "days_used_sum",
    "legal_days_sum",
    "promised_days_sum",
)


class CaseDayRollup(models.Model):
    day = models.DateField(_("day"))
    center_id = models.BigIntegerField(_("center"))
    department_id = models.BigIntegerField(_("department"))
    window_id = models.BigIntegerField(_("window"), null=True, blank=True)
    staff_id = models.BigIntegerField(_("staff member"), null=True, blank=True)
    item_id = models.BigIntegerField(_("service item"))
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    channel = models.CharField(_("channel"), max_length=16)

    # Received that day (and of those: immediate, applied online, 全程网办, visits).
    received = models.PositiveIntegerField(default=0)
    immediate = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    full_online = models.PositiveIntegerField(default=0)
    visits_sum = models.PositiveIntegerField(default=0)
    visits_0 = models.PositiveIntegerField(default=0)
    visits_1 = models.PositiveIntegerField(default=0)
    visits_2 = models.PositiveIntegerField(default=0)
    # Accepted that day.
    accepted = models.PositiveIntegerField(default=0)
    # Completed (decided) that day, and of those: on time / early / overdue, and the sums of
    # working days used, legal and promised limits.
    completed = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    days_used_sum = models.PositiveIntegerField(default=0)
    legal_days_sum = models.PositiveIntegerField(default=0)
    promised_days_sum = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily case rollup")
        verbose_name_plural = _("daily case rollups")
        indexes = [
            models.Index(fields=["center_id", "day"], name="stats_rollup_center_day_idx"),
            models.Index(fields=["department_id", "day"], name="stats_rollup_dept_day_idx"),
            models.Index(fields=["day"], name="stats_rollup_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} center {self.center_id} item {self.item_id}"


class RollupCursor(models.Model):
    """Where the worker's incremental run stopped: the last event id it has read."""

    name = models.CharField(max_length=32, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"
