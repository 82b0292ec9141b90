from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "govhall.catalog"
    label = "catalog"
    verbose_name = _("Service catalog")

    def ready(self) -> None:
        from govhall.catalog.events import CatalogEvent
        from govhall.core.events import register_events

        register_events(CatalogEvent)
