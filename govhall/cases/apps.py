from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "govhall.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Open deadlines follow the calendar: recompute them when it changes (SPEC §4).
        from govhall.cases.events import AgencyEvent, CaseEvent, LibraryEvent, LicenceEvent
        from govhall.cases.purposes import CasePurpose
        from govhall.cases.services import clock
        from govhall.core.events import register_events
        from govhall.core.notify import register_purposes
        from govhall.workdays.services.changes import on_calendar_change

        register_events(CaseEvent)
        register_events(LibraryEvent)
        register_events(LicenceEvent)
        register_events(AgencyEvent)
        register_purposes(CasePurpose)
        on_calendar_change(clock.on_calendar_change)
