"""Changing a rule: bounds, who may, the event, and the next scan under the new threshold."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from govhall.cases.models import Case
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.org.models import Center, Window
from govhall.supervision.access.rules import access_alert, access_alert_rule
from govhall.supervision.models import Alert, AlertRule
from govhall.supervision.queries.alerts import alerts_in_scope, alerts_of
from govhall.supervision.services.rules import alert_rule_update
from govhall.testing.cases import accepted_case
from govhall.testing.factories import make_staff
from govhall.testing.supervision import live, promise, scan

D = datetime.date


@pytest.fixture
def reminder(db: None) -> AlertRule:
    return AlertRule.objects.get(code="case_deadline.reminder")


def test_a_system_administrator_changes_a_threshold_and_the_next_scan_uses_it(
    admin_user: User, reminder: AlertRule, case_item: ServiceItem, hall_window: Window
) -> None:
    case = promise(accepted_case(case_item, hall_window), 5)  # due Tue 2025-10-14
    scan(D(2025, 10, 11))
    assert live(case) == set()
    rule = alert_rule_update(actor=admin_user, rule=reminder, threshold_days=2, points="0.5")
    assert rule.threshold_days == 2 and rule.points == Decimal("0.5")
    assert rule.updated_by == admin_user
    event = Event.objects.get(action="alert_rule.update")
    assert event.data["after"] == {"threshold_days": "2", "points": "0.5"}
    assert scan(D(2025, 10, 11)).full  # two working days left: the reminder now fires
    assert live(case) == {"reminder"}
    alert_rule_update(actor=admin_user, rule=reminder, is_active=False)
    scan(D(2025, 10, 11))
    assert live(case) == set()
    assert Alert.objects.get(case=case).withdrawal_reason == "rule_off"


def test_out_of_bounds_values_are_refused_together_and_nothing_changes(
    admin_user: User, reminder: AlertRule
) -> None:
    with pytest.raises(ValidationError) as refused:
        alert_rule_update(
            actor=admin_user,
            rule=reminder,
            threshold_days=11,
            threshold_percent=80,
            points="20.3",
            is_active="maybe",
        )
    assert set(refused.value.message_dict) == {
        "threshold_days",
        "threshold_percent",
        "points",
        "is_active",
    }
    yellow = AlertRule.objects.get(code="case_deadline.yellow")
    for percent in (49, 100, "x"):
        with pytest.raises(ValidationError):
            alert_rule_update(actor=admin_user, rule=yellow, threshold_percent=percent)
    for points in ("-1", "21", "NaN", "abc"):
        with pytest.raises(ValidationError):
            alert_rule_update(actor=admin_user, rule=yellow, points=points)
    reminder.refresh_from_db()
    assert reminder.threshold_days == 1 and reminder.points == 0
    assert not Event.objects.filter(action="alert_rule.update").exists()


def test_only_system_administrators_change_the_installation_wide_rules(
    clerk: User, town: Center, outsider: User, reminder: AlertRule, director: User, admin_user: User
) -> None:
    town_director = make_staff(Role.DIRECTOR, town, username="town_director")
    # A county director does not change rules that hold for every other county too.
    for actor in (clerk, town_director, director, outsider):
        with pytest.raises(Http404):
            alert_rule_update(actor=actor, rule=reminder, threshold_days=2)
        with pytest.raises(Http404):
            access_alert_rule(actor, reminder.pk, for_write=True)
    assert access_alert_rule(clerk, reminder.pk) == reminder
    assert access_alert_rule(admin_user, reminder.pk, for_write=True) == reminder
    with pytest.raises(Http404):
        access_alert_rule(admin_user, "nope")
    reminder.refresh_from_db()
    assert reminder.threshold_days == 1


def test_alerts_are_seen_in_scope_only(
    case_item: ServiceItem, hall_window: Window, clerk: User, director: User, outsider: User
) -> None:
    case: Case = promise(accepted_case(case_item, hall_window, received_by=clerk), 5)
    scan(D(2025, 10, 15))
    alert = Alert.objects.get(case=case, level="red")
    assert alerts_in_scope(director).count() == 3
    assert alerts_in_scope(outsider).count() == 0
    assert alerts_of(clerk).count() == 3
    assert access_alert(director, alert.pk) == alert
    with pytest.raises(Http404):
        access_alert(outsider, alert.pk)
