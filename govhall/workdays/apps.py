from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "govhall.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.workdays.events import WorkdaysEvent

        register_events(WorkdaysEvent)
