from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class DutyKind(models.TextChoices):
    LUNCH = "lunch", _("Lunch duty")  # 午间值班
    LEADER = "leader", _("Leader on duty")  # 领导带班


class DutyAssignment(TimeStampedModel):
    """Who is on lunch duty, and which leader is on duty, in a center on a day."""

    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("duty"), max_length=16, choices=DutyKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duties"
    )
    window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["center", "date", "kind"]
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty roster")
        indexes = [models.Index(fields=["center", "date"], name="duty_center_day_idx")]
        constraints = [
            models.UniqueConstraint(fields=["center", "date", "kind", "user"], name="duty_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["lunch", "leader"]), name="duty_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.user}"


class LeaderVisit(TimeStampedModel):
    """A department leader's visit to their window (at least 3 a month, seeds/001…)."""

    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField(_("visited at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("leader visit")
        verbose_name_plural = _("leader visits")
        indexes = [models.Index(fields=["department", "visited_at"], name="visit_dept_idx")]

    def __str__(self) -> str:
        return f"{self.leader} {self.visited_at:%Y-%m-%d}"
