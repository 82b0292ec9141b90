from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "govhall.feedback"
    label = "feedback"
    verbose_name = _("Citizens' voice")

    def ready(self) -> None:
        from govhall.core.events import register_events
        from govhall.core.notify import register_purposes
        from govhall.feedback.events import FeedbackEvent
        from govhall.feedback.purposes import FeedbackPurpose

        register_events(FeedbackEvent)
        register_purposes(FeedbackPurpose)

        # Wiring: the overdue scans join the supervision registry (supervision never imports
        # feedback, its peer in layer 4).
        from govhall.feedback.services.scans import FEEDBACK_SCANS
        from govhall.supervision.services.scans import SCANS

        SCANS.update(FEEDBACK_SCANS)
