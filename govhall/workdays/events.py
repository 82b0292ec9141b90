"""Every event name the workdays app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Services pass these constants to
`record_event` (and name the `CalendarChange` they announce with them); the app registers the
class in `WorkdaysConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdaysEvent(models.TextChoices):
    SCHEDULE_IMPORT = "schedule.import", _("National holiday schedule imported")
    SCHEDULE_REMOVE = "schedule.remove", _("Imported national holiday schedule removed")
    CENTER_DAY_SET = "center_day.set", _("Closure or extra working day set")
    CENTER_DAY_REMOVE = "center_day.remove", _("Closure or extra working day removed")
