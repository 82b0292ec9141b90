"""Rate-limit windows counted in the database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """One fixed window of a rate limit (govhall/core/ratelimit.py): how many hits `key` had
    from `window_start` to `window_end` (Unix seconds). Raised by one atomic upsert; old rows
    are pruned by the worker."""

    key = models.CharField(_("key"), max_length=200)
    window_start = models.BigIntegerField(_("window start"))
    window_end = models.BigIntegerField(_("window end"), db_index=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start} {self.count}"
