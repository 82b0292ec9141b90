"""Case numbers: the counter behind them."""

from __future__ import annotations

from django.db import models


class CaseNumberCounter(models.Model):
    """The last serial handed out per prefix and day; bumped under a row lock, never reused."""

    prefix = models.CharField(max_length=32)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["prefix", "day"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d}:{self.last}"
