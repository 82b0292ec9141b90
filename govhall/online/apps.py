from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "govhall.online"
    label = "online"
    verbose_name = _("Online hall")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.core.notify import register_purposes
        from govhall.online.events import OnlineEvent
        from govhall.online.purposes import OnlinePurpose

        register_events(OnlineEvent)
        register_purposes(OnlinePurpose)

        # issue 19: what cases tells the applicant also reaches their accounts' pages
        from govhall.cases.signals import applicant_told
        from govhall.online.services.results import on_applicant_told

        applicant_told.connect(on_applicant_told, dispatch_uid="govhall.online.applicant_told")
