"""Intake at the window and online submission (SPEC §6)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.models import Applicant, Case, CaseMaterial, JointTask, Notice
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import (
    ApplicantData,
    MaterialCheck,
    Outcome,
    applicant_upsert,
    case_receive,
    case_submit_online,
    propose_outcome,
)
from govhall.cases.statuses import CaseKind, CaseStatus, Channel
from govhall.catalog.models import Authorization
from govhall.core.models import Event, OutboundMessage
from govhall.core.roles import Role
from govhall.testing.cases import ENTERPRISE_USCC, PERSON_ID
from govhall.testing.factories import ItemWindowFactory, PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime.datetime(2025, 9, 26, 10, tzinfo=TZ)


def checks(item, *, missing=(), pending=()):
    """Every material received except those named in `missing` / `pending`."""
    rows = []
    for material in item.materials.all():
        if material.name in pending:
            rows.append(MaterialCheck(material_id=material.pk, received=False, pending=True))
        else:
            rows.append(
                MaterialCheck(material_id=material.pk, received=material.name not in missing)
            )
    return rows


@pytest.fixture
def receive(clerk, hall_window, applicant_data):
    def _receive(item, outcome, **kwargs):
        kwargs.setdefault("materials", checks(item))
        kwargs.setdefault("at", FRIDAY)
        return case_receive(
            actor=kwargs.pop("actor", clerk),
            item=item,
            window=kwargs.pop("window", hall_window),
            applicant=kwargs.pop("applicant", applicant_data),
            outcome=outcome,
            **kwargs,
        )

    return _receive


# --- proposal --------------------------------------------------------------------------------


def test_proposal_follows_spec_6(
    case_item, joint_item, escalated_item, immediate_item, hall_window
):
    def proposed(item, **kwargs):
        return propose_outcome(item=item, window=hall_window, checks=checks(item, **kwargs))

    assert proposed(case_item).outcome == Outcome.PROMISED
    assert proposed(immediate_item).outcome == Outcome.IMMEDIATE
    assert proposed(joint_item).outcome == Outcome.JOINT
    assert proposed(escalated_item).outcome == Outcome.ESCALATED
    supplement = proposed(case_item, missing={"场所使用证明"})
    assert supplement.outcome == Outcome.SUPPLEMENT
    assert [m.name for m in supplement.missing_other] == ["场所使用证明"]
    returned = proposed(case_item, missing={"申请书", "场所使用证明"})
    assert returned.outcome == Outcome.RETURNED
    assert [m.name for m in returned.missing_main] == ["申请书"]
    assert returned.reasons and "申请书" in returned.reasons[0]
    # A joint item with a material missing is still a supplement first.
    assert proposed(joint_item, missing={"场所使用证明"}).outcome == Outcome.SUPPLEMENT


def test_green_channel_pending_main_material_is_not_a_return(case_item, hall_window):
    pending = checks(case_item, pending={"身份证明"})
    assert propose_outcome(item=case_item, window=hall_window, checks=pending).outcome == (
        Outcome.RETURNED
    )
    green = propose_outcome(item=case_item, window=hall_window, checks=pending, green_channel=True)
    assert green.outcome == Outcome.PROMISED
    assert not green.missing_main


def test_unlisted_materials_count_as_missing(case_item, hall_window):
    assert propose_outcome(item=case_item, window=hall_window, checks=[]).outcome == (
        Outcome.RETURNED
    )


# --- the six outcomes ------------------------------------------------------------------------


def test_promised_case_is_numbered_accepted_and_told(
    receive, case_item, clerk, hall_window, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = receive(case_item, Outcome.PROMISED)
    assert case.number == "3301002025092600001"
    assert case.status == CaseStatus.ACCEPTED
    assert case.kind == CaseKind.PROMISED
    assert case.authorization == Authorization.PARTIAL
    assert case.channel == Channel.WINDOW
    assert (case.window, case.received_window, case.received_by) == (
        hall_window,
        hall_window,
        clerk,
    )
    assert case.department == case_item.department
    assert (case.legal_days, case.promised_days) == (20, 5)
    assert case.accepted_at == FRIDAY
    assert case.materials.count() == 3 and not case.materials.filter(received=False).exists()
    actions = set(
        Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"case.receive", "case.accept", "case.issue_notice"} <= actions
    accept = Event.objects.get(action="case.accept", object_id=str(case.pk))
    assert accept.data["from"] == CaseStatus.RECEIVED
    assert accept.data["to"] == CaseStatus.ACCEPTED
    assert accept.data["window"] == hall_window.number
    assert list(case.notices.values_list("kind", flat=True)) == ["acceptance"]
    sms = OutboundMessage.objects.get(purpose="case.accepted")
    assert sms.to == "13812345678"


def test_immediate_case_is_decided_at_the_window(receive, immediate_item):
    case = receive(immediate_item, Outcome.IMMEDIATE)
    assert case.status == CaseStatus.APPROVED
    assert case.kind == CaseKind.IMMEDIATE
    assert case.decided_at == FRIDAY
    assert case.promised_due_on == FRIDAY.date()
    assert set(case.notices.values_list("kind", flat=True)) == {"acceptance", "decision"}


def test_immediate_case_at_a_limited_window_is_still_decided_there(
    receive, immediate_item, hall_window
):
    immediate_item.item_windows.filter(window=hall_window).update(
        authorization=Authorization.LIMITED
    )
    case = receive(immediate_item, Outcome.IMMEDIATE)
    assert case.status == CaseStatus.APPROVED


def test_joint_case_starts_one_task_per_other_department(
    receive, joint_item, other_department, third_department
):
    case = receive(joint_item, Outcome.JOINT)
    assert case.status == CaseStatus.JOINT_REVIEW
    assert case.kind == CaseKind.JOINT
    tasks = JointTask.objects.filter(case=case)
    assert {t.department_id for t in tasks} == {other_department.pk, third_department.pk}
    assert all(t.due_on == case.promised_due_on for t in tasks)
    assert "joint" in set(case.notices.values_list("kind", flat=True))


def test_joint_case_with_chosen_departments(receive, joint_item, third_department):
    case = receive(joint_item, Outcome.JOINT, joint_departments=[third_department])
    assert list(case.joint_tasks.values_list("department", flat=True)) == [third_department.pk]


def test_escalated_case_goes_to_the_city_with_a_forwarding_date(receive, escalated_item, city):
    case = receive(escalated_item, Outcome.ESCALATED)
    assert case.status == CaseStatus.ESCALATED
    assert case.escalated_to == city
    # Fri 26 Sep + 2 working days: Sun 28 Sep (make-up), Mon 29 Sep.
    assert case.forward_by == datetime.date(2025, 9, 29)
    assert "escalated" in set(case.notices.values_list("kind", flat=True))


def test_escalation_needs_a_higher_level(receive, case_item):
    # The county has no parent: nowhere to forward, and nothing is left behind.
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.ESCALATED, outcome_reason="申请人要求")
    assert "center_id" in error.value.message_dict
    assert not Case.objects.exists() and not Notice.objects.exists()


def test_supplement_lists_every_missing_material_in_one_notice(
    receive, case_item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = receive(
            case_item, Outcome.SUPPLEMENT, materials=checks(case_item, missing={"场所使用证明"})
        )
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    assert case.supplement_notices == 1
    assert case.accepted_at is None and case.clock_started_on is None
    notice = case.notices.get()
    assert notice.kind == "one_time"
    assert [row["name"] for row in notice.content["materials_missing"]] == ["场所使用证明"]
    assert OutboundMessage.objects.filter(purpose="case.supplement").count() == 1


def test_returned_case_needs_reason_and_basis(receive, case_item):
    materials = checks(case_item, missing={"申请书"})
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.RETURNED, materials=materials)
    assert {"reason", "basis"} <= set(error.value.message_dict)
    assert not Case.objects.exists()
    case = receive(
        case_item,
        Outcome.RETURNED,
        materials=materials,
        reason="缺少申请书",
        basis="《行政许可法》第三十二条",
    )
    assert case.status == CaseStatus.NOT_ACCEPTED
    assert (case.reason, case.basis) == ("缺少申请书", "《行政许可法》第三十二条")
    assert case.completed_at == FRIDAY
    assert list(case.notices.values_list("kind", flat=True)) == ["not_accepted"]


# --- changing the proposal, green channel ----------------------------------------------------


def test_another_outcome_than_proposed_needs_a_reason_and_is_logged(receive, case_item):
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.IMMEDIATE)
    assert "outcome_reason" in error.value.message_dict
    case = receive(case_item, Outcome.IMMEDIATE, outcome_reason="材料简单，当场办结")
    event = Event.objects.get(action="case.receive", object_id=str(case.pk))
    assert event.data["proposed"] == Outcome.PROMISED
    assert event.data["chosen"] == Outcome.IMMEDIATE
    assert event.note == "材料简单，当场办结"
    assert case.status == CaseStatus.APPROVED


def test_accepting_with_an_attachment_missing_needs_a_reason(receive, case_item):
    materials = checks(case_item, missing={"场所使用证明"})
    with pytest.raises(ValidationError):
        receive(case_item, Outcome.PROMISED, materials=materials)
    case = receive(case_item, Outcome.PROMISED, materials=materials, outcome_reason="可后补")
    assert case.status == CaseStatus.ACCEPTED


def test_main_material_missing_is_never_accepted_outside_the_green_channel(receive, case_item):
    materials = checks(case_item, missing={"身份证明"})
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.PROMISED, materials=materials, outcome_reason="领导要求")
    assert "materials" in error.value.message_dict
    assert not Case.objects.exists() and not Applicant.objects.exists()


def test_green_channel_accepts_with_pending_materials_and_a_due_date(receive, case_item):
    pending = checks(case_item, pending={"身份证明"})
    due = datetime.date(2025, 9, 30)
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.PROMISED, materials=pending)  # not in the green channel
    assert "materials" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.PROMISED, materials=pending, green_channel=True)
    assert "pending_due_on" in error.value.message_dict
    for bad in (datetime.date(2025, 9, 26), datetime.date(2025, 10, 1)):  # today; a holiday
        with pytest.raises(ValidationError) as error:
            receive(
                case_item,
                Outcome.PROMISED,
                materials=pending,
                green_channel=True,
                pending_due_on=bad,
            )
        assert "pending_due_on" in error.value.message_dict
    case = receive(
        case_item, Outcome.PROMISED, materials=pending, green_channel=True, pending_due_on=due
    )
    assert case.status == CaseStatus.ACCEPTED
    assert case.green_channel and case.pending_due_on == due
    row = case.materials.get(name="身份证明")
    assert row.pending and not row.received and row.due_on == due


def test_pending_materials_are_received_later_and_the_due_date_clears(receive, case_item, clerk):
    case = receive(
        case_item,
        Outcome.PROMISED,
        materials=checks(case_item, pending={"身份证明"}),
        green_channel=True,
        pending_due_on=datetime.date(2025, 9, 30),
    )
    pending = case.materials.get(name="身份证明")
    other = case.materials.get(name="申请书")
    with pytest.raises(ValidationError) as error:  # not a pending material
        case_act(
            actor=clerk,
            case=case,
            action="receive_pending",
            params=action_params("receive_pending", {"received": [other.pk]}),
        )
    assert "received" in error.value.message_dict
    case.refresh_from_db()
    assert case.pending_due_on == datetime.date(2025, 9, 30)
    done = case_act(
        actor=clerk,
        case=case,
        action="receive_pending",
        params=action_params("receive_pending", {"received": [pending.pk]}),
        at=FRIDAY + datetime.timedelta(days=4),
    )
    assert done.status == CaseStatus.ACCEPTED and done.pending_due_on is None
    pending.refresh_from_db()
    assert pending.received and not pending.pending
    assert pending.received_on == datetime.date(2025, 9, 30)
    event = Event.objects.get(action="case.receive_pending", object_id=str(case.pk))
    assert event.data["received"] == ["身份证明"] and event.data["late"] is False
    # nothing pending any more: the action is no longer offered
    with pytest.raises(ValidationError):
        case_act(
            actor=clerk,
            case=done,
            action="receive_pending",
            params=action_params("receive_pending", {"received": []}),
        )


# --- who may receive where, and bad input --------------------------------------------------


def test_window_must_serve_the_item(receive, case_item, county, clerk):
    window = WindowFactory(center=county, number=9)
    PostFactory(window=window, a_staff=make_staff(Role.CLERK, county, username="c9"))
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.PROMISED, window=window)
    assert "window" in error.value.message_dict


def test_only_staff_serving_the_window_receive(receive, case_item, reviewer, director, county):
    for actor in (reviewer, director):
        with pytest.raises(ValidationError) as error:
            receive(case_item, Outcome.PROMISED, actor=actor)
        assert "window" in error.value.message_dict
    elsewhere = make_staff(Role.CLERK, county, username="elsewhere", window_staff=True)
    PostFactory(window=WindowFactory(center=county, number=8), a_staff=elsewhere)
    with pytest.raises(ValidationError):
        receive(case_item, Outcome.PROMISED, actor=elsewhere)
    assert not Case.objects.exists()


def test_b_clerk_receives_only_while_covering(receive, case_item, clerk, clerk_b):
    from govhall.staffing.models import Leave

    with pytest.raises(ValidationError):
        receive(case_item, Outcome.PROMISED, actor=clerk_b)
    Leave.objects.create(
        user=clerk,
        center_id=clerk.staff.center_id,
        kind="annual",
        starts_at=FRIDAY - datetime.timedelta(days=1),
        ends_at=datetime.datetime(2099, 1, 1, tzinfo=TZ),
        reason="年假",
        status="approved",
        working_days=1,
    )
    case = receive(case_item, Outcome.PROMISED, actor=clerk_b)
    assert case.received_by == clerk_b


def test_window_head_receives_at_the_window_they_head(receive, case_item, window_head):
    case = receive(case_item, Outcome.PROMISED, actor=window_head)
    assert case.received_by == window_head


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ApplicantData("person", "张三", "110101199003074478", "13812345678"), "id_number"),
        (ApplicantData("person", "张三", "110101199002304477", "13812345678"), "id_number"),
        (ApplicantData("person", "张三", PERSON_ID, "12812345678"), "phone"),
        (ApplicantData("person", "", PERSON_ID, "13812345678"), "name"),
        (ApplicantData("robot", "张三", PERSON_ID, "13812345678"), "kind"),
        (
            ApplicantData("enterprise", "某公司", ENTERPRISE_USCC, "13900001111"),
            "legal_representative",
        ),
        (
            ApplicantData("enterprise", "某公司", "91350100M000100Y44", "13900001111", "李四"),
            "id_number",
        ),
        (ApplicantData("enterprise", "某公司", PERSON_ID, "13900001111", "李四"), "id_number"),
    ],
)
def test_bad_applicant_is_refused_and_nothing_changes(receive, case_item, data, field):
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.PROMISED, applicant=data)
    assert field in error.value.message_dict
    assert not Case.objects.exists() and not Applicant.objects.exists()
    assert not Event.objects.filter(action__startswith="case.").exists()


def test_enterprise_applicant(receive, case_item, enterprise_data):
    case = receive(case_item, Outcome.PROMISED, applicant=enterprise_data)
    assert case.applicant.kind == "enterprise"
    assert case.applicant.id_number == ENTERPRISE_USCC
    assert case.applicant.legal_representative == "李四"


def test_applicant_is_one_row_per_number_updated_by_intake(applicant_data):
    first = applicant_upsert(data=applicant_data)
    moved = ApplicantData(
        kind="person", name="张三丰", id_number=PERSON_ID.lower(), phone="139 0000 2222"
    )
    second = applicant_upsert(data=moved)
    assert first.pk == second.pk
    assert Applicant.objects.get().phone == "13900002222"
    with pytest.raises(ValidationError):
        applicant_upsert(data=ApplicantData("enterprise", "x", PERSON_ID, "13900002222", "李四"))


def test_materials_must_belong_to_the_item(receive, case_item, full_item):
    foreign = checks(full_item)[:1]
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.PROMISED, materials=[*checks(case_item), *foreign])
    assert "materials" in error.value.message_dict


def test_supplement_with_nothing_missing_is_refused(receive, case_item):
    with pytest.raises(ValidationError) as error:
        receive(case_item, Outcome.SUPPLEMENT, outcome_reason="再看看")
    assert "outcome" in error.value.message_dict


def test_same_idempotency_key_at_the_window_makes_one_case(receive, case_item):
    first = receive(case_item, Outcome.PROMISED, idempotency_key="desk-1-0001")
    again = receive(case_item, Outcome.PROMISED, idempotency_key="desk-1-0001")
    assert first.pk == again.pk
    assert Case.objects.count() == 1


def test_material_forms_and_copies_are_kept(receive, case_item):
    first, *rest = case_item.materials.all()
    materials = [
        MaterialCheck(material_id=first.pk, received=True, form="copy", copies=2),
        *[MaterialCheck(material_id=m.pk, received=True) for m in rest],
    ]
    case = receive(case_item, Outcome.PROMISED, materials=materials)
    row = CaseMaterial.objects.get(case=case, material=first)
    assert (row.form, row.copies, row.received_on) == ("copy", 2, FRIDAY.date())


# --- online ----------------------------------------------------------------------------------


def test_online_case_waits_for_pre_review_then_is_accepted_at_the_window(
    clerk, case_item, hall_window, applicant_data, county
):
    wider = WindowFactory(center=county, number=5)
    ItemWindowFactory(item=case_item, window=wider, authorization=Authorization.FULL)
    case_item.online_available = True
    case_item.save(update_fields=["online_available"])
    case, created = case_submit_online(
        actor=clerk,
        item=case_item,
        applicant=applicant_data,
        materials=checks(case_item),
        idempotency_key="web-123",
        at=FRIDAY,
    )
    assert created
    assert case.status == CaseStatus.SUBMITTED and case.channel == Channel.ONLINE
    assert case.window is None and case.received_window is None
    assert case.authorization == Authorization.FULL  # the widest window of the item
    assert Event.objects.filter(action="case.submit", object_id=str(case.pk)).exists()

    again, created = case_submit_online(
        actor=clerk,
        item=case_item,
        applicant=applicant_data,
        materials=checks(case_item),
        idempotency_key="web-123",
    )
    assert (again.pk, created) == (case.pk, False)

    case = case_act(actor=clerk, case=case, action="prereview_pass", at=FRIDAY)
    assert case.status == CaseStatus.RECEIVED
    assert case.window == hall_window  # the clerk's window that serves the item
    assert case.authorization == Authorization.PARTIAL
    assert case.received_by == clerk
    with pytest.raises(ValidationError) as error:
        case_act(actor=clerk, case=case, action="accept")
    assert "kind" in error.value.message_dict
    case = case_act(
        actor=clerk,
        case=case,
        action="accept",
        params=action_params("accept", {"kind": "promised"}),
        at=FRIDAY,
    )
    assert case.status == CaseStatus.ACCEPTED and case.kind == CaseKind.PROMISED


def test_online_submission_needs_a_window_serving_the_item(
    clerk, county, department, applicant_data
):
    from govhall.testing.factories import ServiceItemFactory

    orphan = ServiceItemFactory(center=county, department=department, online_available=True)
    with pytest.raises(ValidationError) as error:
        case_submit_online(
            actor=clerk, item=orphan, applicant=applicant_data, materials=[], idempotency_key=None
        )
    assert "item" in error.value.message_dict
    assert not Case.objects.exists()
