"""Issue 17 item 3: a notice never promises the past unless the clerk confirmed, and the
decision notice is the licensing department's (以部门名义, seeds/002… 三(一)1)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.models import Case, Notice
from govhall.cases.notice_render import document
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import MaterialCheck, case_submit_online
from govhall.cases.services.notices import notice_issue
from govhall.cases.statuses import CaseStatus, NoticeKind
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event, User
from govhall.org.models import Window
from govhall.testing.cases import accepted_case, local

pytestmark = pytest.mark.django_db


def test_a_notice_promising_a_past_date_needs_the_clerks_confirmation(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window)  # promised by Tue 2025-10-14
    with pytest.raises(ValidationError) as refused:
        notice_issue(actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=local(2025, 10, 15))
    assert "confirm_past_promise" in refused.value.message_dict
    assert "2025年10月14日" in refused.value.message_dict["confirm_past_promise"][0]
    assert "already passed" in refused.value.message_dict["confirm_past_promise"][0]
    assert not Notice.objects.filter(case=case).exists()

    notice = notice_issue(
        actor=clerk,
        case=case,
        kind=NoticeKind.ACCEPTANCE,
        at=local(2025, 10, 15),
        confirm_past_promise=True,
    )
    assert notice.content["past_promise_confirmed"] is True
    assert notice.content["issued_on"] == "2025-10-15"
    event = Event.objects.get(action="case.issue_notice", object_id=str(case.pk))
    assert event.data["past_promise_confirmed"] is True


def test_the_promised_day_itself_and_papers_without_promises_are_not_warned(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.APPROVED)
    on_the_day = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=local(2025, 10, 14)
    )
    assert on_the_day.content["past_promise_confirmed"] is False
    decision = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.DECISION, at=local(2025, 11, 20)
    )
    assert decision.content["past_promise_confirmed"] is False


def test_extending_an_overdue_case_asks_for_confirmation_and_changes_nothing(
    case_item: ServiceItem, hall_window: Window, approver: User
) -> None:
    # Promised by 2025-10-14; on 2025-10-28, 3 more working days still end on 2025-10-17.
    case = accepted_case(case_item, hall_window)
    version = case.version
    with pytest.raises(ValidationError) as refused:
        case_act(
            actor=approver,
            case=case,
            action="extend",
            params=action_params("extend", {"days": 3, "reason": "需组织专家评审"}),
            at=local(2025, 10, 28),
        )
    assert "confirm_past_promise" in refused.value.message_dict
    case.refresh_from_db()
    assert (case.version, case.extension_days) == (version, 0)
    assert case.promised_due_on == datetime.date(2025, 10, 14)
    assert not Notice.objects.filter(case=case).exists()

    extended = case_act(
        actor=approver,
        case=case,
        action="extend",
        params=action_params(
            "extend", {"days": 3, "reason": "需组织专家评审", "confirm_past_promise": "on"}
        ),
        at=local(2025, 10, 28),
    )
    assert extended.extension_days == 3
    notice = Notice.objects.get(case=case, kind=NoticeKind.EXTENSION)
    assert notice.content["promised_due_on"] == "2025-10-17"
    assert notice.content["past_promise_confirmed"] is True


def test_a_section_32_acceptance_after_the_promised_date_is_warned(
    clerk: User, case_item: ServiceItem, applicant_data
) -> None:
    # Online Mon 2025-09-22, the one-time notice only on the 6th working day: the clock runs
    # from receipt (行政许可法 §32), so on 10 Oct the promise (5 working days) is already past.
    case_item.online_available = True
    case_item.save(update_fields=["online_available"])
    materials = [
        MaterialCheck(material_id=m.pk, received=m.is_main) for m in case_item.materials.all()
    ]
    case, _created = case_submit_online(
        actor=clerk,
        item=case_item,
        applicant=applicant_data,
        materials=materials,
        idempotency_key=None,
        at=local(2025, 9, 22),
    )
    missing = list(case.materials.filter(received=False).values_list("pk", flat=True))
    case = case_act(
        actor=clerk,
        case=case,
        action="request_supplement",
        params=action_params("request_supplement", {"missing": missing}),
        at=local(2025, 9, 29),
    )
    case = case_act(
        actor=clerk,
        case=case,
        action="receive_supplement",
        params=action_params("receive_supplement", {"received": missing}),
        at=local(2025, 10, 10),
    )
    with pytest.raises(ValidationError) as refused:
        case_act(
            actor=clerk,
            case=case,
            action="accept",
            params=action_params("accept", {"kind": "promised"}),
            at=local(2025, 10, 10, 11),
        )
    assert list(refused.value.message_dict) == ["confirm_past_promise"]
    assert Case.objects.get(pk=case.pk).status == case.status  # nothing changed
    accepted = case_act(
        actor=clerk,
        case=case,
        action="accept",
        params=action_params("accept", {"kind": "promised", "confirm_past_promise": True}),
        at=local(2025, 10, 10, 11),
    )
    assert accepted.status == CaseStatus.ACCEPTED
    notice = Notice.objects.get(case=case, kind=NoticeKind.ACCEPTANCE)
    assert notice.content["promised_due_on"] < notice.content["issued_on"] == "2025-10-10"


def test_the_decision_notice_is_the_licensing_departments(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.APPROVED)
    acceptance = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=local(2025, 9, 30)
    )
    decision = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.DECISION, at=local(2025, 10, 10)
    )
    assert decision.content["issuer"] == "县市场监督管理局" == case.department.name
    assert document(decision)["issuer"] == "县市场监督管理局"
    assert document(acceptance)["issuer"] == "示例县政务服务中心"  # the center accepts
    # A notice stored before the key existed keeps what it printed: the center.
    old = dict(decision.content)
    del old["issuer"]
    Notice.objects.filter(pk=decision.pk).update(content=old)
    decision.refresh_from_db()
    assert document(decision)["issuer"] == "示例县政务服务中心"
