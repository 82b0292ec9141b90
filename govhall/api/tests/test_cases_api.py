"""Cases API: intake (window and online, idempotent), list (masked, bounded queries), detail
(full data, logged), timeline, actions (409 on a stale version, 422 with the refusal), notices
and their PDF, fees, joint review, scoping (outsiders get 404 everywhere), token POSTs without
CSRF, and the OpenAPI document."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from govhall.cases.models import Case, JointMeeting, JointTask, Notice
from govhall.cases.statuses import CaseStatus
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.core.tokens import api_token_create
from govhall.testing.cases import PERSON_ID
from govhall.testing.factories import ItemWindowFactory, ServiceItemFactory, make_staff

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cases"
PHONE = "13812345678"


@pytest.fixture
def client() -> Client:
    # English msgids in answers, whatever the translations say later.
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def case_item(case_item):
    """The hall's item, offered online (POST /online refuses the others, issue 19 item 2)."""
    case_item.online_available = True
    case_item.save(update_fields=["online_available"])
    return case_item


def applicant_json(**changes: str) -> dict[str, str]:
    return {
        "kind": "person",
        "name": "张三丰",
        "id_number": PERSON_ID,
        "phone": PHONE,
        **changes,
    }


def materials_json(item, *, missing: tuple[str, ...] = ()) -> list[dict[str, object]]:
    return [{"material_id": m.pk, "received": m.name not in missing} for m in item.materials.all()]


def receive_json(item, window, outcome: str = "promised", **extra: object) -> dict[str, object]:
    return {
        "item_id": item.pk,
        "window_id": window.pk,
        "applicant": applicant_json(),
        "materials": materials_json(item),
        "outcome": outcome,
        **extra,
    }


def post(client, url: str, body: dict | None = None, **headers: str):
    return client.post(url, body or {}, content_type="application/json", **headers)


@pytest.fixture
def received(client_as, clerk, case_item, hall_window) -> dict:
    """A promised case of a PARTIAL item, received and accepted at the window by the clerk."""
    response = post(client_as(clerk), f"{BASE}/", receive_json(case_item, hall_window))
    assert response.status_code == 201, response.content
    return response.json()


def test_receive_list_detail_events_actions(client_as, clerk, received):
    client = client_as(clerk)
    assert received["status"] == "accepted" and received["kind"] == "promised"
    assert received["national_code"] == "05" and received["version"] >= 2
    assert received["applicant"]["id_number"] == "1101**********4477"
    assert received["applicant"]["phone"] == "138****5678"
    assert isinstance(received["working_days_left"], int)

    listed = client.get(f"{BASE}/").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == received["number"]
    assert PERSON_ID not in str(listed) and PHONE not in str(listed)

    case_id = received["id"]
    before = Event.objects.filter(action="case.view_personal_data").count()
    detail = client.get(f"{BASE}/{case_id}", {"purpose": "核对申请人"})
    assert detail.status_code == 200
    body = detail.json()
    assert body["applicant"]["id_number"] == PERSON_ID and body["applicant"]["phone"] == PHONE
    assert len(body["materials"]) == 3 and body["received_by"]["username"] == "clerk"
    view = Event.objects.filter(action="case.view_personal_data").latest("id")
    assert Event.objects.filter(action="case.view_personal_data").count() == before + 1
    assert view.actor == clerk and view.object_id == str(case_id) and "核对申请人" in view.note

    events = client.get(f"{BASE}/{case_id}/events").json()
    actions = [event["action"] for event in events]
    assert actions[:2] == ["case.receive", "case.accept"]
    assert "case.view_personal_data" not in actions
    assert events[0]["actor"]["username"] == "clerk"

    available = client.get(f"{BASE}/{case_id}/actions").json()
    assert available["version"] == received["version"]
    names = {row["action"]: row for row in available["actions"]}
    # PARTIAL: the window reviews and the department approves; the window may not approve.
    assert "review" in names and "approve" not in names
    assert names["review"]["next_status"] == "awaiting_approval" and names["review"]["label"]


