from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "govhall.online"
    label = "online"
    verbose_name = _("Online hall")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.online.events import OnlineEvent

        register_events(OnlineEvent)
