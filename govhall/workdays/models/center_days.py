"""Per-center overrides of the calendar: closures and extra working days (SPEC §4).

The workdays app sits in layer 1, below org, so a center is referred to by its id only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class CenterDay(TimeStampedModel):
    """A per-center override: a closure (outage, disaster) or an extra working day."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        EXTRA_WORKDAY = "extra_workday", _("Extra working day")

    center_id = models.BigIntegerField(_("center"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    # Issue 16 item 9: set by a center above for its whole subtree (the id of that center), or
    # None for the center's own entry. A cascade replaces only its own copies, never an own entry.
    cascaded_from = models.BigIntegerField(_("applied from center"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["center_id", "date"]
        verbose_name = _("center calendar override")
        verbose_name_plural = _("center calendar overrides")
        constraints = [
            models.UniqueConstraint(fields=["center_id", "date"], name="center_day_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["closed", "extra_workday"]), name="center_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
