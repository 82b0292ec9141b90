"""What the supervision module's messages are for (the outbox's 用途), registered in
SupervisionConfig.ready through govhall.core.notify.register_purposes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionPurpose(models.TextChoices):
    ALERT = "supervision.alert", _("Supervision alert reminder")
    ALERT_DECISION = "supervision.alert_decision", _("Alert explanation decision")
    CRITICISM_NOTICE = "supervision.criticism_notice", _("Notice of public criticism")
    TIMEOUT_DEFAULT = "supervision.timeout_default", _("Timeout default notice")
