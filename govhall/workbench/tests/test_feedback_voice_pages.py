"""Pages of the suggestion box, social supervisors and satisfaction surveys (issue 15 items 5
and 6), workbench and portal: who sees what, the forms, masking, logging, charts and xlsx."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.feedback.models import Suggestion, SupervisorAppointment, SupervisorVisit, Survey
from govhall.feedback.services.surveys import field_name
from govhall.testing.factories import WindowFactory, make_staff
from govhall.testing.voice import appoint, make_suggestion, make_survey

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)")


def no_inline_script(html: str) -> None:
    scripts = [m.group(0) for m in INLINE_SCRIPT.finditer(html)]
    assert all('type="application/json"' in s for s in scripts), scripts


def test_suggestion_pages_by_user(
    client_as, county, director, supervisor, social_supervisor, clerk, outsider
):
    entry = make_suggestion(county, name="王小明", phone="13812345678", is_public=True)
    listing = reverse("workbench:suggestions")
    detail = reverse("workbench:suggestion", args=[entry.pk])
    html = client_as(director).get(listing).content.decode()
    assert "138****5678" in html and "13812345678" not in html and "王*明" in html
    assert client_as(supervisor).get(detail).status_code == 200
    for user in (social_supervisor, clerk):
        assert client_as(user).get(listing).status_code == 404
    client = client_as(outsider)
    assert entry.content not in client.get(listing).content.decode()
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "reply", "reply": "x"}).status_code == 404
    assert client_as(supervisor).post(detail, {"action": "reply", "reply": "x"}).status_code == 404
    assert Suggestion.objects.get().replied_at is None


def test_reply_and_logged_reveal(client_as, county, director):
    entry = make_suggestion(county, name="王小明", phone="13812345678")
    detail = reverse("workbench:suggestion", args=[entry.pk])
    client = client_as(director)
    page = client.get(detail).content.decode()
    assert "13812345678" not in page
    shown = client.post(detail, {"action": "reveal", "purpose": "电话回访"}).content.decode()
    assert "13812345678" in shown
    assert Event.objects.filter(action="feedback.view_personal_data", object_id=str(entry.pk))
    answer = client.post(detail, {"action": "reply", "reply": "已整改", "version": entry.version})
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.reply == "已整改" and entry.replied_by == director


def test_paper_entry_and_month_summary(client_as, county, director):
    client = client_as(director)
    response = client.post(
        reverse("workbench:suggestion_new"),
        {
            "center": county.pk,
            "kind": "message",
            "received_on": timezone.localdate().isoformat(),
            "content": "纸质留言：希望增加停车位",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Suggestion.objects.get()
    assert entry.channel == "paper"
    month = client.get(reverse("workbench:suggestion_month"), {"center": county.pk}).content
    html = month.decode()
    assert 'id="month-rate">0.0%' in html and "纸质留言" in html


def test_supervisor_pages(client_as, county, director, social_supervisor, supervisor):
    mine = reverse("workbench:my_supervision")
    assert client_as(social_supervisor).get(mine).status_code == 404
    today = timezone.localdate()
    response = client_as(director).post(
        reverse("workbench:supervisor_appointments"),
        {
            "user": social_supervisor.pk,
            "center": county.pk,
            "letter_number": "县政务办〔2026〕3号",
            "employer": "县政协委员",
            "starts_on": (today - datetime.timedelta(days=1)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert SupervisorAppointment.objects.get().user == social_supervisor
    window = WindowFactory(center=county)
    client = client_as(social_supervisor)
    assert client.get(mine).status_code == 200
    recorded = client.post(
        mine,
        {
            "kind": "mystery",
            "visited_on": today.isoformat(),
            "window": window.pk,
            "findings": "窗口人员态度冷淡",
        },
    )
    assert recorded.status_code == 302
    visit = SupervisorVisit.objects.get()
    record = reverse("workbench:supervisor_record", args=[visit.pk])
    assert client_as(supervisor).post(record, {"response": "x"}).status_code == 404
    assert client_as(director).post(record, {"response": "已约谈窗口负责人"}).status_code == 302
    assert "已约谈窗口负责人" in client_as(social_supervisor).get(mine).content.decode()
    # another social supervisor sees neither the record nor the management pages
    other = make_staff(Role.SOCIAL_SUPERVISOR, county, username="social2")
    appoint(director, other, county)
    client = client_as(other)
    assert client.get(record).status_code == 404
    assert client.get(reverse("workbench:supervisor_records")).status_code == 404
    assert "窗口人员态度冷淡" not in client.get(mine).content.decode()


def test_survey_pages_charts_and_xlsx(client_as, county, director, supervisor):
    client = client_as(director)
    data = {"title": "2026年第四季度满意度调查", "year": 2026, "quarter": 4}
    data.update({"q1_text": "服务态度", "q1_kind": "scale", "q1_required": "on"})
    data.update({"q2_text": "渠道", "q2_kind": "choice", "q2_choices": "窗口\n网上"})
    for n in range(3, 13):
        data[f"q{n}_kind"] = "scale"
    response = client.post(reverse("workbench:survey_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get()
    assert [q.kind for q in survey.questions.order_by("position")] == ["scale", "choice"]
    detail = reverse("workbench:survey", args=[survey.pk])
    assert client.post(detail, {"action": "open", "version": survey.version}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    html = client_as(supervisor).get(detail).content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "survey-chart-data" in html
    assert 'id="survey-qr"><svg' in html and survey.public_token in html
    first = survey.questions.get(position=1)
    assert f'id="chart-q{first.pk}"' in html
    no_inline_script(html)
    assert client_as(supervisor).post(detail, {"action": "close"}).status_code == 404
    xlsx = client_as(supervisor).get(reverse("workbench:survey_xlsx", args=[survey.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_outsider_sees_no_survey_or_appointment(client_as, county, director, outsider):
    survey = make_survey(director, county)
    client = client_as(outsider)
    assert client.get(reverse("workbench:survey", args=[survey.pk])).status_code == 404
    assert client.get(reverse("workbench:survey_xlsx", args=[survey.pk])).status_code == 404


# --- portal ---------------------------------------------------------------------------------


def test_portal_suggestion_follow_and_wall(client, county, director):
    page = client.get(reverse("portal:suggestion_new"))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = client.post(
        reverse("portal:suggestion_new"),
        {
            "center": county.pk,
            "kind": "suggestion",
            "content": "建议周末开放",
            "name": "李四五",
            "phone": "13900001111",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    entry = Suggestion.objects.get()
    assert entry.channel == "portal" and entry.is_public
    follow = client.get(response["Location"]).content.decode()
    assert "建议周末开放" in follow and "13900001111" not in follow
    make_suggestion(county, content="不公开的留言")
    entry.reply = "周六上午已开放"
    entry.replied_at = timezone.now()
    entry.save()
    wall = client.get(reverse("portal:message_wall")).content.decode()
    assert "建议周末开放" in wall and "周六上午已开放" in wall and "李*五" in wall
    assert "不公开的留言" not in wall and "13900001111" not in wall
    refused = client.post(reverse("portal:suggestion_new"), {"center": county.pk, "kind": "x"})
    assert refused.status_code == 400
    assert client.get(reverse("portal:suggestion_follow", args=["nope"])).status_code == 404


def test_portal_survey_one_answer_per_device(county, director):
    survey = make_survey(director, county)
    scale = field_name(survey.questions.get(position=1))
    url = reverse("portal:survey", args=[survey.public_token])
    phone = Client()
    page = phone.get(url)
    assert page.status_code == 200 and "govhall_survey_device" in page.cookies
    missing = phone.post(url, {})
    assert missing.status_code == 400 and "survey-errors" in missing.content.decode()
    assert phone.post(url, {scale: "5"}).status_code == 302
    assert phone.post(url, {scale: "4"}).status_code == 409
    no_cookie = Client()
    assert no_cookie.post(url, {scale: "4"}).status_code == 400
    survey.status = "closed"
    survey.save()
    other = Client()
    assert "survey-closed" in other.get(url).content.decode()
    assert other.post(url, {scale: "4"}).status_code in (400, 409)
    draft = make_survey(director, county, open_it=False)
    assert other.get(reverse("portal:survey", args=[draft.public_token])).status_code == 404
