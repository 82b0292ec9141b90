"""SMS to the applicant: texts, sent only after commit, never breaking the caller."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.db import transaction

from govhall.cases.models import Applicant
from govhall.cases.services import messages
from govhall.cases.services.messages import tell_applicant
from govhall.cases.services.notices import notice_issue
from govhall.cases.statuses import CaseStatus, NoticeKind
from govhall.catalog.models import ServiceItem
from govhall.core.models import OutboundMessage, User
from govhall.org.models import Center, Window
from govhall.testing.cases import accepted_case, make_case


def sent(django_capture_on_commit_callbacks: Any, case_id: int, purpose: str) -> list[Any]:
    with django_capture_on_commit_callbacks(execute=True):
        tell_applicant(case_id, purpose)
    return list(OutboundMessage.objects.order_by("id"))


def test_acceptance_sms(
    settings: Any,
    case_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.GOVHALL_PUBLIC_URL = "https://zwfw.example.gov.cn"
    case = accepted_case(case_item, hall_window)
    (message,) = sent(django_capture_on_commit_callbacks, case.pk, "accepted")
    assert message.channel == "sms"
    assert message.to == "13812345678"
    assert message.purpose == "case.accepted"
    assert message.object_id == str(case.pk)
    assert message.center_id == case.center_id
    assert message.text.startswith("【政务服务中心】您在示例县政务服务中心申请的食品经营许可")
    assert message.text.count("【") == 1
    assert case.number in message.text
    assert "已受理，承诺于2025年10月14日前办结" in message.text
    assert f"https://zwfw.example.gov.cn/progress/?number={case.number}" in message.text


def test_without_a_public_address_no_link_is_sent(
    settings: Any,
    case_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.GOVHALL_PUBLIC_URL = ""
    case = accepted_case(case_item, hall_window)
    (message,) = sent(django_capture_on_commit_callbacks, case.pk, "accepted")
    assert "/progress/" not in message.text
    assert "可凭办件号查询办理进度" in message.text


def test_supplement_sms_lists_what_the_one_time_notice_listed(
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = make_case(
        case_item,
        hall_window,
        status=CaseStatus.AWAITING_SUPPLEMENT,
        kind="",
        missing=("身份证明", "场所使用证明"),
    )
    notice_issue(actor=clerk, case=case, kind=NoticeKind.ONE_TIME, extra={"extra": ["授权书"]})
    (message,) = sent(django_capture_on_commit_callbacks, case.pk, "supplement")
    assert "需补正：身份证明、场所使用证明、授权书。" in message.text
    assert "1号窗口 市场准入窗口" in message.text
    assert message.purpose == "case.supplement"


def test_decision_and_pickup_sms(
    case_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    approved = accepted_case(case_item, hall_window, status=CaseStatus.APPROVED)
    denied = accepted_case(case_item, hall_window, status=CaseStatus.DENIED)
    ready = accepted_case(case_item, hall_window, status=CaseStatus.CERTIFICATE_READY)
    with django_capture_on_commit_callbacks(execute=True):
        tell_applicant(approved.pk, "decision")
        tell_applicant(denied.pk, "decision")
        tell_applicant(ready.pk, "ready_for_pickup")
    texts = {m.object_id: m.text for m in OutboundMessage.objects.all()}
    assert "决定准予许可" in texts[str(approved.pk)]
    assert "决定不予许可" in texts[str(denied.pk)]
    assert "救济途径" in texts[str(denied.pk)]
    assert "请携带有效身份证件到1号窗口 市场准入窗口领取" in texts[str(ready.pk)]


def test_escalation_closed_sms_names_the_higher_level(
    escalated_item: ServiceItem,
    hall_window: Window,
    city: Center,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = accepted_case(
        escalated_item, hall_window, status=CaseStatus.ESCALATION_CLOSED, escalated_to=city
    )
    (message,) = sent(django_capture_on_commit_callbacks, case.pk, "escalation_closed")
    assert "已由示例市政务服务中心办结" in message.text


def test_nothing_is_sent_before_commit_or_after_a_rollback(
    case_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = accepted_case(case_item, hall_window)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                tell_applicant(case.pk, "accepted")
                assert not OutboundMessage.objects.exists()  # not yet: waits for the commit
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OutboundMessage.objects.exists()


def test_errors_are_logged_never_raised(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    case_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = accepted_case(case_item, hall_window)

    def broken(**kwargs: Any) -> None:
        raise ConnectionError("gateway down")

    monkeypatch.setattr(messages, "send_sms", broken)
    with caplog.at_level(logging.ERROR, logger="govhall.cases.messages"):
        with django_capture_on_commit_callbacks(execute=True):
            tell_applicant(case.pk, "accepted")  # must not raise
            tell_applicant(case.pk, "no_such_purpose")
            tell_applicant(999_999, "accepted")
    assert "gateway down" in caplog.text
    assert "unknown purpose" in caplog.text
    assert not OutboundMessage.objects.exists()


def test_no_phone_no_message(
    case_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = accepted_case(case_item, hall_window)
    Applicant.objects.filter(pk=case.applicant_id).update(phone="")
    assert sent(django_capture_on_commit_callbacks, case.pk, "accepted") == []


def test_immediate_case_sms(
    immediate_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = accepted_case(
        immediate_item,
        hall_window,
        kind="immediate",
        promised_due_on=datetime.date(2025, 9, 30),
    )
    (message,) = sent(django_capture_on_commit_callbacks, case.pk, "accepted")
    assert "已受理。" in message.text


def test_online_and_express_cases_are_not_sent_to_the_window(
    case_item: ServiceItem,
    hall_window: Window,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """An online applicant uploads the supplement online and reads a denial online; one who
    chose express is not asked to come and pick the result up."""
    missing = make_case(
        case_item,
        hall_window,
        status=CaseStatus.AWAITING_SUPPLEMENT,
        kind="",
        missing=("身份证明",),
    )
    denied = accepted_case(case_item, hall_window, status=CaseStatus.DENIED)
    ready = accepted_case(case_item, hall_window, status=CaseStatus.CERTIFICATE_READY)
    type(missing).objects.filter(pk__in=[missing.pk, denied.pk]).update(channel="online")
    type(ready).objects.filter(pk=ready.pk).update(delivery_method="express")
    with django_capture_on_commit_callbacks(execute=True):
        tell_applicant(missing.pk, "supplement")
        tell_applicant(denied.pk, "decision")
        tell_applicant(ready.pk, "ready_for_pickup")
    texts = {m.object_id: m.text for m in OutboundMessage.objects.all()}
    assert "请登录网上办事大厅上传补正材料" in texts[str(missing.pk)]
    assert "窗口" not in texts[str(missing.pk)]
    assert "可在网上办事大厅查看" in texts[str(denied.pk)] and "窗口" not in texts[str(denied.pk)]
    assert "将邮寄送达" in texts[str(ready.pk)] and "窗口" not in texts[str(ready.pk)]
