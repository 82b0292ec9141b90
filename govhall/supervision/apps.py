from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "govhall.supervision"
    label = "supervision"
    verbose_name = _("Electronic supervision")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.core.notify import register_purposes
        from govhall.supervision.events import SupervisionEvent
        from govhall.supervision.purposes import SupervisionPurpose

        register_events(SupervisionEvent)
        register_purposes(SupervisionPurpose)
