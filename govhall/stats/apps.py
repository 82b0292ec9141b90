from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "govhall.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.stats.events import StatsEvent

        register_events(StatsEvent)
