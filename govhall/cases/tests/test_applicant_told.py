"""Issue 16 item 8: the applicant is told by SMS of an extension (with its reason), a pre-review
return, a suspension and its resumption, and a closure moving the promised date; suspension
reasons are the legal categories (SPEC §4, seeds/000… 篇1 六(六)3, 篇4 限时办结 二)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.models import Case
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import Outcome, case_receive
from govhall.cases.statuses import CaseStatus, SuspensionReason
from govhall.core.models import OutboundMessage
from govhall.testing.cases import make_case
from govhall.testing.sign_in import signed_in

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(D.fromisoformat(day), datetime.time(hour), tzinfo=TZ)


@pytest.fixture(autouse=True)
def _at_their_posts(clerk, window_head) -> None:
    # Cover counts a window person as present only once signed in (issue 16 item 3).
    for day in ("2025-09-26", "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-20"):
        signed_in(clerk, window_head, at=at(day))
    signed_in(clerk, window_head)


@pytest.fixture
def promised_case(clerk, case_item, hall_window, applicant_data, all_received) -> Case:
    return case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(case_item),
        outcome=Outcome.PROMISED,
        at=at("2025-09-26"),
    )


def texts(purpose: str) -> list[str]:
    return list(
        OutboundMessage.objects.filter(purpose=f"case.{purpose}")
        .order_by("id")
        .values_list("text", flat=True)
    )


def test_extension_sms_gives_the_reason_and_the_new_date(
    promised_case, approver, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_act(
            actor=approver,
            case=promised_case,
            action="extend",
            params=action_params("extend", {"days": 3, "reason": "需专家评审"}),
            at=at("2025-10-09"),
        )
    (text,) = texts("extended")
    assert "需专家评审" in text
    assert "3个工作日" in text
    assert "2025年10月14日" in text  # 10 Oct + 3 working days: 11 Oct (Sat, make-up), 13, 14


def test_prereview_return_sms(case_item, clerk, django_capture_on_commit_callbacks: Any) -> None:
    case = make_case(case_item, None, status=CaseStatus.SUBMITTED, kind="", channel="online")
    with django_capture_on_commit_callbacks(execute=True):
        case_act(
            actor=clerk,
            case=case,
            action="prereview_return",
            params=action_params("prereview_return", {"reason": "照片不清晰"}),
        )
    (text,) = texts("prereview_returned")
    assert "预审" in text and "照片不清晰" in text


def test_suspension_takes_a_legal_category_and_both_ends_are_told(
    promised_case, window_head, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        case_act(
            actor=window_head,
            case=promised_case,
            action="suspend",
            params=action_params("suspend", {"reason": "领导出差"}),
            at=at("2025-09-30"),
        )
    assert "reason" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(
            actor=window_head,
            case=promised_case,
            action="suspend",
            params=action_params("suspend", {"reason": "hearing", "note": "定于10月10日听证"}),
            at=at("2025-09-30"),
        )
    assert case.suspension_reason == SuspensionReason.HEARING
    assert case.suspension_note == "定于10月10日听证"
    (text,) = texts("suspended")
    assert "听证" in text and "不计入" in text
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(actor=window_head, case=case, action="resume", at=at("2025-10-10"))
    (text,) = texts("resumed")
    assert "恢复办理" in text and "2025年10月13日" in text


def test_every_legal_category_is_accepted(promised_case, window_head) -> None:
    assert set(SuspensionReason.values) == {
        "hearing",
        "expert_review",
        "inspection",
        "testing",
        "quarantine",
        "public_notice",
    }
    case = case_act(
        actor=window_head,
        case=promised_case,
        action="suspend",
        params=action_params("suspend", {"reason": "现场核查"}),  # the Chinese name also works
        at=at("2025-09-30"),
    )
    assert case.suspension_reason == SuspensionReason.INSPECTION


def test_a_closure_tells_each_applicant_whose_promised_date_moved_once(
    promised_case,
    clerk,
    case_item,
    hall_window,
    applicant_data,
    all_received,
    director,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from govhall.workdays.services.center_days import center_day_set

    second = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(case_item),
        outcome=Outcome.PROMISED,
        at=at("2025-09-26"),
    )
    far = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(case_item),
        outcome=Outcome.PROMISED,
        at=at("2025-10-20"),
    )
    OutboundMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        center_day_set(
            actor=director,
            center_id=promised_case.center_id,
            date=D(2025, 10, 9),
            kind="closed",
            reason="停电",
        )
    moved = OutboundMessage.objects.filter(purpose="case.deadline_moved")
    assert sorted(int(m.object_id) for m in moved) == sorted([promised_case.pk, second.pk])
    assert far.pk not in {int(m.object_id) for m in moved}
    assert all("2025年10月11日" in m.text for m in moved)
    # The same change again moves nothing and tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        center_day_set(
            actor=director,
            center_id=promised_case.center_id,
            date=D(2025, 10, 9),
            kind="closed",
            reason="停电（更正）",
        )
    assert OutboundMessage.objects.filter(purpose="case.deadline_moved").count() == 2
