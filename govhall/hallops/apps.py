from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallOpsConfig(AppConfig):
    name = "govhall.hallops"
    label = "hallops"
    verbose_name = _("Joint meetings and emergencies")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.hallops.events import HallOpsEvent

        register_events(HallOpsEvent)
