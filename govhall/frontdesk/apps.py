from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "govhall.frontdesk"
    label = "frontdesk"
    verbose_name = _("Front desk")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.core.notify import register_purposes
        from govhall.frontdesk.events import FrontdeskEvent
        from govhall.frontdesk.purposes import FrontdeskPurpose

        register_events(FrontdeskEvent)
        register_purposes(FrontdeskPurpose)
