"""上门服务 and 跟踪服务 (issue 21 item 6; seeds/002… 三(一)3): a home visit booked at the front
desk, assigned by the department's leader, done with a result; follow-up calls on a key
project; their pages (personal data masked in lists, the full view logged) and API."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.frontdesk.models import HomeVisit, KeyProject
from govhall.frontdesk.queries.outreach import projects_listed
from govhall.frontdesk.services.follow_ups import follow_up_log, key_project_create
from govhall.frontdesk.services.home_visits import (
    home_visit_book,
    home_visit_record_result,
    home_visit_schedule,
)
from govhall.testing.factories import make_staff

API = "/api/v1/frontdesk/outreach"


def book(actor, county, department, **over):  # type: ignore[no-untyped-def]
    fields = {
        "person_name": "沈桂英",
        "phone": "13905710001",
        "id_number": "",
        "address": "南街社区 12 幢 101",
        "reason": "elderly",
        "matter": "营业执照变更",
        "requested_date": timezone.localdate() + datetime.timedelta(days=2),
        **over,
    }
    return home_visit_book(actor=actor, center=county, department=department, **fields)


def soon() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=1)


@pytest.mark.django_db
class TestHomeVisit:
    def test_booked_assigned_by_the_leader_and_done(
        self, guide, county, department, dept_leader, clerk
    ):
        visit = book(guide, county, department)
        assert visit.status == "requested"
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            home_visit_schedule(actor=clerk, visit=visit, assigned=[clerk], scheduled_for=soon())
        assert "leader" in refused.value.messages[0]
        home_visit_schedule(actor=dept_leader, visit=visit, assigned=[clerk], scheduled_for=soon())
        done = home_visit_record_result(actor=clerk, visit=visit, result="当场办结")
        assert done.status == "done" and done.result == "当场办结" and done.done_at
        with pytest.raises(Conflict):
            home_visit_record_result(actor=clerk, visit=visit, result="again")
        actions = list(
            Event.objects.filter(object_id=str(visit.pk), action__startswith="home_visit.")
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == ["home_visit.book", "home_visit.schedule", "home_visit.record_result"]

    def test_bad_input_changes_nothing(self, guide, county, department):
        with pytest.raises(ValidationError) as refused:
            book(guide, county, department, phone="12", reason="vip", person_name="")
        assert {"phone", "reason", "person_name"} <= set(refused.value.message_dict)
        assert not HomeVisit.objects.exists()

    def test_a_leader_of_another_department_does_not_assign(
        self, guide, county, department, other_department, clerk
    ):
        visit = book(guide, county, department)
        other = make_staff(Role.DEPT_LEADER, county, other_department, username="leader_two")
        with pytest.raises(ValidationError):
            home_visit_schedule(actor=other, visit=visit, assigned=[clerk], scheduled_for=soon())

    def test_pages_mask_the_list_and_log_the_full_view(
        self, client_as, guide, county, department, dept_leader
    ):
        visit = book(guide, county, department)
        client = client_as(guide)
        listed = client.get("/staff/frontdesk/home-visits/").content.decode()
        assert "139****0001" in listed and "13905710001" not in listed
        page = client.get(f"/staff/frontdesk/home-visits/{visit.pk}/").content.decode()
        assert "13905710001" in page
        assert Event.objects.filter(action="home_visit.view_personal_data").count() == 1
        response = client.post(
            "/staff/frontdesk/home-visits/new/",
            {"department": department.pk, "person_name": "", "phone": "1"},
        )
        assert response.status_code == 400 and HomeVisit.objects.count() == 1
        leader = client_as(dept_leader)
        answer = leader.post(
            f"/staff/frontdesk/home-visits/{visit.pk}/schedule/",
            {"assigned": [dept_leader.pk], "scheduled_for": soon().strftime("%Y-%m-%dT%H:%M")},
        )
        assert answer.status_code == 302
        assert HomeVisit.objects.get(pk=visit.pk).status == "scheduled"

    def test_an_outsider_sees_nothing(self, client_as, guide, county, department, outsider):
        visit = book(guide, county, department)
        client = client_as(outsider)
        assert client.get(f"/staff/frontdesk/home-visits/{visit.pk}/").status_code == 404
        assert client.get(f"{API}/home-visits/{visit.pk}").status_code == 404

    def test_api_books_and_lists_masked(self, client_as, guide, department):
        client = client_as(guide)
        body = {
            "department": department.pk,
            "person_name": "蒋建华",
            "phone": "13905710002",
            "address": "纬三路 8 号",
            "reason": "disabled",
            "matter": "残疾人证换领",
            "requested_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        }
        made = client.post(f"{API}/home-visits", json.dumps(body), content_type="application/json")
        assert made.status_code == 201, made.content
        assert made.json()["phone"] == "13905710002"
        assert [a["action"] for a in made.json()["actions"]] == ["cancel"]
        listed = client.get(f"{API}/home-visits").json()
        assert listed[0]["phone"] == "139****0002"
        bad = client.post(
            f"{API}/home-visits",
            json.dumps({**body, "reason": "vip"}),
            content_type="application/json",
        )
        assert bad.status_code == 422 and "reason" in bad.json()["errors"]


@pytest.mark.django_db
class TestFollowUps:
    def test_calls_move_the_due_date_and_an_empty_one_ends_it(self, clerk, county, department):
        today = timezone.localdate()
        project = key_project_create(
            actor=clerk,
            center=county,
            department=department,
            name="产业园一期",
            enterprise="绿源食品",
            contact_name="钱立新",
            contact_phone="13905710003",
        )
        assert list(projects_listed(KeyProject.objects.all(), due_by=today)) == [project]
        follow_up_log(
            actor=clerk,
            project=project,
            called_on=today,
            summary="已告知材料",
            next_due=today + datetime.timedelta(days=7),
        )
        assert not projects_listed(KeyProject.objects.all(), due_by=today).exists()
        with pytest.raises(ValidationError) as refused:
            follow_up_log(actor=clerk, project=project, called_on=today, summary="", next_due=today)
        assert {"summary", "next_due"} <= set(refused.value.message_dict)
        follow_up_log(actor=clerk, project=project, called_on=today, summary="已办结")
        project.refresh_from_db()
        assert project.next_call_due is None and not project.is_active
        assert project.calls.count() == 2

    def test_page_logs_a_call(self, client_as, clerk, county, department):
        project = key_project_create(
            actor=clerk,
            center=county,
            department=department,
            name="产业园",
            enterprise="绿源",
            contact_name="钱",
            contact_phone="13905710003",
        )
        client = client_as(clerk)
        assert "产业园" in client.get("/staff/frontdesk/key-projects/?due=1").content.decode()
        answer = client.post(
            f"/staff/frontdesk/key-projects/{project.pk}/",
            {"called_on": timezone.localdate().isoformat(), "summary": "约定核查"},
        )
        assert answer.status_code == 302 and project.calls.count() == 1
