from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "govhall.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from govhall.core.events import CoreEvent, register_events
        from govhall.core.forms import use_translated_empty_choice
        from govhall.core.staticfiles import ignore_unused_vendor_files

        register_events(CoreEvent)
        use_translated_empty_choice()
        ignore_unused_vendor_files()
