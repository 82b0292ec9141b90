"""The calendar revision every process compares its cached calendars against."""

from __future__ import annotations

from django.db import models


class CalendarRevision(models.Model):
    """A single counter bumped on every calendar change, so every process drops its cache."""

    value = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.value)
