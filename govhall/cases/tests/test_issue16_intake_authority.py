"""Issue 16 items 5 and 6: intake outcomes (补办件 vs 退回件, attachments promised) and
一审一核 with the window head deciding fully authorised items (seeds 000 篇5 三, 002 三(一)1)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from govhall.cases.case_transitions import Action
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive, propose_outcome
from govhall.cases.services.permissions import available_actions, refusal
from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.supervision.models import Alert
from govhall.supervision.services.step_scan import scan_case_steps
from govhall.testing.cases import local, make_case
from govhall.testing.factories import make_staff
from govhall.testing.sign_in import signed_in

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime.datetime(2025, 9, 26, 10, tzinfo=TZ)


def checks(item, *, missing=(), held=(), pending=()):
    rows = []
    for material in item.materials.all():
        name = material.name
        rows.append(
            MaterialCheck(
                material_id=material.pk,
                received=name not in missing and name not in held and name not in pending,
                held_not_brought=name in held,
                pending=name in pending,
            )
        )
    return rows


@pytest.fixture(autouse=True)
def _at_the_post(clerk, window_head):
    """Cover counts window staff present once signed in (issue 16 item 3)."""
    signed_in(clerk, window_head)
    signed_in(clerk, window_head, at=FRIDAY)


@pytest.fixture
def receive(clerk, hall_window, applicant_data):
    def _receive(item, outcome, **kwargs):
        kwargs.setdefault("materials", checks(item))
        kwargs.setdefault("at", FRIDAY)
        return case_receive(
            actor=kwargs.pop("actor", clerk),
            item=item,
            window=hall_window,
            applicant=applicant_data,
            outcome=outcome,
            **kwargs,
        )

    return _receive


# --- item 5: a main material held but not brought is a supplement, not a return -------------


def test_main_material_held_but_not_brought_proposes_a_supplement(case_item, hall_window):
    def proposed(**kwargs):
        return propose_outcome(
            item=case_item, window=hall_window, checks=checks(case_item, **kwargs)
        )

    assert proposed(missing={"身份证明"}).outcome == Outcome.RETURNED  # cannot have it
    held = proposed(held={"身份证明"})
    assert held.outcome == Outcome.SUPPLEMENT
    assert [m.name for m in held.missing_main] == ["身份证明"]
    assert "身份证明" in " ".join(str(r) for r in held.reasons)
    # one main material held, another really missing: still returned
    assert proposed(held={"身份证明"}, missing={"申请书"}).outcome == Outcome.RETURNED


def test_held_main_material_makes_a_supplement_case_recorded_in_the_event(receive, case_item):
    with pytest.raises(ValidationError) as error:  # held and received at once
        receive(
            case_item,
            Outcome.SUPPLEMENT,
            materials=[
                MaterialCheck(material_id=m.pk, received=True, held_not_brought=True)
                for m in case_item.materials.all()
            ],
        )
    assert "materials" in error.value.message_dict
    case = receive(case_item, Outcome.SUPPLEMENT, materials=checks(case_item, held={"身份证明"}))
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    event = Event.objects.get(action="case.receive", object_id=str(case.pk))
    assert event.data["proposed"] == Outcome.SUPPLEMENT
    assert event.data["held_not_brought"] == ["身份证明"]
    notice = Event.objects.get(action="case.request_supplement", object_id=str(case.pk))
    assert "身份证明" in notice.data["missing"]


def test_attachment_promised_is_accepted_with_a_due_date_outside_the_green_channel(
    receive, case_item, clerk
):
    due = datetime.date(2025, 9, 30)
    promised = checks(case_item, pending={"场所使用证明"})
    proposal = propose_outcome(item=case_item, window=None, checks=promised)
    assert proposal.outcome == Outcome.PROMISED
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.PROMISED, materials=promised)
    assert "pending_due_on" in error.value.message_dict
    # a main material is never promised outside the green channel
    with pytest.raises(ValidationError) as error:
        receive(
            case_item,
            Outcome.PROMISED,
            materials=checks(case_item, pending={"身份证明"}),
            pending_due_on=due,
            outcome_reason="申请人承诺",
        )
    assert "materials" in error.value.message_dict
    case = receive(case_item, Outcome.PROMISED, materials=promised, pending_due_on=due)
    assert case.status == CaseStatus.ACCEPTED and not case.green_channel
    assert case.pending_due_on == due
    row = case.materials.get(name="场所使用证明")
    assert row.pending and not row.received and row.due_on == due
    assert Action.RECEIVE_PENDING in {r.action for r in available_actions(clerk, case)}


def test_overdue_promised_attachment_raises_the_step_alert(case_item, hall_window):
    case = make_case(
        case_item,
        hall_window,
        status=CaseStatus.IN_REVIEW,
        received=local(2025, 9, 29),
        step_started_at=local(2025, 10, 10),
        pending_due_on=datetime.date(2025, 10, 10),
    )
    scan_case_steps(now=local(2025, 10, 11, 9))
    keys = set(Alert.objects.live().filter(case=case).values_list("subject_key", flat=True))
    assert f"case:{case.pk}:pending:2025-10-10" in keys


# --- item 6: 一审一核 and the window head's authority -----------------------------------------


def _add_role(user, role: Role) -> None:
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if hasattr(user, "_govhall_roles"):
        del user._govhall_roles


def test_the_reviewer_never_approves_the_same_case(case_item, hall_window, county, department):
    both = make_staff(Role.REVIEWER, county, department, username="both")
    _add_role(both, Role.APPROVER)
    other = make_staff(Role.APPROVER, county, department, username="approver2")
    case = make_case(case_item, hall_window, status=CaseStatus.IN_REVIEW, step_started_at=FRIDAY)
    case = case_act(actor=both, case=case, action=Action.REVIEW, note="符合条件")
    assert case.status == CaseStatus.AWAITING_APPROVAL
    for action in (Action.APPROVE, Action.DENY):
        why = refusal(both, case, action)
        assert why and "review" in why
        assert action not in {row.action for row in available_actions(both, case)}
    with pytest.raises(ValidationError):
        case_act(actor=both, case=case, action=Action.APPROVE)
    assert refusal(other, case, Action.APPROVE) is None
    done = case_act(actor=other, case=case, action=Action.APPROVE)
    assert done.status == CaseStatus.APPROVED


def test_window_review_then_approval_by_the_same_person_is_refused(case_item, hall_window, clerk):
    _add_role(clerk, Role.APPROVER)  # a clerk of the department who also approves
    case = make_case(case_item, hall_window, status=CaseStatus.ACCEPTED)
    case = case_act(actor=clerk, case=case, action=Action.REVIEW)
    assert case.status == CaseStatus.AWAITING_APPROVAL
    assert refusal(clerk, case, Action.APPROVE)


def test_fully_authorised_items_are_decided_by_the_window_head(
    full_item, hall_window, clerk, window_head
):
    case = make_case(full_item, hall_window, status=CaseStatus.ACCEPTED, kind=CaseKind.PROMISED)
    for action in (Action.APPROVE, Action.DENY):
        why = refusal(clerk, case, action)
        assert why and "window head" in why
        assert action not in {row.action for row in available_actions(clerk, case)}
        assert refusal(window_head, case, action) is None
    with pytest.raises(ValidationError):
        case_act(actor=clerk, case=case, action=Action.APPROVE)
    done = case_act(actor=window_head, case=case, action=Action.APPROVE)
    assert done.status == CaseStatus.APPROVED and done.decided_by == window_head
    event = Event.objects.get(action="case.approve", object_id=str(case.pk))
    assert event.data["in_name_of"] == full_item.department.name


def test_immediate_cases_stay_with_the_clerk_unless_the_setting_says_otherwise(
    receive, immediate_item, settings
):
    case = receive(immediate_item, Outcome.IMMEDIATE)
    assert case.status == CaseStatus.APPROVED
    settings.GOVHALL_WINDOW_HEAD_DECIDES_IMMEDIATE = True
    with pytest.raises(ValidationError):
        receive(immediate_item, Outcome.IMMEDIATE, idempotency_key="second")


def test_promised_intake_of_a_fully_authorised_item_waits_for_the_head(
    receive, full_item, window_head, approver
):
    case = receive(full_item, Outcome.PROMISED)
    assert case.status == CaseStatus.ACCEPTED
    assert refusal(case.received_by, case, Action.APPROVE)
    assert refusal(window_head, case, Action.APPROVE) is None
    assert (
        case_act(
            actor=window_head,
            case=case,
            action=Action.DENY,
            params=action_params(Action.DENY, {"reason": "不符合条件", "basis": "《办法》"}),
        ).status
        == CaseStatus.DENIED
    )


# --- item 5: an overdue promise shows on the case and in the inbox ---------------------------


def test_overdue_pending_materials_show_on_the_case_and_in_the_inbox(
    case_item, hall_window, clerk, client_as
):
    from django.urls import reverse
    from django.utils import timezone

    from govhall.cases.clock import pending_overdue
    from govhall.cases.queries.cases import inbox

    today = timezone.localdate()
    case = make_case(
        case_item,
        hall_window,
        status=CaseStatus.IN_REVIEW,
        missing=("场所使用证明",),
        pending_due_on=today - datetime.timedelta(days=1),
    )
    case.materials.filter(name="场所使用证明").update(pending=True)
    on_time = make_case(case_item, hall_window, status=CaseStatus.IN_REVIEW, pending_due_on=today)
    assert pending_overdue(case, today) and not pending_overdue(on_time, today)
    sections = {s.key: s for s in inbox(clerk, today)}
    assert [c.pk for c in sections["pending_overdue"].cases] == [case.pk]
    client = client_as(clerk)
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert "data-pending-overdue" in page
    assert (
        "data-pending-overdue"
        not in client.get(reverse("workbench:case", args=[on_time.pk])).content.decode()
    )
    inbox_page = client.get(reverse("workbench:case_inbox")).content.decode()
    assert 'id="inbox-pending_overdue" data-total="1"' in inbox_page


# --- the API carries the flags (item 5) and refuses a clerk's decision (item 6) ------------------


def test_api_intake_flags_and_the_window_heads_decision(
    client_as, clerk, window_head, case_item, full_item, hall_window, applicant_data
):
    base = "/api/v1/cases"

    def post(user, url, body):
        return client_as(user).post(url, body, content_type="application/json")

    def materials(item, **flags):
        rows = []
        for m in item.materials.all():
            row = {"material_id": m.pk, "received": m.name not in flags}
            row.update(flags.get(m.name, {}))
            rows.append(row)
        return rows

    applicant = {
        "kind": "person",
        "name": applicant_data.name,
        "id_number": applicant_data.id_number,
        "phone": applicant_data.phone,
    }
    held = materials(case_item, 身份证明={"held_not_brought": True})
    proposed = post(
        clerk,
        f"{base}/propose",
        {"item_id": case_item.pk, "window_id": hall_window.pk, "materials": held},
    )
    assert proposed.status_code == 200 and proposed.json()["outcome"] == "supplement"
    made = post(
        clerk,
        f"{base}/",
        {
            "item_id": case_item.pk,
            "window_id": hall_window.pk,
            "applicant": applicant,
            "materials": held,
            "outcome": "supplement",
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["status"] == CaseStatus.AWAITING_SUPPLEMENT
    full = post(
        clerk,
        f"{base}/",
        {
            "item_id": full_item.pk,
            "window_id": hall_window.pk,
            "applicant": applicant,
            "materials": materials(full_item),
            "outcome": "promised",
        },
    )
    assert full.status_code == 201, full.content
    case_id = full.json()["id"]
    refused = post(clerk, f"{base}/{case_id}/actions/approve", {})
    assert refused.status_code == 422
    assert post(window_head, f"{base}/{case_id}/actions/approve", {}).status_code == 200
