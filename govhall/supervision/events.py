"""Every event name the supervision app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `SupervisionConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionEvent(models.TextChoices):
    ALERT_RAISE = "alert.raise", _("Supervision alert raised")
    ALERT_WITHDRAW = "alert.withdraw", _("Supervision alert withdrawn")
    ALERT_RULE_UPDATE = "alert_rule.update", _("Supervision rule changed")
