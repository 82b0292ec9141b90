from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "govhall.org"
    label = "org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        # The calendar (layer 1) learns from here who manages which center (issue 12 item 2).
        from govhall.core.events import register_events
        from govhall.core.notify import register_purposes
        from govhall.org.access.standing import manages_center
        from govhall.org.events import OrgEvent
        from govhall.org.purposes import OrgPurpose
        from govhall.org.queries.centers import active_centers_below
        from govhall.workdays.access.calendar import register_center_rule, register_centers_below

        register_events(OrgEvent)
        register_purposes(OrgPurpose)
        register_center_rule(manages_center)
        register_centers_below(active_centers_below)
