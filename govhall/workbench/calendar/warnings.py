"""Banner text for years the national calendar does not cover (SPEC §4)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.org.models import Center
from govhall.workdays.queries.calendar import calendar_for


def calendar_warnings(center: Center | None) -> list[str]:
    today = timezone.localdate()
    calendar = calendar_for(center.pk if center else None)
    # Deadlines reach into next year from autumn on, so next year matters as well.
    missing = calendar.uncovered_years([today.year, today.year + 1])
    return [
        _(
            "The national holiday schedule for %(year)s is not loaded: weekends only are used "
            "until an administrator imports it."
        )
        % {"year": year}
        for year in missing
    ]
