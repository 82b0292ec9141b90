from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "govhall.staffing"
    label = "staffing"
    verbose_name = _("Staff on duty")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.staffing.events import StaffingEvent

        register_events(StaffingEvent)
