"""12345 work orders: deadlines at their working-day boundaries (over a weekend), the transitions
by state and party, the optimistic version, idempotent receipt and the deliveries queued."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.feedback.access.work_orders import access_work_order, work_orders_in_scope
from govhall.feedback.models import DeliveryStatus, WebhookDelivery, WorkOrderStatus
from govhall.feedback.services.work_orders import (
    work_order_actions,
    work_order_extend,
    work_order_receive,
    work_order_refusal,
    work_order_reply,
    work_order_return_visit,
    work_order_route,
    work_order_send_back,
    work_order_sign,
)
from govhall.feedback.work_order_transitions import WorkOrderAction as A
from govhall.testing.factories import make_staff
from govhall.testing.work_orders import at, make_hotline_account, make_work_order

pytestmark = pytest.mark.django_db

# Friday 2026-12-04; the weekend 5–6; Monday 7 is the first working day after it.
FRIDAY = at("2026-12-04", "10:00")


@pytest.fixture
def order(director, department):  # type: ignore[no-untyped-def]
    return make_work_order(
        actor=director, center=director.staff.center, department=department, received_at=FRIDAY
    )


def keys(order) -> list[str]:  # type: ignore[no-untyped-def]
    return list(WebhookDelivery.objects.filter(work_order=order).values_list("key", flat=True))


def test_receipt_limits_count_working_days_over_the_weekend(order):
    # 1 working day to sign: until Monday's closing time; 2 to send back: until Tuesday's.
    assert order.sign_due_at == at("2026-12-07", "17:30")
    assert order.send_back_due_at == at("2026-12-08", "17:30")
    assert order.status == WorkOrderStatus.RECEIVED and order.version == 1
    assert Event.objects.filter(action="work_order.receive", object_id=str(order.pk)).exists()


def test_send_back_until_the_last_moment_of_the_second_working_day(order, dept_leader):
    late = work_order_send_back(
        actor=dept_leader, order=order, reason="属于供电公司", at=at("2026-12-08", "17:30")
    )
    assert late.status == WorkOrderStatus.SENT_BACK and late.version == 2
    assert keys(late) == ["12345-0001:send_back:1"]
    assert WebhookDelivery.objects.get().payload["reason"] == "属于供电公司"


def test_send_back_after_the_window_is_refused_with_nothing_changed(order, dept_leader):
    with pytest.raises(ValidationError) as refused:
        work_order_send_back(
            actor=dept_leader, order=order, reason="不是我们的", at=at("2026-12-08", "17:30:01")
        )
    assert "2026-12-08" in " ".join(refused.value.messages)
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.RECEIVED and order.version == 1
    assert keys(order) == []
    # The button is gone too.
    actions = [row.action for row in work_order_actions(dept_leader, order, at("2026-12-09"))]
    assert A.SEND_BACK not in actions and A.SIGN in actions


def test_send_back_needs_a_reason(order, dept_leader):
    with pytest.raises(ValidationError) as refused:
        work_order_send_back(actor=dept_leader, order=order, reason=" ", at=FRIDAY)
    assert "reason" in refused.value.message_dict


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        ("consult", "2026-12-14"),  # 5 working days from Monday 7: Tue 8 … Mon 14
        ("help", "2026-12-14"),
        ("complaint", "2026-12-28"),  # 15 working days: … Mon 28
        ("report", "2026-12-28"),
        ("suggest", "2026-12-28"),  # 建议 takes the long limit
    ],
)
def test_finish_limit_from_signing_by_kind(director, department, dept_leader, kind, due):
    order = make_work_order(
        actor=director, center=director.staff.center, department=department, kind=kind
    )
    signed = work_order_sign(actor=dept_leader, order=order, at=at("2026-12-07", "16:00"))
    assert signed.status == WorkOrderStatus.SIGNED
    assert signed.finish_due_at == at(due, "17:30")
    assert keys(signed) == ["12345-0001:sign:1"]
    payload = WebhookDelivery.objects.get().payload
    assert payload["event"] == "sign" and payload["department"]["code"] == department.code


def test_one_extension_of_up_to_ten_working_days_before_the_limit(order, dept_leader):
    order = work_order_sign(actor=dept_leader, order=order, at=at("2026-12-07"))
    with pytest.raises(ValidationError) as too_long:
        work_order_extend(actor=dept_leader, order=order, days=11, reason="需现场核查")
    assert "days" in too_long.value.message_dict
    with pytest.raises(ValidationError) as no_reason:
        work_order_extend(actor=dept_leader, order=order, days=10, reason="")
    assert "reason" in no_reason.value.message_dict
    # At the last moment of the limit (Monday 14, closing time) it may still be asked for.
    order = work_order_extend(
        actor=dept_leader, order=order, days=10, reason="需现场核查", at=at("2026-12-14", "17:30")
    )
    assert order.finish_due_at == at("2026-12-28", "17:30") and order.extension_days == 10
    with pytest.raises(Conflict):
        work_order_extend(actor=dept_leader, order=order, days=1, reason="再延")


def test_extension_refused_once_the_limit_has_passed(order, dept_leader):
    order = work_order_sign(actor=dept_leader, order=order, at=at("2026-12-07"))
    with pytest.raises(ValidationError) as refused:
        work_order_extend(
            actor=dept_leader, order=order, days=3, reason="晚了", at=at("2026-12-14", "17:30:01")
        )
    assert not isinstance(refused.value, Conflict)


def test_reply_and_return_visits(order, dept_leader, director):
    order = work_order_sign(actor=dept_leader, order=order, at=at("2026-12-07"))
    order = work_order_reply(actor=dept_leader, order=order, reply="已修复", at=at("2026-12-08"))
    assert order.status == WorkOrderStatus.REPLIED
    reply = WebhookDelivery.objects.get(key="12345-0001:reply:1")
    assert reply.payload["reply"] == "已修复" and reply.status == DeliveryStatus.PENDING
    # The department does not judge its own return visit.
    assert work_order_refusal(dept_leader, order, A.RETURN_VISIT) is not None
    with pytest.raises(ValidationError):
        work_order_return_visit(actor=director, order=order, satisfied=False, note="")
    redo = work_order_return_visit(
        actor=director, order=order, satisfied=False, note="没修好", at=at("2026-12-09", "09:00")
    )
    assert redo.status == WorkOrderStatus.SIGNED and redo.redo_count == 1
    assert redo.finish_due_at == at("2026-12-16", "17:30")  # 5 working days from Wed 9
    redo = work_order_reply(actor=dept_leader, order=redo, reply="已更换灯具")
    assert "12345-0001:reply:2" in keys(redo)
    closed = work_order_return_visit(actor=director, order=redo, satisfied=True)
    assert closed.status == WorkOrderStatus.CLOSED and closed.closed_at is not None
    assert work_order_actions(director, closed) == []


def test_a_stale_version_is_a_conflict(order, dept_leader):
    with pytest.raises(Conflict):
        work_order_sign(actor=dept_leader, order=order, version=7)
    assert work_order_sign(actor=dept_leader, order=order, version=1).version == 2
    with pytest.raises(Conflict):  # signed already: the state stands in the way
        work_order_sign(actor=dept_leader, order=order)


def test_an_order_without_department_is_routed_by_management(director, department, window_head):
    order = make_work_order(actor=director, center=director.staff.center)
    assert order.department_id is None
    assert work_order_refusal(director, order, A.SIGN) is not None
    with pytest.raises(ValidationError):
        work_order_sign(actor=director, order=order)
    # The department does not see it until it is routed there.
    assert not work_orders_in_scope(window_head).exists()
    with pytest.raises(ValidationError):
        work_order_route(actor=window_head, order=order, department=department)
    order = work_order_route(actor=director, order=order, department=department)
    assert work_orders_in_scope(window_head).filter(pk=order.pk).exists()
    assert work_order_sign(actor=window_head, order=order).status == WorkOrderStatus.SIGNED


@pytest.mark.parametrize("who", ["window_head", "reviewer", "approver", "dept_leader", "director"])
def test_handlers_may_sign(request, order, who):
    user = request.getfixturevalue(who)
    assert access_work_order(user, order.pk, for_write=True) == order
    assert A.SIGN in [row.action for row in work_order_actions(user, order, FRIDAY)]


def test_others_see_nothing(order, clerk, outsider, county, other_department, supervisor):
    other_leader = make_staff(Role.DEPT_LEADER, county, other_department, username="other-lead")
    for user in (clerk, outsider, other_leader, supervisor):
        with pytest.raises(Http404):
            access_work_order(user, order.pk)
        assert not work_orders_in_scope(user).exists()
        with pytest.raises(ValidationError):
            work_order_sign(actor=user, order=order)
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.RECEIVED


def test_the_hotline_account_receives_and_visits_but_does_not_handle(
    county, department, dept_leader
):
    hotline = make_hotline_account(county)
    order = make_work_order(actor=hotline, center=county, department=department)
    assert access_work_order(hotline, order.pk) == order
    with pytest.raises(ValidationError):
        work_order_sign(actor=hotline, order=order)
    order = work_order_sign(actor=dept_leader, order=order)
    order = work_order_reply(actor=dept_leader, order=order, reply="已答复")
    assert work_order_return_visit(actor=hotline, order=order, satisfied=True).status == "closed"


def test_receipt_is_idempotent_on_the_hotline_number(director, county, department):
    first = make_work_order(actor=director, center=county, department=department)
    again, created = work_order_receive(
        actor=director,
        center=county,
        kind="consult",
        title="路灯不亮",
        content="小区门口路灯三天不亮",
        hotline_number="12345-0001",
        citizen_name="张三",
        citizen_phone="13800138000",
        department=department,
        source="api",
    )
    assert again == first and created is False
    with pytest.raises(Conflict):
        work_order_receive(
            actor=director,
            center=county,
            kind="consult",
            title="路灯不亮",
            content="别的内容",
            hotline_number="12345-0001",
            department=department,
            source="api",
        )
    assert Event.objects.filter(action="work_order.receive").count() == 1


def test_staff_typed_orders_get_a_number_of_ours(director, county):
    order, created = work_order_receive(
        actor=director, center=county, kind="help", title="求助", content="老人走失", source="staff"
    )
    assert created and order.hotline_number.startswith("RX330100")


def test_receipt_refuses_bad_input_all_at_once(director, county, outsider):
    with pytest.raises(ValidationError) as refused:
        work_order_receive(
            actor=director,
            center=county,
            kind="gossip",
            title="",
            content="",
            citizen_phone="123",
            source="api",
        )
    assert {"kind", "title", "content", "citizen_phone", "hotline_number"} <= set(
        refused.value.message_dict
    )
    with pytest.raises(ValidationError):
        make_work_order(actor=outsider, center=county)
