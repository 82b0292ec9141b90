from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "govhall.frontdesk"
    label = "frontdesk"
    verbose_name = _("Front desk")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.frontdesk.events import FrontdeskEvent

        register_events(FrontdeskEvent)
