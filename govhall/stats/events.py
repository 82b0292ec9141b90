"""Every event name the stats app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `StatsConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatsEvent(models.TextChoices):
    # Period reports (通报, issue 18 item 4)
    REPORT_GENERATE = "stats_report.generate", _("Period report generated")
