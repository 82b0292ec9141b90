"""Complaint pages: confidentiality by role (who sees who complained), the register and the
lifecycle buttons, the 交办单 and the reply letter, the department's list, the menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.feedback.access.complaints import sees_complainant
from govhall.feedback.models import Complaint, ComplaintStatus
from govhall.feedback.services.complaints import complaint_answer, complaint_assign
from govhall.testing.complaints import local, make_complaint
from govhall.testing.factories import make_staff

pytestmark = pytest.mark.django_db
NAME, PHONE, ADDRESS = "张三丰", "13812345678", "示例县人民路1号"


@pytest.fixture
def target(county, department):
    return make_staff(Role.CLERK, county, department, username="target", window_staff=True)


@pytest.fixture
def complaint(county, department, director, target):
    complaint = make_complaint(director, county, target=target, complainant_address=ADDRESS)
    complaint_assign(actor=director, complaint=complaint, version=1, department_id=department.pk)
    complaint.refresh_from_db()
    return complaint


def views_logged(user, complaint):
    return Event.objects.filter(
        action="feedback.view_personal_data", actor=user, object_id=str(complaint.pk)
    ).count()


def page_of(client_as, user, name, complaint):
    return client_as(user).get(reverse(name, args=[complaint.pk]))


# --- confidentiality by role -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reads", "sees"),
    [
        ("director", True, True),
        ("supervisor", True, True),
        ("clerk", True, False),  # a clerk of the department that got the 交办单
        ("dept_leader", True, False),
        ("target", False, False),  # the staff member complained about
        ("outsider", False, False),
    ],
)
def test_each_role_sees_or_does_not_see_the_complainant(
    request, client_as, complaint, who, reads, sees
):
    user = request.getfixturevalue(who)
    response = page_of(client_as, user, "workbench:complaint", complaint)
    assert response.status_code == (200 if reads else 404)
    body = response.content.decode()
    assert (NAME in body) is sees and (PHONE in body) is sees and (ADDRESS in body) is sees
    assert views_logged(user, complaint) == (1 if sees else 0)
    if reads:
        assert complaint.summary in body
        assert sees_complainant(user, complaint) is sees
        assert ('id="complainant-secret"' in body) is not sees
    # the printed 交办单 carries the matter but never the complainant, for anyone
    slip = page_of(client_as, user, "workbench:complaint_slip", complaint)
    assert slip.status_code == (200 if reads else 404)
    assert NAME not in slip.content.decode() and PHONE not in slip.content.decode()


def test_the_department_reads_nothing_before_the_assignment(
    client_as, county, director, clerk, target
):
    complaint = make_complaint(director, county, target=target)
    assert page_of(client_as, clerk, "workbench:complaint", complaint).status_code == 404
    assert client_as(clerk).get(reverse("workbench:complaints_assigned")).status_code == 200


def test_lists_mask_the_complainant_for_handlers_and_hide_it_from_the_department(
    client_as, complaint, director, clerk
):
    body = client_as(director).get(reverse("workbench:complaints")).content.decode()
    assert complaint.number in body and "张*丰" in body and "138****5678" in body
    assert NAME not in body and PHONE not in body
    assigned = client_as(clerk).get(reverse("workbench:complaints_assigned")).content.decode()
    assert complaint.number in assigned and "张*丰" not in assigned and "138*" not in assigned
    assert client_as(clerk).get(reverse("workbench:complaints")).status_code == 404


def test_overdue_first_and_filters(client_as, county, director):
    recent = make_complaint(director, county, summary="新投诉")
    late = make_complaint(director, county, summary="逾期投诉", received_at=local(2025, 12, 1, 9))
    rows = client_as(director).get(reverse("workbench:complaints")).content.decode()
    assert rows.index(late.number) < rows.index(recent.number)
    only = client_as(director).get(reverse("workbench:complaints"), {"overdue": "on"})
    assert late.number in only.content.decode() and recent.number not in only.content.decode()


# --- registering and acting --------------------------------------------------------------------


def test_register_on_the_page_then_answer_with_the_buttons(
    client_as, county, department, director, target
):
    client = client_as(director)
    response = client.post(
        reverse("workbench:complaint_new"),
        {
            "center": county.pk,
            "channel": "phone",
            "target_kind": "staff",
            "target_staff": target.pk,
            "summary": "推诿扯皮",
            "complexity": "complex",
            "complainant_name": NAME,
            "complainant_phone": PHONE,
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{complaint.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert 'id="do-assign"' in page and 'id="do-answer"' in page and 'id="do-reply"' not in page
    # No finding is chosen for the handler (a verified one costs the person points).
    assert '<option value="" selected>—</option>' in page.split('name="answer-finding"')[1]
    unchosen = client.post(
        reverse("workbench:complaint_act", args=[complaint.pk, "answer"]),
        {"answer-version": 1, "answer-finding": "", "answer-result": "属实，已批评教育"},
    )
    assert unchosen.status_code == 400

    stale = client.post(
        reverse("workbench:complaint_act", args=[complaint.pk, "answer"]),
        {"answer-version": 7, "answer-finding": "verified", "answer-result": "属实，已批评教育"},
    )
    assert stale.status_code == 409
    done = client.post(
        reverse("workbench:complaint_act", args=[complaint.pk, "answer"]),
        {"answer-version": 1, "answer-finding": "verified", "answer-result": "属实，已批评教育"},
    )
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED and complaint.finding == "verified"


def test_register_page_refuses_bad_input_with_400(client_as, director, county):
    response = client_as(director).post(
        reverse("workbench:complaint_new"),
        {"center": county.pk, "channel": "visit", "target_kind": "window", "summary": "x"},
    )
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_department_replies_and_the_target_cannot_act(client_as, complaint, clerk, target):
    url = reverse("workbench:complaint_act", args=[complaint.pk, "reply"])
    assert client_as(target).post(url, {"reply-version": 2, "reply-reply": "x"}).status_code == 404
    replied = client_as(clerk).post(url, {"reply-version": 2, "reply-reply": "已整改"})
    assert replied.status_code == 302
    complaint.refresh_from_db()
    assert complaint.department_reply == "已整改"


def test_reply_letter_for_handlers_only(client_as, complaint, director, clerk):
    url = reverse("workbench:complaint_letter", args=[complaint.pk])
    assert client_as(director).get(url).status_code == 404  # not answered yet
    complaint_answer(
        actor=director, complaint=complaint, version=2, finding="partly", result="部分属实。"
    )
    letter = client_as(director).get(url)
    assert letter.status_code == 200
    body = letter.content.decode()
    assert NAME in body and ADDRESS in body and "部分属实。" in body
    assert client_as(clerk).get(url).status_code == 404
    assert views_logged(director, complaint) == 1


def test_menu_entries_follow_the_pages(client_as, director, clerk, guide):
    home = client_as(director).get(reverse("workbench:home")).content.decode()
    assert reverse("workbench:complaints") in home and reverse("workbench:complaint_new") in home
    clerk_home = client_as(clerk).get(reverse("workbench:home")).content.decode()
    assert reverse("workbench:complaints_assigned") in clerk_home
    assert reverse("workbench:complaint_new") not in clerk_home
    assert client_as(guide).get(reverse("workbench:complaints_assigned")).status_code == 404


def test_chinese_labels_fit_a_complaint(client_as, complaint, director):
    """Walk-through finding: borrowed words from other screens — the channel 'Letter' shown as
    字母 (a queue group's letter), 'Phone' as 咨询电话, the date filter's 'To' as 收件人, the
    complainant's name as 名称 (an organisation's name)."""
    listing = client_as(director).get(reverse("workbench:complaints")).content.decode()
    assert "字母" not in listing and "收件人" not in listing and "咨询电话" not in listing
    assert "信函" in listing and ">电话<" in listing and "截止日期" in listing
    detail = page_of(client_as, director, "workbench:complaint", complaint).content.decode()
    assert "咨询电话" not in detail and "咨询事项" not in detail and "名称" not in detail
    assert "姓名" in detail and "联系电话" in detail and "投诉内容" in detail
