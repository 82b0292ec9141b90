"""The bounds of the thresholds beyond case deadlines: minutes (empty post, lateness, early
leave) and days (overdue follow-ups and off-hours requests); what the rules form offers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import User
from govhall.supervision.models import AlertRule
from govhall.supervision.services.rules import alert_rule_update, editable_thresholds

pytestmark = pytest.mark.django_db


def _rule(code: str) -> AlertRule:
    return AlertRule.objects.get(code=code)


def test_minutes_within_0_to_240_on_the_minute_rules_only(admin_user: User) -> None:
    rule = alert_rule_update(actor=admin_user, rule=_rule("post_empty.red"), threshold_minutes=240)
    assert rule.threshold_minutes == 240
    assert (
        alert_rule_update(actor=admin_user, rule=rule, threshold_minutes="0").threshold_minutes == 0
    )
    for bad in (241, -1, "ten"):
        with pytest.raises(ValidationError) as refused:
            alert_rule_update(actor=admin_user, rule=rule, threshold_minutes=bad)
        assert set(refused.value.message_dict) == {"threshold_minutes"}
    with pytest.raises(ValidationError):
        alert_rule_update(actor=admin_user, rule=_rule("absent.red"), threshold_minutes=5)
    assert _rule("post_empty.red").threshold_minutes == 0


def test_days_on_overdue_follow_ups_within_1_to_10(admin_user: User) -> None:
    rule = _rule("inquiry_overdue.yellow")
    assert alert_rule_update(actor=admin_user, rule=rule, threshold_days=3).threshold_days == 3
    for bad in (0, 11):
        with pytest.raises(ValidationError):
            alert_rule_update(actor=admin_user, rule=rule, threshold_days=bad)
    with pytest.raises(ValidationError):  # a yellow card of lateness has no share of time
        alert_rule_update(actor=admin_user, rule=_rule("late_sign_in.yellow"), threshold_percent=80)
    assert _rule("inquiry_overdue.yellow").threshold_days == 3


def test_the_form_offers_the_rule_s_own_thresholds() -> None:
    assert editable_thresholds(_rule("case_deadline.reminder")) == ["threshold_days"]
    assert editable_thresholds(_rule("case_deadline.yellow")) == ["threshold_percent"]
    assert editable_thresholds(_rule("case_deadline.red")) == []
    assert editable_thresholds(_rule("late_sign_in.yellow")) == ["threshold_minutes"]
    assert editable_thresholds(_rule("off_hours_overdue.yellow")) == ["threshold_days"]
