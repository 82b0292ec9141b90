"""Every event name the supervision app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `SupervisionConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionEvent(models.TextChoices):
    ALERT_RAISE = "alert.raise", _("Supervision alert raised")
    ALERT_WITHDRAW = "alert.withdraw", _("Supervision alert withdrawn")
    ALERT_RULE_UPDATE = "alert_rule.update", _("Supervision rule changed")
    # Notices of criticism and efficiency warnings (通报批评 / 效能告诫)
    CRITICISM_NOTICE_ISSUE = "criticism_notice.issue", _("Notice of criticism issued")
    # The alert inbox (alert_transitions.py)
    ALERT_ACKNOWLEDGE = "alert.acknowledge", _("Supervision alert acknowledged")
    ALERT_EXPLAIN = "alert.explain", _("Explanation given on a supervision alert")
    ALERT_ACCEPT = "alert.accept", _("Explanation accepted, points restored")
    ALERT_UPHOLD = "alert.uphold", _("Supervision alert upheld")
    # Patrols (每日巡查)
    PATROL_ROUND_START = "patrol_round.start", _("Patrol round started")
    PATROL_VISIT_RECORD = "patrol_visit.record", _("Window checked on a patrol")
    PATROL_FINDING_ADD = "patrol_finding.add", _("Patrol finding recorded")
    PATROL_ROUND_FINISH = "patrol_round.finish", _("Patrol round finished")
