"""Issue 17 item 3 on the pages and the API: a reprint shows the original issue and promised
dates, the clerk is asked to confirm a notice whose promised date has passed, and the decision
notice carries the licensing department's name and seal line."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import Case, Notice
from govhall.cases.services.notices import notice_issue
from govhall.cases.statuses import CaseStatus, NoticeKind
from govhall.testing.cases import accepted_case, local

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def print_page(client: Client, notice: Notice) -> str:
    url = reverse("workbench:case_notice", args=[notice.case_id, notice.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reprint_a_day_later_shows_the_original_dates(
    client_as, clerk, case_item, hall_window, monkeypatch
) -> None:
    case = accepted_case(case_item, hall_window)
    notice = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=local(2025, 9, 30, 11)
    )
    client = client_as(clerk)
    first = print_page(client, notice)
    assert '<p id="notice-issued-on">2025年9月30日</p>' in first
    assert "2025年10月14日" in first  # the promised date
    # A day later the case moved on (an extension moved its promise): the paper does not.
    Case.objects.filter(pk=case.pk).update(promised_due_on=datetime.date(2025, 10, 17))
    later = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    again = print_page(client_as(clerk), notice)  # signed in again the next day
    assert '<p id="notice-issued-on">2025年9月30日</p>' in again
    assert "2025年10月14日" in again and "2025年10月17日" not in again


def test_the_page_asks_before_issuing_a_notice_promising_the_past(
    client_as, approver, case_item, hall_window
) -> None:
    case = accepted_case(case_item, hall_window)  # promised by 2025-10-14, long past
    client = client_as(approver)
    url = reverse("workbench:case_action", args=[case.pk, "extend"])
    data = {"expected_version": case.version, "days": 3, "reason": "需组织专家评审"}
    warned = client.post(url, data, **HTMX)
    assert warned.status_code == 200
    page = warned.content.decode()
    assert "has already passed" in page and "2025年10月17日" in page
    assert 'type="checkbox" name="confirm_past_promise"' in page
    assert "issue the notice anyway" in page
    case.refresh_from_db()
    assert case.extension_days == 0 and not Notice.objects.filter(case=case).exists()

    done = client.post(url, {**data, "confirm_past_promise": "on"}, **HTMX)
    assert done.status_code == 204
    notice = Notice.objects.get(case=case, kind=NoticeKind.EXTENSION)
    assert notice.content["past_promise_confirmed"] is True
    assert Case.objects.get(pk=case.pk).extension_days == 3


def test_a_normal_action_form_shows_no_confirmation_box(
    client_as, approver, case_item, hall_window
) -> None:
    case = accepted_case(case_item, hall_window)
    url = reverse("workbench:case_action", args=[case.pk, "extend"])
    page = client_as(approver).get(url, **HTMX).content.decode()
    assert 'type="hidden" name="confirm_past_promise"' in page
    assert 'type="checkbox" name="confirm_past_promise"' not in page


def test_the_api_refuses_a_past_promise_with_422_until_confirmed(
    client_as, approver, case_item, hall_window
) -> None:
    case = accepted_case(case_item, hall_window)
    client = client_as(approver)
    url = f"/api/v1/cases/{case.pk}/actions/extend"
    params: dict[str, object] = {"days": 3, "reason": "需组织专家评审"}
    body = {"expected_version": case.version, "params": params}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422
    assert "already passed" in " ".join(refused.json()["errors"]["confirm_past_promise"])
    params["confirm_past_promise"] = True
    assert client.post(url, body, content_type="application/json").status_code == 200


def test_the_decision_notice_has_the_departments_name_and_seal_line(
    client_as, clerk, case_item, hall_window
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.APPROVED)
    acceptance = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.ACCEPTANCE, at=local(2025, 9, 30)
    )
    decision = notice_issue(
        actor=clerk, case=case, kind=NoticeKind.DECISION, at=local(2025, 10, 10)
    )
    client = client_as(clerk)
    page = print_page(client, decision)
    assert '<p class="center-name" id="notice-issuer">县市场监督管理局</p>' in page
    assert "<p>县市场监督管理局（盖章）</p>" in page
    assert "示例县政务服务中心（盖章）" not in page
    page = print_page(client, acceptance)
    assert "<p>示例县政务服务中心（盖章）</p>" in page