def test_filters_on_the_list(client_as, clerk, received):
    client = client_as(clerk)
    assert client.get(f"{BASE}/", {"status": "accepted"}).json()["count"] == 1
    assert client.get(f"{BASE}/", {"status": "closed"}).json()["count"] == 0
    assert client.get(f"{BASE}/", {"kind": "joint"}).json()["count"] == 0
    assert client.get(f"{BASE}/", {"q": received["number"][-5:]}).json()["count"] == 1
    assert client.get(f"{BASE}/", {"due": "overdue"}).json()["count"] == 0
    assert client.get(f"{BASE}/", {"status": "nonsense"}).status_code == 422
    assert client.get(f"{BASE}/", {"due": "soon"}).status_code == 422


def test_action_flow_with_versions(client_as, clerk, approver, received):
    case_id, version = received["id"], received["version"]
    reviewed = post(
        client_as(clerk),
        f"{BASE}/{case_id}/actions/review",
        {"expected_version": version, "note": "材料齐全，同意"},
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["status"] == "awaiting_approval"
    assert reviewed.json()["version"] == version + 1
    approved = post(
        client_as(approver),
        f"{BASE}/{case_id}/actions/approve",
        {"expected_version": version + 1},
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["national_code"] == "10"


def test_stale_version_is_409_and_changes_nothing(client_as, clerk, received):
    client = client_as(clerk)
    case_id, version = received["id"], received["version"]
    stale = post(client, f"{BASE}/{case_id}/actions/review", {"expected_version": version - 1})
    assert stale.status_code == 409
    assert "reload the page" in stale.json()["detail"]
    case = Case.objects.get(pk=case_id)
    assert case.status == CaseStatus.ACCEPTED and case.version == version
    # An action the current status does not have is a conflict too (the page was stale).
    wrong_status = post(client, f"{BASE}/{case_id}/actions/deliver", {"params": {}})
    assert wrong_status.status_code == 409


def test_refused_action_is_422_with_the_message(client_as, clerk, reviewer, received):
    case_id, version = received["id"], received["version"]
    # PARTIAL authorization: the window may not decide.
    refused = post(
        client_as(clerk), f"{BASE}/{case_id}/actions/approve", {"expected_version": version}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"]
    # Missing required parameters: field messages.
    no_reason = post(
        client_as(clerk), f"{BASE}/{case_id}/actions/suspend", {"expected_version": version}
    )
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["errors"]
    unknown = post(client_as(clerk), f"{BASE}/{case_id}/actions/teleport", {})
    assert unknown.status_code == 422
    # Nothing changed.
    case = Case.objects.get(pk=case_id)
    assert case.status == CaseStatus.ACCEPTED and case.version == version


def test_bad_intake_is_422_with_field_messages(client_as, clerk, case_item, hall_window):
    body = receive_json(case_item, hall_window)
    body["applicant"] = applicant_json(id_number="110101199003074478", phone="12345")
    response = post(client_as(clerk), f"{BASE}/", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "check digit" in " ".join(errors["id_number"]) and errors["phone"]
    assert Case.objects.count() == 0


def test_online_submission_is_idempotent(client_as, clerk, case_item):
    client = client_as(clerk)
    body = {
        "item_id": case_item.pk,
        "applicant": applicant_json(),
        "materials": materials_json(case_item),
    }
    first = post(client, f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="web-7f3a")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "submitted" and first.json()["channel"] == "online"
    again = post(client, f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="web-7f3a")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1
    # The key may come in the body instead of the header.
    in_body = post(client, f"{BASE}/online", {**body, "idempotency_key": "web-7f3a"})
    assert in_body.status_code == 200 and in_body.json()["id"] == first.json()["id"]
    differ = post(
        client,
        f"{BASE}/online",
        {**body, "idempotency_key": "other"},
        HTTP_IDEMPOTENCY_KEY="web-7f3a",
    )
    assert differ.status_code == 422 and "idempotency_key" in differ.json()["errors"]
    assert Case.objects.count() == 1


def test_online_submission_refuses_items_not_offered_online(client_as, clerk, case_item):
    case_item.online_available = False
    case_item.save(update_fields=["online_available"])
    body = {"item_id": case_item.pk, "applicant": applicant_json(), "materials": []}
    client = client_as(clerk)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = post(client, f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="web-off")
    assert response.status_code == 422
    assert "网上" in " ".join(response.json()["errors"]["item"])
    assert Case.objects.count() == 0


def test_window_intake_is_idempotent(client_as, clerk, case_item, hall_window):
    client = client_as(clerk)
    body = receive_json(case_item, hall_window)
    first = post(client, f"{BASE}/", body, HTTP_IDEMPOTENCY_KEY="desk-1-0001")
    again = post(client, f"{BASE}/", body, HTTP_IDEMPOTENCY_KEY="desk-1-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Case.objects.count() == 1


def test_someone_elses_key_reveals_nothing(client_as, clerk, case_item, outsider):
    body = {"item_id": case_item.pk, "applicant": applicant_json(), "materials": []}
    assert (
        post(client_as(clerk), f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    )
    # The outsider cannot even name the item; with a key alone nothing leaks.
    response = post(client_as(outsider), f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 404
    assert Case.objects.count() == 1


def test_propose(client_as, clerk, case_item, hall_window):
    client = client_as(clerk)
    body = {"item_id": case_item.pk, "window_id": hall_window.pk}
    complete = post(client, f"{BASE}/propose", {**body, "materials": materials_json(case_item)})
    assert complete.status_code == 200 and complete.json()["outcome"] == "promised"
    missing_main = post(
        client,
        f"{BASE}/propose",
        {**body, "materials": materials_json(case_item, missing=("申请书",))},
    )
    assert missing_main.json()["outcome"] == "returned"
    assert [m["name"] for m in missing_main.json()["missing_main"]] == ["申请书"]
    missing_other = post(
        client,
        f"{BASE}/propose",
        {**body, "materials": materials_json(case_item, missing=("场所使用证明",))},
    )
    assert missing_other.json()["outcome"] == "supplement"
    assert Case.objects.count() == 0


def test_notices_pdf_and_confirmation(client_as, clerk, received):
    client = client_as(clerk)
    case_id = received["id"]
    notices = client.get(f"{BASE}/{case_id}/notices").json()
    assert [n["kind"] for n in notices] == ["acceptance"]
    notice = notices[0]
    assert notice["number"].startswith(received["number"])
    pdf = client.get(notice["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    url = f"{BASE}/{case_id}/notices/{notice['id']}/confirm"
    confirmed = post(client, url, {"confirmed_by_name": "张三丰"})
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_by_name"] == "张三丰"
    twice = post(client, url, {"confirmed_by_name": "张三丰"})
    assert twice.status_code == 409 and "already confirmed" in twice.json()["detail"]
    other_case_notice = Notice.objects.exclude(case_id=case_id).first()
    assert other_case_notice is None
    assert client.get(f"{BASE}/{case_id}/notices/999999/pdf").status_code == 404


def test_fees_against_the_standard(client_as, clerk, received, case_item):
    client = client_as(clerk)
    fee_item = case_item.fees.get()
    url = f"{BASE}/{received['id']}/fees"
    too_much = str(fee_item.standard_amount * 2 + 1)
    above = post(client, url, {"fee_item_id": fee_item.pk, "quantity": 2, "amount": too_much})
    assert above.status_code == 422 and "above the approved standard" in above.json()["detail"]
    ok = post(
        client,
        url,
        {
            "fee_item_id": fee_item.pk,
            "quantity": 1,
            "amount": str(fee_item.standard_amount),
            "receipt_number": "R-001",
        },
    )
    assert ok.status_code == 201, ok.content
    assert (
        ok.json()["receipt_number"] == "R-001" and ok.json()["recorded_by"]["username"] == "clerk"
    )
    wrong_item = post(client, url, {"fee_item_id": 999999, "quantity": 1, "amount": "1"})
    assert wrong_item.status_code == 422 and "fee_item" in wrong_item.json()["errors"]


def test_joint_tasks_and_meeting(
    client_as, clerk, director, joint_item, hall_window, other_department, county
):
    response = post(client_as(clerk), f"{BASE}/", receive_json(joint_item, hall_window, "joint"))
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    assert response.json()["status"] == "joint_review"
    task = JointTask.objects.get(case_id=case_id, department=other_department)
    other_reviewer = make_staff(Role.REVIEWER, county, other_department, username="bdc_reviewer")
    url = f"{BASE}/{case_id}/joint-tasks/{task.pk}/complete"
    done = post(client_as(other_reviewer), url, {"opinion": "同意", "agrees": True})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["done_by"]["username"] == "bdc_reviewer"
    assert (
        post(client_as(other_reviewer), url, {"opinion": "再次", "agrees": True}).status_code == 422
    )
    held = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    meeting = {"held_at": held, "participants": "张局、李科", "conclusions": "同意办理"}
    refused = post(client_as(clerk), f"{BASE}/{case_id}/joint-meetings", meeting)
    assert refused.status_code == 422
    # The lead window's proposal comes to the director before the meeting (issue 16 item 7).
    early = post(client_as(director), f"{BASE}/{case_id}/joint-meetings", meeting)
    assert early.status_code == 422 and "proposal" in early.json()["errors"]
    proposed = post(client_as(clerk), f"{BASE}/{case_id}/joint-proposals", {"text": "建议联审"})
    assert proposed.status_code == 201, proposed.content
    recorded = post(client_as(director), f"{BASE}/{case_id}/joint-meetings", meeting)
    assert recorded.status_code == 201 and recorded.json()["conclusions"] == "同意办理"
    assert JointMeeting.objects.filter(case_id=case_id).count() == 1
    detail = client_as(director).get(f"{BASE}/{case_id}").json()
    assert len(detail["joint_tasks"]) == 2 and len(detail["joint_meetings"]) == 1


def test_outsider_gets_404_on_every_case_endpoint(client_as, clerk, outsider, received, case_item):
    case_id = received["id"]
    notice = Notice.objects.get(case_id=case_id)
    task_url = f"{BASE}/{case_id}/joint-tasks/1/complete"
    client = client_as(outsider)
    gets = [
        f"{BASE}/{case_id}",
        f"{BASE}/{case_id}/events",
        f"{BASE}/{case_id}/actions",
        f"{BASE}/{case_id}/notices",
        f"{BASE}/{case_id}/notices/{notice.pk}/pdf",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (f"{BASE}/{case_id}/actions/void", {"params": {"reason": "x"}}),
        (f"{BASE}/{case_id}/notices/{notice.pk}/confirm", {"confirmed_by_name": "x"}),
        (f"{BASE}/{case_id}/fees", {"fee_item_id": 1, "quantity": 1, "amount": "1"}),
        (task_url, {"opinion": "x", "agrees": True}),
        (
            f"{BASE}/{case_id}/joint-meetings",
            {"held_at": timezone.now().isoformat(), "participants": "x", "conclusions": "x"},
        ),
        (f"{BASE}/propose", {"item_id": case_item.pk, "materials": []}),
    ]
    for url, body in posts:
        assert post(client, url, body).status_code == 404, url
    assert client.get(f"{BASE}/").json()["count"] == 0
    assert not Event.objects.filter(actor=outsider).exists()
    assert Case.objects.get(pk=case_id).status == CaseStatus.ACCEPTED


def test_readers_without_case_roles_and_anonymous(client_as, guide, received):
    anonymous = Client()
    assert anonymous.get(f"{BASE}/").status_code == 401
    assert anonymous.get(f"{BASE}/{received['id']}").status_code == 401
    guide_client = client_as(guide)
    assert guide_client.get(f"{BASE}/{received['id']}").status_code == 404
    assert guide_client.get(f"{BASE}/").json()["count"] == 0


def test_list_queries_do_not_grow_with_rows(
    client_as, clerk, case_item, hall_window, django_assert_max_num_queries
):
    client = client_as(clerk)
    for n in range(3):
        body = receive_json(
            case_item, hall_window, applicant={**applicant_json(), "name": f"甲{n}"}
        )
        assert post(client, f"{BASE}/", body).status_code == 201
    client.get(f"{BASE}/")  # warm the calendar cache
    with django_assert_max_num_queries(8) as few:
        assert client.get(f"{BASE}/").json()["count"] == 3
    queries_for_three = len(few.captured_queries)
    for n in range(12):
        body = receive_json(
            case_item, hall_window, applicant={**applicant_json(), "name": f"乙{n}"}
        )
        assert post(client, f"{BASE}/", body).status_code == 201
    with django_assert_max_num_queries(queries_for_three):
        assert client.get(f"{BASE}/").json()["count"] == 15


def test_token_posts_need_no_csrf(county, department, clerk, received):
    """A department system calls with a token and no cookies; CSRF applies to sessions only."""
    _token, key = api_token_create(actor=None, user=clerk, name="窗口叫号系统")
    system = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    case_id = received["id"]
    url = f"{BASE}/{case_id}/actions/review"
    body = {"expected_version": received["version"]}
    assert post(system, url, body).status_code in {401, 403}
    done = post(system, url, body, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "awaiting_approval"
    assert Event.objects.filter(action="case.review", actor=clerk).exists()
    wrong = post(system, url, body, HTTP_AUTHORIZATION="Bearer gh_nope")
    assert wrong.status_code == 401


def test_openapi_document_lists_every_case_path(client):
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    expected = {
        "/api/v1/cases/": {"get", "post"},
        "/api/v1/cases/{case_id}": {"get"},
        "/api/v1/cases/{case_id}/events": {"get"},
        "/api/v1/cases/{case_id}/actions": {"get"},
        "/api/v1/cases/{case_id}/actions/{action}": {"post"},
        "/api/v1/cases/propose": {"post"},
        "/api/v1/cases/online": {"post"},
        "/api/v1/cases/{case_id}/notices": {"get"},
        "/api/v1/cases/{case_id}/notices/{notice_id}/pdf": {"get"},
        "/api/v1/cases/{case_id}/notices/{notice_id}/confirm": {"post"},
        "/api/v1/cases/{case_id}/fees": {"post"},
        "/api/v1/cases/{case_id}/joint-tasks/{task_id}/complete": {"post"},
        "/api/v1/cases/{case_id}/joint-meetings": {"post"},
        "/api/v1/progress/": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method]["summary"], (path, method)
    online = paths["/api/v1/cases/online"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in online["parameters"])
    assert {"201", "200", "422"} <= set(online["responses"])
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    pdf = paths["/api/v1/cases/{case_id}/notices/{notice_id}/pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]
    case_out = document["components"]["schemas"]["CaseOut"]["properties"]
    assert case_out["national_code"]["description"]
    assert client.get("/api/v1/docs").status_code == 200


def test_plain_intakes_without_a_key_are_two_applications(
    client_as, clerk, county, other_department, hall_window
):
    """Two submits without a key are two cases, each answered 201 — even for another
    department's item that the clerk's own list does not show (it once answered 409 "key
    reused" while creating the case)."""
    item = ServiceItemFactory(
        center=county, department=other_department, code="BDC-1", online_available=True
    )
    ItemWindowFactory(item=item, window=hall_window)
    client = client_as(clerk)
    body = {"item_id": item.pk, "applicant": applicant_json(), "materials": []}
    first = post(client, f"{BASE}/online", body)
    second = post(client, f"{BASE}/online", body)
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert first.json()["id"] != second.json()["id"]
    assert Case.objects.count() == 2
    # A retry with a key returns the first case, whether the list shows it or not.
    keyed = post(client, f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="bdc-77")
    retry = post(client, f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="bdc-77")
    assert (keyed.status_code, retry.status_code) == (201, 200)
    assert keyed.json()["id"] == retry.json()["id"] and Case.objects.count() == 3


def test_a_key_used_by_someone_else_is_409_and_makes_nothing(client_as, clerk, clerk_b, case_item):
    body = {"item_id": case_item.pk, "applicant": applicant_json(), "materials": []}
    mine = post(client_as(clerk), f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="k-shared")
    assert mine.status_code == 201
    events_before = Event.objects.count()
    theirs = post(client_as(clerk_b), f"{BASE}/online", body, HTTP_IDEMPOTENCY_KEY="k-shared")
    assert theirs.status_code == 409 and "idempotency_key" in theirs.json()["errors"]
    assert Case.objects.count() == 1 and Event.objects.count() == events_before
