from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "govhall.org"
    label = "org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        # The calendar (layer 1) learns from here who manages which center (issue 12 item 2).
        from govhall.org.access import manages_center
        from govhall.workdays.permissions import register_center_rule

        register_center_rule(manages_center)
