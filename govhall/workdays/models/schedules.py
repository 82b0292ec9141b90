"""National schedules imported for years the calendar package lacks (SPEC §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
