"""抄告相关、同步预审 (issue 19 item 2): an online case of a joint item is pre-reviewed by the
lead and every participating department in parallel; the lead passes only when all passed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.cases.access.cases import access_case
from govhall.cases.models import Case, PrereviewTask
from govhall.cases.queries.cases import inbox
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.permissions import available_actions, refusal
from govhall.cases.services.prereview import prereview_task_decide
from govhall.cases.statuses import CaseStatus, PrereviewStatus
from govhall.core.models import Event
from govhall.testing.online_cases import joint_online_case, submit_online

pytestmark = pytest.mark.django_db


def _task(case: Case, department_id: int) -> PrereviewTask:
    return PrereviewTask.objects.get(case=case, department_id=department_id)


def test_submission_opens_a_task_per_department_in_the_same_transaction(
    county, case_item, full_item, applicant_data, clerk
):
    joint = joint_online_case(county, case_item, applicant_data)
    tasks = list(joint.case.prereview_tasks.order_by("-is_lead", "id"))
    assert [(t.department_id, t.is_lead, t.status) for t in tasks] == [
        (case_item.department_id, True, PrereviewStatus.PENDING),
        (joint.second.pk, False, PrereviewStatus.PENDING),
        (joint.third.pk, False, PrereviewStatus.PENDING),
    ]
    # a plain item: only the lead's task
    plain = submit_online(full_item, applicant_data, key="plain")
    assert list(plain.prereview_tasks.values_list("department_id", "is_lead")) == [
        (full_item.department_id, True)
    ]


def test_each_department_sees_the_submission_at_once(county, case_item, applicant_data, clerk):
    joint = joint_online_case(county, case_item, applicant_data)
    for person in (joint.second_clerk, joint.third_clerk):
        assert access_case(person, joint.case.pk) == joint.case
        sections = {s.key: s for s in inbox(person, joint.case.received_at.date())}
        assert [c.pk for c in sections["prereview"].cases] == [joint.case.pk]
    # the lead's window sees it too
    window = {s.key: s for s in inbox(clerk, joint.case.received_at.date())}["window"]
    assert joint.case.pk in [c.pk for c in window.cases]


def test_lead_passes_only_when_every_department_passed(county, case_item, applicant_data, clerk):
    joint = joint_online_case(county, case_item, applicant_data)
    case = joint.case
    assert "prereview_pass" not in {row.action for row in available_actions(clerk, case)}
    reason = refusal(clerk, case, "prereview_pass")
    assert reason and joint.second.name in reason and joint.third.name in reason
    with pytest.raises(ValidationError):
        case_act(actor=clerk, case=case, action="prereview_pass")

    prereview_task_decide(
        actor=joint.second_clerk, task=_task(case, joint.second.pk), passed=True, opinion=""
    )
    reason = refusal(clerk, case, "prereview_pass")
    assert reason and joint.second.name not in reason and joint.third.name in reason
    prereview_task_decide(
        actor=joint.third_clerk, task=_task(case, joint.third.pk), passed=True, opinion="同意"
    )
    assert refusal(clerk, case, "prereview_pass") is None
    case = case_act(actor=clerk, case=case, action="prereview_pass")
    assert case.status == CaseStatus.RECEIVED
    lead = case.prereview_tasks.get(is_lead=True)
    assert lead.status == PrereviewStatus.PASSED and lead.done_by == clerk
    actions = list(Event.objects.for_object(case).values_list("action", flat=True))
    assert actions.count("case.pass_prereview_task") == 2
    assert actions.count("case.prereview_pass") == 1


def test_only_the_departments_window_staff_decide_its_task(
    county, case_item, applicant_data, clerk, reviewer
):
    joint = joint_online_case(county, case_item, applicant_data)
    task = _task(joint.case, joint.second.pk)
    for stranger in (joint.third_clerk, clerk, reviewer):
        with pytest.raises(ValidationError):
            prereview_task_decide(actor=stranger, task=task, passed=True, opinion="")
    lead = joint.case.prereview_tasks.get(is_lead=True)
    with pytest.raises(ValidationError):  # the lead's task goes through the case's actions
        prereview_task_decide(actor=clerk, task=lead, passed=True, opinion="")
    assert _task(joint.case, joint.second.pk).status == PrereviewStatus.PENDING


def test_a_department_return_needs_an_opinion_and_ends_the_other_open_tasks(
    county, case_item, applicant_data, clerk
):
    joint = joint_online_case(county, case_item, applicant_data)
    case = joint.case
    with pytest.raises(ValidationError) as error:
        prereview_task_decide(
            actor=joint.second_clerk, task=_task(case, joint.second.pk), passed=False, opinion=""
        )
    assert "opinion" in error.value.message_dict
    prereview_task_decide(
        actor=joint.second_clerk,
        task=_task(case, joint.second.pk),
        passed=False,
        opinion="缺少健康证明",
    )
    third = _task(case, joint.third.pk)
    assert third.status == PrereviewStatus.RETURNED and third.done_by is None
    assert joint.second.name in third.opinion
    with pytest.raises(CaseConflict):  # already ended
        prereview_task_decide(actor=joint.third_clerk, task=third, passed=True, opinion="")
    # the lead cannot pass, and the button says why
    reason = refusal(clerk, case, "prereview_pass")
    assert reason and joint.second.name in reason
    case = case_act(
        actor=clerk,
        case=case,
        action="prereview_return",
        params=action_params("prereview_return", {"reason": "缺少健康证明"}),
    )
    assert case.status == CaseStatus.PREREVIEW_RETURNED
    lead = case.prereview_tasks.get(is_lead=True)
    assert lead.status == PrereviewStatus.RETURNED and lead.opinion
    assert not case.prereview_tasks.filter(status=PrereviewStatus.PENDING).exists()


def test_a_supplement_request_ends_the_open_tasks(county, case_item, applicant_data, clerk):
    joint = joint_online_case(county, case_item, applicant_data)
    case = joint.case
    prereview_task_decide(
        actor=joint.second_clerk, task=_task(case, joint.second.pk), passed=True, opinion=""
    )
    material = case.materials.all()[0]
    case = case_act(
        actor=clerk,
        case=case,
        action="request_supplement",
        params=action_params("request_supplement", {"missing": [material.pk]}),
    )
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    statuses = dict(case.prereview_tasks.values_list("department_id", "status"))
    assert statuses[joint.second.pk] == PrereviewStatus.PASSED  # decided before: kept
    assert statuses[joint.third.pk] == PrereviewStatus.RETURNED
    assert statuses[case_item.department_id] == PrereviewStatus.RETURNED
    assert Event.objects.for_object(case).filter(action="case.end_prereview_tasks").count() == 1
    # nobody decides a task of a case no longer in pre-review
    with pytest.raises(CaseConflict):
        prereview_task_decide(
            actor=joint.third_clerk, task=_task(case, joint.third.pk), passed=True, opinion=""
        )


def test_the_case_page_shows_the_tasks_and_the_blocked_pass(
    client, county, case_item, applicant_data, clerk
):
    joint = joint_online_case(county, case_item, applicant_data)
    client.force_login(clerk)
    page = client.get(reverse("workbench:case", args=[joint.case.pk])).content.decode()
    assert joint.second.name in page and joint.third.name in page
    assert "prereview-blocked" in page  # the pass button, disabled, with the reason
    client.force_login(joint.second_clerk)
    task = _task(joint.case, joint.second.pk)
    url = reverse("workbench:case_prereview_task", args=[joint.case.pk, task.pk])
    response = client.post(url, {"decision": "pass", "opinion": "同意"})
    assert response.status_code == 302
    assert _task(joint.case, joint.second.pk).status == PrereviewStatus.PASSED


def test_the_api_decides_a_department_task(
    client_as, county, case_item, applicant_data, clerk, outsider
):
    joint = joint_online_case(county, case_item, applicant_data)
    task = _task(joint.case, joint.second.pk)
    url = f"/api/v1/cases/{joint.case.pk}/prereview-tasks/{task.pk}/decide"

    def post(person, body):  # type: ignore[no-untyped-def]
        return client_as(person).post(url, body, content_type="application/json")

    assert post(outsider, {"decision": "pass"}).status_code == 404
    assert post(joint.third_clerk, {"decision": "pass"}).status_code == 422  # not their task
    refused = post(joint.second_clerk, {"decision": "return", "opinion": ""})
    assert refused.status_code == 422 and "opinion" in refused.json()["errors"]
    done = post(joint.second_clerk, {"decision": "pass", "opinion": "同意"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "passed" and done.json()["department"]["name"]
    assert post(joint.second_clerk, {"decision": "pass"}).status_code == 409
