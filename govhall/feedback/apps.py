from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "govhall.feedback"
    label = "feedback"
    verbose_name = _("Citizens' voice")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.feedback.events import FeedbackEvent

        register_events(FeedbackEvent)

        # Wiring: the overdue scans join the supervision registry (supervision never imports
        # feedback, its peer in layer 4).
        from govhall.feedback.services.scans import FEEDBACK_SCANS
        from govhall.supervision.services.scans import SCANS

        SCANS.update(FEEDBACK_SCANS)
