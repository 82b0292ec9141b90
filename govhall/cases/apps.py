from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "govhall.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Open deadlines follow the calendar: recompute them when it changes (SPEC §4).
        from govhall.cases.services import clock
        from govhall.workdays.changes import on_calendar_change

        on_calendar_change(clock.on_calendar_change)
