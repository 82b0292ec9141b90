from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "govhall.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from govhall.assessment.events import AssessmentEvent
        from govhall.core.events import register_events

        register_events(AssessmentEvent)
