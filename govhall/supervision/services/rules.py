"""Changing a supervision rule's thresholds, points and who is told, within safe bounds.

Entry point:
def alert_rule_update(*, actor, rule, **changes) -> AlertRule
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.supervision.access.rules import can_edit_alert_rules
from govhall.supervision.events import SupervisionEvent
from govhall.supervision.models import AlertLevel, AlertRule, AlertSubject
from govhall.supervision.services.scan import forget_scan_state

# Safe bounds: a reminder 0 (the day itself) to 10 working days ahead; a yellow card after half
# to 99% of the promised time; at most 20 of the month's 100 points, in half points.
REMINDER_DAYS = (0, 10)
# Minutes tolerated (an empty post, lateness, early leave): none to four hours. Days before an
# inquiry follow-up or an off-hours request counts as overdue: 1 to 10 working days.
MINUTES = (0, 240)
OVERDUE_DAYS = (1, 10)
MINUTE_SUBJECTS = frozenset(
    {AlertSubject.POST_EMPTY, AlertSubject.LATE_SIGN_IN, AlertSubject.EARLY_LEAVE}
)
DAY_SUBJECTS = frozenset({AlertSubject.INQUIRY_OVERDUE, AlertSubject.OFF_HOURS_OVERDUE})
# Where a yellow card's share of the promised time means something.
PERCENT_SUBJECTS = frozenset({AlertSubject.CASE_DEADLINE, AlertSubject.CASE_STEP})
YELLOW_PERCENT = (50, 99)
MAX_POINTS = Decimal("20")
POINT_STEP = Decimal("0.5")

FLAGS = (
    "counts_as_violation",
    "notify_responsible",
    "notify_window_head",
    "notify_department_leader",
    "notify_director",
    "is_active",
)


def _points(errors: FieldErrors, value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add("points", _("Enter a number of points such as 2 or 0.5."))
        return None
    if not points.is_finite() or points < 0 or points > MAX_POINTS or points % POINT_STEP:
        errors.add(
            "points",
            _("Points go from 0 to %(max)s in steps of %(step)s.")
            % {"max": MAX_POINTS, "step": POINT_STEP},
        )
        return None
    return points


def alert_rule_update(
    *,
    actor: User,
    rule: AlertRule,
    threshold_days: object = None,
    threshold_percent: object = None,
    threshold_minutes: object = None,
    points: object = None,
    **flags: object,
) -> AlertRule:
    """Change what is given (None: unchanged). Refused with 404 for anyone but a manager of a
    whole center tree; every problem is reported at once; the change is logged and the next scan
    is a full one under the new thresholds."""
    if not can_edit_alert_rules(actor):
        raise Http404
    errors = FieldErrors()
    unknown = sorted(set(flags) - set(FLAGS))
    for name in unknown:
        errors.add(name, _("This setting cannot be changed."))
    changes: dict[str, object] = {}
    if threshold_days is not None and rule.subject in DAY_SUBJECTS:
        days = errors.whole_number(
            "threshold_days", threshold_days, minimum=OVERDUE_DAYS[0], maximum=OVERDUE_DAYS[1]
        )
        if days is not None:
            changes["threshold_days"] = days
    elif threshold_days is not None:
        if rule.level != AlertLevel.REMINDER:
            errors.add("threshold_days", _("Only a reminder counts working days ahead."))
        else:
            days = errors.whole_number(
                "threshold_days",
                threshold_days,
                minimum=REMINDER_DAYS[0],
                maximum=REMINDER_DAYS[1],
            )
            if days is not None:
                changes["threshold_days"] = days
    if threshold_percent is not None:
        if rule.level != AlertLevel.YELLOW or rule.subject not in PERCENT_SUBJECTS:
            errors.add("threshold_percent", _("Only a yellow card counts the share of time used."))
        else:
            percent = errors.whole_number(
                "threshold_percent",
                threshold_percent,
                minimum=YELLOW_PERCENT[0],
                maximum=YELLOW_PERCENT[1],
            )
            if percent is not None:
                changes["threshold_percent"] = percent
    if threshold_minutes is not None:
        if rule.subject not in MINUTE_SUBJECTS:
            errors.add("threshold_minutes", _("This rule counts no minutes."))
        else:
            minutes = errors.whole_number(
                "threshold_minutes", threshold_minutes, minimum=MINUTES[0], maximum=MINUTES[1]
            )
            if minutes is not None:
                changes["threshold_minutes"] = minutes
    value = _points(errors, points)
    if value is not None:
        changes["points"] = value
    for name in FLAGS:
        if name in flags:
            flag = errors.flag(name, flags[name])
            if flag is not None:
                changes[name] = flag
    errors.raise_if_any()
    with transaction.atomic():
        locked = AlertRule.objects.select_for_update().get(pk=rule.pk)
        before = {name: str(getattr(locked, name)) for name in changes}
        for name, new in changes.items():
            setattr(locked, name, new)
        locked.updated_by = actor
        locked.save()
        record_event(
            actor=actor,
            action=SupervisionEvent.ALERT_RULE_UPDATE,
            obj=locked,
            data={
                "code": locked.code,
                "before": before,
                "after": {name: str(new) for name, new in changes.items()},
            },
        )
        forget_scan_state()
    return locked


def editable_thresholds(rule: AlertRule) -> list[str]:
    """The thresholds of `rule` a manager may change (the fields its form shows)."""
    names = []
    deadline = rule.subject == AlertSubject.CASE_DEADLINE
    if rule.subject in DAY_SUBJECTS or (deadline and rule.level == AlertLevel.REMINDER):
        names.append("threshold_days")
    if rule.level == AlertLevel.YELLOW and rule.subject in PERCENT_SUBJECTS:
        names.append("threshold_percent")
    if rule.subject in MINUTE_SUBJECTS:
        names.append("threshold_minutes")
    return names
