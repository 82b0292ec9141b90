"""The 12345 work order overdue scan: not signed by the end of the first working day (over a
weekend), not replied to by the finish limit (extension included); withdrawn when done or when the
rule is switched off; idempotent; registered with supervision."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from govhall.feedback.services.work_order_scan import scan_work_orders
from govhall.feedback.services.work_orders import (
    work_order_extend,
    work_order_reply,
    work_order_send_back,
    work_order_sign,
)
from govhall.supervision.models import Alert, AlertRule, WithdrawalReason
from govhall.supervision.services.scans import SCANS
from govhall.testing.work_orders import at, make_work_order

pytestmark = pytest.mark.django_db

RULE = "work_order_overdue.yellow"


@pytest.fixture(autouse=True)
def rules() -> None:
    # A transactional test elsewhere may have flushed the migration's rules.
    importlib.import_module("govhall.supervision.migrations.0006_feedback_subjects").seed(
        apps, None
    )


@pytest.fixture
def order(director, department):  # type: ignore[no-untyped-def]
    return make_work_order(
        actor=director,
        center=director.staff.center,
        department=department,
        received_at=at("2026-12-04", "10:00"),  # a Friday
    )


def live(order, step: str):  # type: ignore[no-untyped-def]
    return Alert.objects.live().filter(subject_key=f"work_order:{order.pk}:{step}", rule__code=RULE)


def test_registered_with_the_supervision_scans():
    assert SCANS["work_order_overdue"].run is scan_work_orders


def test_unsigned_after_the_first_working_day_over_a_weekend(order, department, dept_leader):
    assert scan_work_orders(now=at("2026-12-05", "12:00")).raised == 0  # Saturday
    assert scan_work_orders(now=at("2026-12-07", "17:30")).raised == 0  # closing time still in time
    assert scan_work_orders(now=at("2026-12-07", "17:31")).raised == 1
    alert = live(order, "sign").get()
    assert alert.department_id == department.pk and alert.center_id == order.center_id
    assert alert.due_on.isoformat() == "2026-12-07" and order.hotline_number in alert.detail
    assert scan_work_orders(now=at("2026-12-08", "09:00")).raised == 0  # idempotent
    assert scan_work_orders(now=at("2026-12-08", "09:00"), full=True).raised == 0
    assert live(order, "sign").count() == 1
    work_order_sign(actor=dept_leader, order=order, at=at("2026-12-08", "10:00"))
    assert scan_work_orders(now=at("2026-12-08", "11:00")).withdrawn == 1
    assert not live(order, "sign").exists()


def test_sent_back_withdraws(order, dept_leader):
    scan_work_orders(now=at("2026-12-08", "08:00"))
    work_order_send_back(actor=dept_leader, order=order, reason="非本部门", at=at("2026-12-08"))
    scan_work_orders(now=at("2026-12-08", "12:00"))
    assert not live(order, "sign").exists()


def test_unfinished_after_the_limit_with_the_extension(order, dept_leader):
    order = work_order_sign(actor=dept_leader, order=order, at=at("2026-12-07"))
    # 5 working days from Monday 7: on time until the end of Monday 14.
    assert scan_work_orders(now=at("2026-12-14", "17:30")).raised == 0
    order = work_order_extend(
        actor=dept_leader, order=order, days=2, reason="需现场核查", at=at("2026-12-14", "12:00")
    )
    assert scan_work_orders(now=at("2026-12-15", "09:00")).raised == 0
    assert scan_work_orders(now=at("2026-12-16", "17:30")).raised == 0
    assert scan_work_orders(now=at("2026-12-16", "17:31")).raised == 1
    alert = live(order, "finish").get()
    assert alert.responsible_id == dept_leader.pk
    work_order_reply(actor=dept_leader, order=order, reply="已处理", at=at("2026-12-17", "09:00"))
    assert scan_work_orders(now=at("2026-12-17", "10:00")).withdrawn == 1


def test_rule_switched_off_withdraws_and_raises_nothing(order):
    scan_work_orders(now=at("2026-12-08", "08:00"))
    assert live(order, "sign").exists()
    AlertRule.objects.filter(code=RULE).update(is_active=False)
    scan_work_orders(now=at("2026-12-08", "09:00"))
    assert not live(order, "sign").exists()
    gone = Alert.objects.get(subject_key=f"work_order:{order.pk}:sign")
    assert gone.withdrawal_reason == WithdrawalReason.RULE_OFF
