"""National schedules imported for years the calendar package lacks, and per-center overrides.

The workdays app sits in layer 1, below org, so a center is referred to by its id only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class ScheduleYear(TimeStampedModel):
    """A year whose national schedule (放假安排) was imported by an administrator.

    An imported year takes precedence over the chinesecalendar package for that year.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("imported national schedule")
        verbose_name_plural = _("imported national schedules")

    def __str__(self) -> str:
        return str(self.year)


class ScheduleDay(models.Model):
    """An exception to the weekend rule in an imported year: a holiday on a weekday, or a
    make-up working day (调休) on a weekend."""

    schedule = models.ForeignKey(ScheduleYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("schedule day")
        verbose_name_plural = _("schedule days")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class CenterDay(TimeStampedModel):
    """A per-center override: a closure (outage, disaster) or an extra working day."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        EXTRA_WORKDAY = "extra_workday", _("Extra working day")

    center_id = models.BigIntegerField(_("center"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
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


class CalendarRevision(models.Model):
    """A single counter bumped on every calendar change, so every process drops its cache."""

    value = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.value)
