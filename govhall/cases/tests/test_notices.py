"""Notices: content, numbering, the one-time rule, confirmation, the PDF and the A4 print page."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from pypdf import PdfReader

from govhall.cases.models import Case, JointTask, Notice
from govhall.cases.notice_render import (
    document,
    notice_context,
    notice_pdf,
    progress_url_for,
)
from govhall.cases.services.notices import RIGHTS_TEXT, notice_confirm, notice_issue
from govhall.cases.statuses import CaseKind, CaseStatus, NoticeKind
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.org.models import Center, Window
from govhall.testing.cases import PERSON_ID, accepted_case, local, make_case
from govhall.testing.parallel import run_at_once

# The moment `accepted_case` was accepted: its notices are issued then, before the promised
# date (a notice promising a date already past needs the clerk's confirmation).
ON_ACCEPTANCE = local(2025, 9, 30, 11)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- content --------------------------------------------------------------------------------


def test_acceptance_notice_says_what_was_accepted(
    case_item: ServiceItem, hall_window: Window, clerk: User, county: Center
) -> None:
    case = accepted_case(case_item, hall_window)
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=local(2025, 9, 30, 11)
    )
    c = notice.content
    assert notice.number == f"{case.number}-SL01"
    assert c["title"] == "受理通知书"
    assert c["center"]["name"] == county.name == "示例县政务服务中心"
    assert c["item"] == {"name": "食品经营许可", "code": "ITEM-P"}
    assert c["applicant"]["name"] == "张三丰"  # notices carry the full name
    assert c["applicant"]["id_masked"] == "1101**********4477"
    assert PERSON_ID not in str(c)
    assert c["received_on"] == "2025-09-29"
    assert c["accepted_on"] == "2025-09-30"
    assert c["promised_due_on"] == "2025-10-14"
    assert c["legal_due_on"] == "2025-10-30"
    assert [m["name"] for m in c["materials_received"]] == ["申请书", "身份证明", "场所使用证明"]
    assert c["materials_received"][0]["is_main"] is True
    assert c["materials_received"][2]["is_main"] is False
    assert c["window"] == "1号窗口 市场准入窗口"
    assert c["clerk"] == clerk.display_name
    assert c["issued_on"] == "2025-09-30"
    assert "2025年10月14日" in "".join(c["body"])
    assert c["rights"] == ""
    event = Event.objects.get(action="case.issue_notice", object_id=str(case.pk))
    assert event.actor_id == clerk.pk
    assert event.data["notice"] == notice.number
    assert event.center_id == case.center_id


def test_notice_numbers_count_per_kind(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window)
    first = notice_issue(actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=ON_ACCEPTANCE)
    second = notice_issue(actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=ON_ACCEPTANCE)
    extension = notice_issue(
        actor=clerk,
        case=case,
        kind=NoticeKind.EXTENSION,
        extra={"days": 3, "reason": "需现场核查"},
        at=ON_ACCEPTANCE,
    )
    assert [first.number[-4:], second.number[-4:], extension.number[-4:]] == [
        "SL01",
        "SL02",
        "YQ01",
    ]


def test_unknown_kind_is_refused(case_item: ServiceItem, hall_window: Window, clerk: User) -> None:
    case = accepted_case(case_item, hall_window)
    with pytest.raises(ValidationError, match="Unknown kind"):
        notice_issue(actor=clerk, case=case, kind="memo")
    assert not Notice.objects.exists()


# --- the one-time rule ----------------------------------------------------------------------


def supplement_case(item: ServiceItem, window: Window) -> Case:
    return make_case(
        item,
        window,
        status=CaseStatus.AWAITING_SUPPLEMENT,
        kind="",
        missing=("身份证明", "场所使用证明"),
    )


def test_one_time_notice_lists_everything_missing_once(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = supplement_case(case_item, hall_window)
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ONE_TIME, extra={"extra": ["法定代表人授权书"]}
    )
    c = notice.content
    assert notice.number.endswith("-BZ01")
    assert (c["title"], c["subtitle"]) == ("一次性告知书", "（补正材料通知书）")
    assert [m["name"] for m in c["materials_missing"]] == ["身份证明", "场所使用证明"]
    assert [m["is_main"] for m in c["materials_missing"]] == [True, False]
    assert c["extra_missing"] == ["法定代表人授权书"]
    assert [m["name"] for m in c["materials_received"]] == ["申请书"]
    assert "第三十二条" in c["body"][0]
    case.refresh_from_db()
    assert case.supplement_notices == 1


def test_one_time_notice_with_named_missing_materials(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = supplement_case(case_item, hall_window)
    only = case.materials.get(name="身份证明")
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ONE_TIME, extra={"missing": [only.pk]}
    )
    assert [m["name"] for m in notice.content["materials_missing"]] == ["身份证明"]


def test_one_time_notice_needs_something_missing(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = make_case(case_item, hall_window, status=CaseStatus.RECEIVED, kind="")
    with pytest.raises(ValidationError, match="at least one missing material"):
        notice_issue(actor=clerk, case=case, kind=NoticeKind.ONE_TIME)
    case.refresh_from_db()
    assert case.supplement_notices == 0
    assert not Notice.objects.exists()
    assert not Event.objects.filter(action="case.issue_notice").exists()


SECOND_REFUSED = "second one needs a manager's override with a reason"


def test_second_one_time_notice_is_refused_without_a_managers_override(
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    window_head: User,
    director: User,
    outsider: User,
) -> None:
    case = supplement_case(case_item, hall_window)
    notice_issue(actor=clerk, case=case, kind=NoticeKind.ONE_TIME)
    attempts: list[tuple[User, str]] = [
        (clerk, ""),
        (clerk, "申请人遗失告知书"),  # a reason alone is not enough
        (window_head, "申请人遗失告知书"),
        (director, ""),  # management needs the reason
        (outsider, "申请人遗失告知书"),  # a director of another county is not management here
    ]
    for actor, reason in attempts:
        with pytest.raises(ValidationError, match=SECOND_REFUSED):
            notice_issue(actor=actor, case=case, kind=NoticeKind.ONE_TIME, override_reason=reason)
    case.refresh_from_db()
    assert case.supplement_notices == 1
    assert Notice.objects.filter(case=case, kind=NoticeKind.ONE_TIME).count() == 1
    assert not Event.objects.filter(action="case.override_notice").exists()


def test_managers_override_is_logged(
    case_item: ServiceItem, hall_window: Window, clerk: User, director: User
) -> None:
    case = supplement_case(case_item, hall_window)
    notice_issue(actor=clerk, case=case, kind=NoticeKind.ONE_TIME)
    second = notice_issue(
        actor=director,
        case=case,
        kind=NoticeKind.ONE_TIME,
        override_reason="法规修订后新增材料要求",
    )
    assert second.number.endswith("-BZ02")
    assert second.override_reason == "法规修订后新增材料要求"
    assert second.content["override_reason"] == "法规修订后新增材料要求"
    assert case.supplement_notices == 2  # the passed object is kept in step
    case.refresh_from_db()
    assert case.supplement_notices == 2
    override = Event.objects.get(action="case.override_notice")
    assert override.actor_id == director.pk
    assert override.note == "法规修订后新增材料要求"
    assert override.data["notice"] == second.number


def test_first_one_time_notice_ignores_an_override_reason(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = supplement_case(case_item, hall_window)
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ONE_TIME, override_reason="不需要"
    )
    assert notice.override_reason == ""
    assert not Event.objects.filter(action="case.override_notice").exists()


# --- return, decision, extension, joint, escalation ----------------------------------------


def test_not_accepted_notice_needs_reason_and_basis_and_tells_the_rights(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = make_case(case_item, hall_window, status=CaseStatus.NOT_ACCEPTED, kind="")
    with pytest.raises(ValidationError, match="reason and the legal basis"):
        notice_issue(actor=clerk, case=case, kind=NoticeKind.NOT_ACCEPTED, extra={"reason": "x"})
    notice = notice_issue(
        actor=clerk,
        case=case,
        kind=NoticeKind.NOT_ACCEPTED,
        extra={"reason": "申请事项不属于本机关职权范围", "basis": "《行政许可法》第三十二条"},
    )
    c = notice.content
    assert (c["title"], c["subtitle"]) == ("不予受理通知书", "（退回件通知书）")
    assert notice.number.endswith("-BSL01")
    assert c["reason"] == "申请事项不属于本机关职权范围"
    assert c["basis"] == "《行政许可法》第三十二条"
    assert c["rights"] == RIGHTS_TEXT
    assert "60日内" in RIGHTS_TEXT and "6个月内" in RIGHTS_TEXT


def test_prereview_return_needs_a_reason(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = make_case(case_item, None, status=CaseStatus.PREREVIEW_RETURNED, kind="")
    with pytest.raises(ValidationError, match="needs the reason"):
        notice_issue(actor=clerk, case=case, kind=NoticeKind.PREREVIEW_RETURN)
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.PREREVIEW_RETURN, extra={"reason": "照片不清晰"}
    )
    assert notice.content["title"] == "预审退回通知书"
    assert notice.content["window"] == ""
    assert "照片不清晰" in " ".join(notice.content["body"])


def test_denial_decision_carries_reason_basis_and_rights(
    case_item: ServiceItem, hall_window: Window, approver: User
) -> None:
    case = accepted_case(
        case_item,
        hall_window,
        status=CaseStatus.DENIED,
        reason="经营场所不符合卫生要求",
        basis="《食品经营许可管理办法》第十一条",
    )
    notice = notice_issue(actor=approver, case=case, kind=NoticeKind.DECISION)
    c = notice.content
    assert c["decision"] == "denied"
    assert c["title"] == "不予许可决定书"
    assert c["rights"] == RIGHTS_TEXT
    assert "经营场所不符合卫生要求" in " ".join(c["body"])


def test_denial_without_basis_is_refused(
    case_item: ServiceItem, hall_window: Window, approver: User
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.DENIED, reason="不符合条件")
    with pytest.raises(ValidationError, match="denial needs the reason and the legal basis"):
        notice_issue(actor=approver, case=case, kind=NoticeKind.DECISION)
    assert not Notice.objects.exists()


def test_approval_decision_has_no_rights_text(
    case_item: ServiceItem, hall_window: Window, approver: User
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.APPROVED)
    notice = notice_issue(
        actor=approver, case=case, kind=NoticeKind.DECISION, extra={"note": "准予开展热食类制售"}
    )
    assert notice.content["decision"] == "approved"
    assert notice.content["title"] == "准予许可决定书"
    assert notice.content["decision_text"] == "准予开展热食类制售"
    assert notice.content["rights"] == ""


def test_decision_of_the_higher_level(
    escalated_item: ServiceItem, hall_window: Window, clerk: User, city: Center
) -> None:
    case = accepted_case(
        escalated_item,
        hall_window,
        status=CaseStatus.ESCALATION_CLOSED,
        kind=CaseKind.ESCALATED,
        escalated_to=city,
        escalation_result="同意许可",
    )
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.DECISION, extra={"approved": True}
    )
    assert notice.content["decision"] == "approved"
    assert notice.content["escalated_to"] == "示例市政务服务中心"
    assert "同意许可" in notice.content["body"]


def test_decision_without_an_outcome_is_refused(
    case_item: ServiceItem, hall_window: Window, approver: User
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.AWAITING_APPROVAL)
    with pytest.raises(ValidationError, match="approves or denies"):
        notice_issue(actor=approver, case=case, kind=NoticeKind.DECISION)


def test_extension_notice_moves_both_deadlines_across_holidays(
    case_item: ServiceItem, hall_window: Window, approver: User
) -> None:
    # Before the engine moved the deadlines: 3 more working days after Tue 2025-10-14 is
    # Fri 2025-10-17; after the legal Thu 2025-10-30: Tue 2025-11-04.
    case = accepted_case(case_item, hall_window)
    notice = notice_issue(
        actor=approver,
        case=case,
        kind=NoticeKind.EXTENSION,
        extra={"days": 3, "reason": "需组织专家评审"},
        at=ON_ACCEPTANCE,
    )
    c = notice.content
    assert c["title"] == "延期办理告知书"
    assert c["extension_days"] == 3
    assert c["extension_reason"] == "需组织专家评审"
    assert c["promised_due_on"] == "2025-10-17"
    assert c["legal_due_on"] == "2025-11-04"
    assert "第四十二条" in c["body"][0]


def test_extension_notice_after_the_engine_moved_the_deadlines(
    case_item: ServiceItem, hall_window: Window, approver: User
) -> None:
    case = accepted_case(
        case_item,
        hall_window,
        extension_days=3,
        extension_reason="需组织专家评审",
        promised_due_on=datetime.date(2025, 10, 17),
        legal_due_on=datetime.date(2025, 11, 4),
    )
    notice = notice_issue(actor=approver, case=case, kind=NoticeKind.EXTENSION, at=ON_ACCEPTANCE)
    assert notice.content["promised_due_on"] == "2025-10-17"
    assert notice.content["legal_due_on"] == "2025-11-04"
    with pytest.raises(ValidationError, match="number of days and the reason"):
        notice_issue(
            actor=approver,
            case=accepted_case(case_item, hall_window),
            kind=NoticeKind.EXTENSION,
        )


def test_joint_notice_lists_departments_and_their_deadlines(
    joint_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    other_department: Any,
    third_department: Any,
) -> None:
    case = accepted_case(joint_item, hall_window, kind=CaseKind.JOINT)
    # Before the tasks exist: the item's departments, due 3 working days after the clock start.
    early = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.JOINT, extra={"task_days": 3}, at=ON_ACCEPTANCE
    )
    assert early.content["joint_tasks"] == [
        {"department": "县不动产登记中心", "due_on": "2025-10-11"},
        {"department": "县住房和城乡建设局", "due_on": "2025-10-11"},
    ]
    JointTask.objects.create(
        case=case, department=third_department, due_on=datetime.date(2025, 10, 13)
    )
    notice = notice_issue(actor=clerk, case=case, kind=NoticeKind.JOINT, at=ON_ACCEPTANCE)
    c = notice.content
    assert c["title"] == "联办件通知书"
    assert c["lead_department"] == "县市场监督管理局"
    assert c["joint_tasks"] == [{"department": "县住房和城乡建设局", "due_on": "2025-10-13"}]
    table = document(notice)["tables"][0]
    assert table["rows"][0][1:3] == ["县市场监督管理局", "牵头"]
    assert table["rows"][1][1] == "县住房和城乡建设局"
    assert table["rows"][1][3] == "2025年10月13日"


def test_escalated_notice_names_the_higher_center_and_the_forwarding_date(
    escalated_item: ServiceItem, hall_window: Window, clerk: User, city: Center
) -> None:
    case = accepted_case(escalated_item, hall_window, kind=CaseKind.ESCALATED)
    with pytest.raises(ValidationError, match="higher-level center"):
        notice_issue(actor=clerk, case=case, kind=NoticeKind.ESCALATED)
    notice = notice_issue(
        actor=clerk,
        case=case,
        kind=NoticeKind.ESCALATED,
        extra={"escalate_to": city.pk, "forward_by": datetime.date(2025, 10, 10)},
    )
    c = notice.content
    assert c["title"] == "上报件告知书"
    assert c["escalated_to"] == "示例市政务服务中心"
    assert c["forward_by"] == "2025-10-10"
    assert "2025年10月10日" in c["body"][1]


def test_issued_content_does_not_change_with_the_case(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window)
    notice = notice_issue(actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=ON_ACCEPTANCE)
    case_item.name = "改名后的事项"
    case_item.save()
    Case.objects.filter(pk=case.pk).update(promised_due_on=datetime.date(2025, 12, 1))
    notice.refresh_from_db()
    assert notice.content["item"]["name"] == "食品经营许可"
    assert notice.content["promised_due_on"] == "2025-10-14"


# --- confirmation ---------------------------------------------------------------------------


def test_confirmation_is_recorded_once(
    case_item: ServiceItem, hall_window: Window, clerk: User, clerk_b: User
) -> None:
    case = accepted_case(case_item, hall_window)
    notice = notice_issue(actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=ON_ACCEPTANCE)
    with pytest.raises(ValidationError, match="name of the person who signed"):
        notice_confirm(actor=clerk, notice=notice, confirmed_by_name="  ")
    confirmed = notice_confirm(actor=clerk, notice=notice, confirmed_by_name=" 张三丰 ")
    assert confirmed.confirmed_by_name == "张三丰"
    assert confirmed.confirmed_at is not None
    assert confirmed.confirmation_recorded_by == clerk
    with pytest.raises(Conflict, match="already confirmed"):
        notice_confirm(actor=clerk_b, notice=notice, confirmed_by_name="李四")
    notice.refresh_from_db()
    assert notice.confirmed_by_name == "张三丰"
    event = Event.objects.get(action="case.confirm_notice")
    assert event.actor_id == clerk.pk
    assert event.data["notice"] == notice.number


def test_confirmation_refused_to_outsiders_and_guides(
    case_item: ServiceItem, hall_window: Window, clerk: User, outsider: User, guide: User
) -> None:
    case = accepted_case(case_item, hall_window)
    notice = notice_issue(actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=ON_ACCEPTANCE)
    for actor in (outsider, guide):
        with pytest.raises(ValidationError, match="cannot record confirmations"):
            notice_confirm(actor=actor, notice=notice, confirmed_by_name="张三丰")
    notice.refresh_from_db()
    assert notice.confirmed_at is None


# --- rendering ------------------------------------------------------------------------------


def test_progress_url(settings: Any, case_item: ServiceItem, hall_window: Window) -> None:
    case = accepted_case(case_item, hall_window)
    settings.GOVHALL_PUBLIC_URL = ""
    relative = progress_url_for(case)
    assert relative.startswith("/")
    assert relative.endswith(f"?number={case.number}")
    request = RequestFactory().get("/", HTTP_HOST="hall.example.cn")
    settings.ALLOWED_HOSTS = ["hall.example.cn"]
    assert progress_url_for(case, request) == f"http://hall.example.cn{relative}"
    settings.GOVHALL_PUBLIC_URL = "https://zwfw.example.gov.cn"
    assert progress_url_for(case, request) == f"https://zwfw.example.gov.cn{relative}"


ALL_KINDS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (NoticeKind.ACCEPTANCE, {}, {}),
    (NoticeKind.ONE_TIME, {"missing": ("身份证明",)}, {}),
    (NoticeKind.NOT_ACCEPTED, {}, {"reason": "材料虚假", "basis": "《行政许可法》第七十八条"}),
    (NoticeKind.PREREVIEW_RETURN, {}, {"reason": "照片不清晰"}),
    (NoticeKind.JOINT, {}, {}),
    (NoticeKind.ESCALATED, {}, {"escalate_to": None, "forward_by": "2025-10-10"}),
    (NoticeKind.EXTENSION, {}, {"days": 2, "reason": "需现场核查"}),
    (NoticeKind.DECISION, {"status": CaseStatus.APPROVED}, {}),
]


@pytest.mark.parametrize(("kind", "case_fields", "extra"), ALL_KINDS)
def test_pdf_has_chinese_text_case_number_and_a4_pages(
    kind: str,
    case_fields: dict[str, Any],
    extra: dict[str, Any],
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    county: Center,
) -> None:
    case = accepted_case(case_item, hall_window, **case_fields)
    if "escalate_to" in extra:
        extra = {**extra, "escalate_to": county.pk}
    notice = notice_issue(actor=clerk, case=case, kind=kind, extra=extra, at=ON_ACCEPTANCE)
    data = notice_pdf(notice, progress_url="https://zwfw.example.gov.cn/progress/?number=1")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1  # every notice fits one A4 sheet
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = pdf_text(data)
    assert notice.content["title"] in text
    assert case.number in text
    assert notice.number in text
    # The center issues, except a decision: the licensing department's (以部门名义).
    issuer = "县市场监督管理局" if kind == NoticeKind.DECISION else "示例县政务服务中心"
    assert f"{issuer}（盖章）" in text
    assert "张三丰" in text
    assert "申请人（签字）" in text
    assert "扫码查询办理进度" in text
    assert PERSON_ID not in text
    if notice.content["rights"]:
        assert "行政复议" in text


def test_pdf_lists_missing_materials_and_shows_the_confirmation(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = supplement_case(case_item, hall_window)
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ONE_TIME, extra={"extra": ["授权委托书"]}
    )
    notice_confirm(actor=clerk, notice=notice, confirmed_by_name="张三丰")
    notice.refresh_from_db()
    text = pdf_text(notice_pdf(notice, progress_url="https://x.example/progress/"))
    assert "需补正的材料" in text
    assert "身份证明" in text and "场所使用证明" in text and "授权委托书" in text
    assert "已签收：张三丰" in text


def test_print_page_renders_an_a4_sheet_with_qr_and_signature(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.DENIED, reason="不符合条件")
    case.basis = "《食品经营许可管理办法》第十一条"
    notice = notice_issue(actor=clerk, case=case, kind=NoticeKind.DECISION)
    context = notice_context(notice, progress_url="https://zwfw.example.gov.cn/progress/?number=9")
    html = render_to_string("cases/notice_print.html", context)
    assert "size: A4" in html and "margin: 20mm" in html
    assert 'id="print-button"' in html and "data-print" in html
    assert ".no-print { display: none !important; }" in html
    assert "<svg" in html and 'data-url="https://zwfw.example.gov.cn/progress/?number=9"' in html
    assert "不予许可决定书" in html
    assert notice.number in html
    assert "申请人（签字）" in html
    assert RIGHTS_TEXT in html
    assert 'data-confirmed="0"' in html
    assert 'id="pdf-link"' not in html  # only when the view gives the PDF address
    notice_confirm(actor=clerk, notice=notice, confirmed_by_name="张三丰")
    notice.refresh_from_db()
    context = notice_context(notice, progress_url="https://x.example/")
    context["pdf_url"] = "/notice.pdf"
    html = render_to_string("cases/notice_print.html", context)
    assert 'data-confirmed="1"' in html
    assert 'id="confirmed-line"' in html
    assert 'href="/notice.pdf"' in html


def test_print_page_escapes_case_text(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = make_case(case_item, hall_window, status=CaseStatus.NOT_ACCEPTED, kind="")
    notice = notice_issue(
        actor=clerk,
        case=case,
        kind=NoticeKind.NOT_ACCEPTED,
        extra={"reason": "<script>alert(1)</script>", "basis": "a & b"},
    )
    html = render_to_string("cases/notice_print.html", notice_context(notice, progress_url="/p/"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    text = pdf_text(notice_pdf(notice, progress_url="/p/"))
    assert "<script>alert(1)</script>" in text  # printed literally, not parsed as markup


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_print_page_fits_one_a4_sheet_in_chromium(
    chromium: Any, case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = supplement_case(case_item, hall_window)
    notice = notice_issue(
        actor=clerk,
        case=case,
        kind=NoticeKind.ONE_TIME,
        extra={"extra": [f"补充材料{i}" for i in range(1, 6)]},
    )
    context = notice_context(notice, progress_url="https://zwfw.example.gov.cn/progress/?n=1")
    context["pdf_url"] = "/notice.pdf"
    html = render_to_string("cases/notice_print.html", context)
    browser_context = chromium.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = browser_context.new_page()
        page.set_content(html)
        assert page.locator("#print-button").is_visible()
        assert page.locator("#notice-qr svg").is_visible()
        page.emulate_media(media="print")
        assert not page.locator("#print-button").is_visible()
        assert page.locator("h1").inner_text().replace(" ", "") == "一次性告知书"
        data = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        browser_context.close()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_notice_issue_keeps_the_at_time(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window)
    at = local(2025, 10, 9, 9)
    notice = notice_issue(actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=at)
    assert notice.issued_at == at
    assert notice.content["issued_on"] == "2025-10-09"
    assert timezone.localdate(notice.issued_at) == datetime.date(2025, 10, 9)


def test_decision_of_the_higher_level_without_a_stated_outcome(
    escalated_item: ServiceItem, hall_window: Window, clerk: User, city: Center
) -> None:
    case = accepted_case(
        escalated_item,
        hall_window,
        status=CaseStatus.ESCALATION_CLOSED,
        kind=CaseKind.ESCALATED,
        escalated_to=city,
    )
    with pytest.raises(ValidationError, match="result from the higher level"):
        notice_issue(actor=clerk, case=case, kind=NoticeKind.DECISION)
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.DECISION, extra={"result": "已转省厅处理完毕"}
    )
    assert notice.content["decision"] == ""
    assert notice.content["title"] == "转报件办理结果告知书"
    assert "已转省厅处理完毕" in notice.content["body"]
    denied = notice_issue(
        actor=clerk,
        case=case,
        kind=NoticeKind.DECISION,
        extra={"result": "不予许可", "approved": False},
    )
    assert denied.content["title"] == "不予许可决定书"
    assert denied.content["rights"] == RIGHTS_TEXT


# --- end to end through the engine ----------------------------------------------------------


def test_intake_with_missing_materials_issues_one_one_time_notice(
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    applicant_data: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from govhall.cases.services.action_params import action_params
    from govhall.cases.services.actions import case_act
    from govhall.cases.services.intake import MaterialCheck, case_receive
    from govhall.core.models import OutboundMessage

    checks = [
        MaterialCheck(material_id=m.pk, received=m.name == "申请书")
        for m in case_item.materials.all()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        case = case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=applicant_data,
            materials=checks,
            outcome="supplement",
            outcome_reason="申请人可当日补齐身份证明",
        )
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    notice = Notice.objects.get(case=case)
    assert notice.kind == NoticeKind.ONE_TIME
    assert notice.number == f"{case.number}-BZ01"
    assert [m["name"] for m in notice.content["materials_missing"]] == ["身份证明", "场所使用证明"]
    assert case.supplement_notices == 1
    sms = OutboundMessage.objects.get(purpose="case.supplement")
    assert "身份证明、场所使用证明" in sms.text
    # A second one-time notice by the clerk is refused and changes nothing.
    with pytest.raises(ValidationError):
        case_act(
            actor=clerk,
            case=case,
            action="request_supplement",
            params=action_params(
                "request_supplement", {"missing": [notice.case.materials.get(name="身份证明").pk]}
            ),
        )
    assert Notice.objects.filter(case=case).count() == 1
    text = pdf_text(notice_pdf(notice, progress_url=progress_url_for(case)))
    assert "一次性告知书" in text and case.number in text


def test_intake_accepting_a_promised_case_issues_the_acceptance_notice(
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    applicant_data: Any,
    all_received: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from govhall.cases.services.intake import case_receive
    from govhall.core.models import OutboundMessage

    with django_capture_on_commit_callbacks(execute=True):
        case = case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=applicant_data,
            materials=all_received(case_item),
            outcome="promised",
            at=local(2025, 9, 30, 10),
        )
    assert case.status == CaseStatus.ACCEPTED
    notice = Notice.objects.get(case=case)
    assert notice.kind == NoticeKind.ACCEPTANCE
    c = notice.content
    assert c["accepted_on"] == "2025-09-30"
    assert c["promised_due_on"] == "2025-10-14"
    assert case.promised_due_on == datetime.date(2025, 10, 14)
    assert c["clerk"] == clerk.display_name
    sms = OutboundMessage.objects.get(purpose="case.accepted")
    assert "承诺于2025年10月14日前办结" in sms.text
    html = render_to_string("cases/notice_print.html", notice_context(notice, progress_url="/p"))
    assert "受理通知书" in html and case.number in html


def test_intake_returning_a_case_issues_the_notice_with_the_rights(
    case_item: ServiceItem, hall_window: Window, clerk: User, applicant_data: Any
) -> None:
    from govhall.cases.services.intake import MaterialCheck, case_receive

    checks = [MaterialCheck(material_id=m.pk, received=False) for m in case_item.materials.all()]
    case = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=checks,
        outcome="returned",
        reason="主要申请材料缺失",
        basis="《行政许可法》第三十二条第一款",
    )
    assert case.status == CaseStatus.NOT_ACCEPTED
    notice = Notice.objects.get(case=case)
    assert notice.kind == NoticeKind.NOT_ACCEPTED
    assert notice.content["rights"] == RIGHTS_TEXT
    assert notice.content["reason"] == "主要申请材料缺失"


# --- concurrency (PostgreSQL) ---------------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_one_time_notices_at_once_only_one_is_issued(
    case_item: ServiceItem, hall_window: Window, clerk: User, clerk_b: User
) -> None:
    case = supplement_case(case_item, hall_window)

    def issue(actor: User) -> Notice:
        return notice_issue(
            actor=actor, case=Case.objects.get(pk=case.pk), kind=NoticeKind.ONE_TIME
        )

    results = run_at_once([lambda: issue(clerk), lambda: issue(clerk_b)])
    issued = [r for r in results if isinstance(r, Notice)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(issued) == 1 and len(refused) == 1, results
    assert SECOND_REFUSED in refused[0].messages[0]
    case.refresh_from_db()
    assert case.supplement_notices == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_notices_issued_at_once_get_distinct_numbers(
    case_item: ServiceItem, hall_window: Window, clerk: User, clerk_b: User
) -> None:
    case = accepted_case(case_item, hall_window)

    def issue(actor: User) -> Notice:
        return notice_issue(
            actor=actor,
            case=Case.objects.get(pk=case.pk),
            kind=NoticeKind.ACCEPTANCE,
            at=ON_ACCEPTANCE,
        )

    results = run_at_once([lambda: issue(clerk), lambda: issue(clerk_b), lambda: issue(clerk)])
    assert all(isinstance(r, Notice) for r in results), results
    assert sorted(r.number[-4:] for r in results) == ["SL01", "SL02", "SL03"]
