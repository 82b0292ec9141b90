"""The transition table against every role, and the actions of `case_act` (SPEC §6)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.case_transitions import (
    NATIONAL_CODE,
    RESUME,
    TRANSITIONS,
    Action,
    Transition,
    transition_for,
)
from govhall.cases.models import Applicant, Case, CaseMaterial, JointTask, Notice
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import HANDLERS, case_act
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.guards import GUARDS
from govhall.cases.services.intake import Outcome, case_receive
from govhall.cases.services.permissions import available_actions, refusal
from govhall.cases.statuses import CaseKind, CaseStatus, Channel, TaskStatus
from govhall.catalog.models import Authorization
from govhall.core.models import Event, OutboundMessage
from govhall.core.roles import Role
from govhall.testing.cases import PERSON_ID
from govhall.testing.factories import ItemWindowFactory, PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2025, 9, 26, 10, tzinfo=TZ)
_serial = itertools.count(1)

# Every role, by the fixture holding one user of it (outsider: a director of another county).
USERS = {
    Role.CLERK: "clerk",
    Role.WINDOW_HEAD: "window_head",
    Role.REVIEWER: "reviewer",
    Role.APPROVER: "approver",
    Role.DIRECTOR: "director",
    Role.ADMIN: "admin_user",
    Role.GUIDE: "guide",
    Role.SUPERVISOR: "supervisor",
    Role.DEPT_LEADER: "dept_leader",
    Role.SOCIAL_SUPERVISOR: "social_supervisor",
}
# Who acts first when a row allows several roles.
PREFERENCE = [Role.CLERK, Role.WINDOW_HEAD, Role.REVIEWER, Role.APPROVER, Role.DIRECTOR]
ACCEPTED_LIKE = {
    CaseStatus.ACCEPTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.AWAITING_APPROVAL,
    CaseStatus.JOINT_REVIEW,
    CaseStatus.ESCALATED,
    CaseStatus.SUSPENDED,
    CaseStatus.APPROVED,
    CaseStatus.DENIED,
    CaseStatus.CERTIFICATE_READY,
    CaseStatus.DELIVERED,
    CaseStatus.ESCALATION_CLOSED,
}


def row_id(row: Transition) -> str:
    return f"{row.status}-{row.action}"


def item_fixture(row: Transition) -> str:
    if row.guard in {"joint", "joint_done"}:
        return "joint_item"
    if row.guard == "escalated" or row.status == CaseStatus.ESCALATED:
        return "escalated_item"
    if row.guard == "window_decides":
        return "full_item"
    if row.guard == "window_forwards":
        return "limited_item"
    return "case_item"


def make_case(item, window, status: str, **fields) -> Case:
    """A case row in `status`, built directly (the engine is what is under test)."""
    applicant, _ = Applicant.objects.get_or_create(
        id_number=PERSON_ID, defaults={"kind": "person", "name": "张三丰", "phone": "13812345678"}
    )
    link = item.item_windows.get(window=window)
    values = {
        "number": f"T{next(_serial):06d}",
        "center": item.center,
        "item": item,
        "department": item.department,
        "applicant": applicant,
        "status": status,
        "authorization": link.authorization,
        "window": window,
        "received_window": window,
        "received_at": NOW,
        "legal_days": item.legal_days,
        "promised_days": item.promised_days,
    }
    if status == CaseStatus.SUBMITTED:
        values.update(window=None, received_window=None, channel=Channel.ONLINE)
    if status in ACCEPTED_LIKE:
        values.update(
            kind=CaseKind.PROMISED,
            accepted_at=NOW,
            clock_started_on=NOW.date(),
            legal_due_on=datetime.date(2025, 10, 30),
            promised_due_on=datetime.date(2025, 10, 10),
        )
    if status == CaseStatus.SUSPENDED:
        values.update(suspended_at=NOW, suspended_from=CaseStatus.ACCEPTED)
    values.update(fields)
    case = Case.objects.create(**values)
    for material in item.materials.all():
        CaseMaterial.objects.create(
            case=case,
            material=material,
            name=material.name,
            is_main=material.is_main,
            position=material.position,
            received=True,
            received_on=NOW.date(),
        )
    return case


def case_for(row: Transition, request) -> Case:
    """A case in the row's status that satisfies the row's guard and the action's needs."""
    item = request.getfixturevalue(item_fixture(row))
    window = request.getfixturevalue("hall_window")
    fields: dict = {}
    if row.guard in {"joint", "joint_done"}:
        fields["kind"] = CaseKind.JOINT
    if row.guard == "escalated" or row.status == CaseStatus.ESCALATED:
        fields["kind"] = CaseKind.ESCALATED
    if row.status == CaseStatus.ESCALATED:
        fields["escalated_to"] = request.getfixturevalue("city")
    case = make_case(item, window, row.status, **fields)
    if row.guard == "joint_done":
        JointTask.objects.create(
            case=case,
            department=request.getfixturevalue("other_department"),
            due_on=NOW.date(),
            status=TaskStatus.DONE,
        )
    if row.action == Action.REQUEST_SUPPLEMENT:
        case.materials.filter(is_main=False).update(received=False, received_on=None)
        if row.status == CaseStatus.AWAITING_SUPPLEMENT:
            Notice.objects.create(
                case=case, kind="one_time", number=f"{case.number}-BZ01", issued_at=NOW
            )
            Case.objects.filter(pk=case.pk).update(supplement_notices=1)
    if row.action == Action.RECEIVE_SUPPLEMENT:
        case.materials.filter(is_main=False).update(received=False, received_on=None)
    if row.action == Action.RECEIVE_PENDING:
        case.materials.filter(is_main=True).update(received=False, received_on=None, pending=True)
        Case.objects.filter(pk=case.pk).update(
            green_channel=True, pending_due_on=datetime.date(2025, 10, 9)
        )
    if row.action == Action.TRANSFER:
        other = WindowFactory(center=item.center, number=7)
        ItemWindowFactory(item=item, window=other, authorization=Authorization.FULL)
    case.refresh_from_db()
    return case


def params_for(row: Transition, case: Case) -> dict[str, Any]:
    missing = list(case.materials.filter(received=False).values_list("pk", flat=True))
    params: dict[str, dict[str, Any]] = {
        Action.PREREVIEW_RETURN: {"reason": "材料不符", "basis": "办事指南"},
        Action.REQUEST_SUPPLEMENT: {"missing": missing, "override_reason": "申请人变更经营范围"}
        if case.supplement_notices
        else {"missing": missing},
        Action.RECEIVE_SUPPLEMENT: {"received": missing},
        Action.RECEIVE_PENDING: {"received": missing},
        Action.RETURN: {"reason": "不属于本机关职权", "basis": "《行政许可法》第三十二条"},
        Action.DENY: {"reason": "不符合条件", "basis": "《食品经营许可管理办法》"},
        Action.SUSPEND: {"reason": "现场核查"},
        Action.EXTEND: {"days": 2, "reason": "需专家评审"},
        Action.TRANSFER: {"window_id": case.item.item_windows.get(window__number=7).window_id}
        if row.action == Action.TRANSFER
        else {},
        Action.RECEIVE_RESULT: {"result": "市级准予许可", "approved": True},
        Action.DELIVER: {"method": "pickup", "recipient_name": "张三丰", "id_last4": "4477"},
        Action.WITHDRAW: {"reason": "申请人撤回"},
        Action.VOID: {"reason": "重复录入"},
    }
    return params.get(row.action, {})


def expected_status(row: Transition, case: Case) -> str:
    if row.next_status == RESUME:
        return case.suspended_from
    return row.next_status or case.status


# --- the table itself ------------------------------------------------------------------------


def test_every_guard_and_action_of_the_table_is_implemented():
    assert {row.guard for row in TRANSITIONS} - {""} <= set(GUARDS)
    assert {row.action for row in TRANSITIONS} <= set(HANDLERS)
    assert set(NATIONAL_CODE) == set(CaseStatus.values)


# The rows people take (the system's timeout default is tested in test_timeout_default.py).
PERSON_ROWS = [row for row in TRANSITIONS if not row.system]


def roles_allowed(row: Transition, case: Case) -> frozenset[Role]:
    """The row's roles, narrowed by the one-time rule: the window gives the first one-time
    notice, management alone a second one."""
    if row.guard == "window_decides" and case.authorization == Authorization.FULL:
        # a fully authorised item is decided by the window head (issue 16 item 6)
        return row.roles - {Role.CLERK}
    if row.action != Action.REQUEST_SUPPLEMENT:
        return row.roles
    if case.supplement_notices:
        return row.roles & {Role.DIRECTOR, Role.ADMIN}
    return row.roles & {Role.CLERK, Role.WINDOW_HEAD}


@pytest.mark.parametrize("row", PERSON_ROWS, ids=row_id)
def test_each_row_against_every_role(row, request, outsider):
    case = case_for(row, request)
    allowed = roles_allowed(row, case)
    assert allowed
    for role, fixture in USERS.items():
        user = request.getfixturevalue(fixture)
        why = refusal(user, case, row.action)
        if role in allowed:
            assert why is None, f"{role} should {row.action} from {row.status}: {why}"
        else:
            assert why, f"{role} must not {row.action} from {row.status}"
        assert (row in available_actions(user, case)) == (role in allowed)
    assert refusal(outsider, case, row.action)
    assert row not in available_actions(outsider, case)


@pytest.mark.parametrize("row", PERSON_ROWS, ids=row_id)
def test_each_row_applies_for_an_allowed_role_and_changes_nothing_for_others(
    row, request, outsider, guide
):
    case = case_for(row, request)
    version = case.version
    for refused_user in (outsider, guide):
        with pytest.raises(ValidationError):
            case_act(
                actor=refused_user,
                case=case,
                action=row.action,
                params=action_params(row.action, params_for(row, case)),
            )
    case.refresh_from_db()
    assert case.version == version
    assert not Event.objects.filter(action=f"case.{row.action}").exists()

    role = next(r for r in PREFERENCE if r in roles_allowed(row, case))
    actor = request.getfixturevalue(USERS[role])
    done = case_act(
        actor=actor,
        case=case,
        action=row.action,
        params=action_params(row.action, params_for(row, case)),
        expected_version=version,
        at=NOW,
    )
    assert done.status == expected_status(row, case)
    assert done.version == version + 1
    event = Event.objects.get(action=f"case.{row.action}", object_id=str(case.pk))
    assert event.data["from"] == row.status
    assert event.data["to"] == done.status
    assert event.actor_id == actor.pk


# --- where a role acts -----------------------------------------------------------------------


@pytest.fixture
def accepted(case_item, hall_window) -> Case:
    return make_case(case_item, hall_window, CaseStatus.ACCEPTED)


def test_clerk_of_another_window_may_not_act(accepted, county):
    elsewhere = make_staff(Role.CLERK, county, username="elsewhere", window_staff=True)
    PostFactory(window=WindowFactory(center=county, number=8), a_staff=elsewhere)
    assert "do not serve" in str(refusal(elsewhere, accepted, Action.REVIEW))
    assert available_actions(elsewhere, accepted) == []


def test_b_clerk_acts_only_while_covering(accepted, clerk, clerk_b):
    from govhall.staffing.models import Leave

    assert refusal(clerk_b, accepted, Action.REVIEW)
    Leave.objects.create(
        user=clerk,
        center_id=accepted.center_id,
        kind="annual",
        starts_at=NOW - datetime.timedelta(days=1),
        ends_at=datetime.datetime(2099, 1, 1, tzinfo=TZ),
        reason="年假",
        status="approved",
        working_days=1,
    )
    fresh_b = type(clerk_b).objects.get(pk=clerk_b.pk)  # roles/scope are cached per object
    assert refusal(fresh_b, accepted, Action.REVIEW) is None
    assert refusal(clerk, accepted, Action.REVIEW)  # A is on leave: not at the post


def test_back_office_acts_only_for_its_department(case_item, hall_window, county, other_department):
    case = make_case(case_item, hall_window, CaseStatus.AWAITING_APPROVAL)
    stranger = make_staff(Role.APPROVER, county, other_department, username="other_approver")
    assert "not to your department" in str(refusal(stranger, case, Action.APPROVE))


def test_approver_of_the_higher_level_receives_the_result(
    escalated_item, hall_window, city, county_in_city, department
):
    case = make_case(
        escalated_item,
        hall_window,
        CaseStatus.ESCALATED,
        kind=CaseKind.ESCALATED,
        escalated_to=city,
    )
    city_dept = type(department).objects.create(center=city, code="SJ", name="市市场监管局")
    city_approver = make_staff(Role.APPROVER, city, city_dept, username="city_approver")
    city_director = make_staff(Role.DIRECTOR, city, username="city_director")
    assert refusal(city_approver, case, Action.RECEIVE_RESULT) is None
    assert refusal(city_director, case, Action.RECEIVE_RESULT) is None
    assert refusal(city_approver, case, Action.SUSPEND)  # only the result, nothing else


def test_online_case_is_for_clerks_of_windows_serving_the_item(case_item, hall_window, county):
    case = make_case(case_item, hall_window, CaseStatus.SUBMITTED)
    elsewhere = make_staff(Role.CLERK, county, username="elsewhere", window_staff=True)
    PostFactory(window=WindowFactory(center=county, number=8), a_staff=elsewhere)
    assert "None of the windows" in str(refusal(elsewhere, case, Action.PREREVIEW_PASS))


def test_superuser_acts_anywhere_but_guards_still_hold(accepted):
    from govhall.core.models import User

    root = User.objects.create_superuser(username="root", password="x")
    assert refusal(root, accepted, Action.VOID) is None
    assert "back office" in str(
        refusal(root, accepted, Action.APPROVE)
    )  # partial: not at the window


def test_buttons_of_a_clerk_on_an_accepted_partial_case(accepted, clerk):
    actions = {row.action for row in available_actions(clerk, accepted)}
    assert actions == {Action.REVIEW, Action.SUSPEND, Action.TRANSFER, Action.WITHDRAW}


# --- conflicts and refusals ------------------------------------------------------------------


def test_stale_version_is_a_conflict_and_changes_nothing(accepted, clerk):
    with pytest.raises(CaseConflict, match="reload the page"):
        case_act(actor=clerk, case=accepted, action="review", expected_version=accepted.version - 1)
    accepted.refresh_from_db()
    assert accepted.status == CaseStatus.ACCEPTED


def test_action_not_possible_in_the_current_status_is_a_conflict(accepted, clerk):
    case_act(actor=clerk, case=accepted, action="review")
    # The page still shows "accepted"; the case moved on.
    with pytest.raises(CaseConflict, match="reload the page"):
        case_act(actor=clerk, case=accepted, action="review")


def test_unknown_action_is_refused(accepted, clerk):
    with pytest.raises(ValidationError) as error:
        case_act(actor=clerk, case=accepted, action="teleport")
    assert not isinstance(error.value, CaseConflict)


def test_refused_role_gets_a_clear_message(accepted, reviewer):
    with pytest.raises(ValidationError, match="may not"):
        case_act(
            actor=reviewer,
            case=accepted,
            action="transfer",
            params=action_params("transfer", {"window_id": 1}),
        )


# --- whole paths -----------------------------------------------------------------------------


@pytest.fixture
def receive(clerk, hall_window, applicant_data, all_received):
    def _receive(item, outcome=Outcome.PROMISED, **kwargs):
        return case_receive(
            actor=clerk,
            item=item,
            window=hall_window,
            applicant=applicant_data,
            materials=all_received(item),
            outcome=outcome,
            at=NOW,
            **kwargs,
        )

    return _receive


def test_limited_item_goes_through_reviewer_and_approver_and_back_to_the_window(
    receive, limited_item, clerk, reviewer, approver, django_capture_on_commit_callbacks
):
    case = receive(limited_item)
    case = case_act(actor=clerk, case=case, action="forward", note="材料齐全，请审查")
    assert case.status == CaseStatus.IN_REVIEW
    with pytest.raises(ValidationError):
        case_act(actor=approver, case=case, action="review")  # 一审一核: the reviewer first
    case = case_act(actor=reviewer, case=case, action="review", note="同意")
    assert case.status == CaseStatus.AWAITING_APPROVAL
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(actor=approver, case=case, action="approve", note="准予许可")
    assert case.status == CaseStatus.APPROVED
    assert case.decided_by == approver
    assert OutboundMessage.objects.filter(purpose="case.decision").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(
            actor=clerk,
            case=case,
            action="make_certificate",
            params=action_params("make_certificate", {"certificate_number": "JY1"}),
        )
    assert OutboundMessage.objects.filter(purpose="case.ready_for_pickup").count() == 1
    with pytest.raises(ValidationError) as error:
        case_act(
            actor=clerk,
            case=case,
            action="deliver",
            params=action_params("deliver", {"method": "express", "recipient_name": "张三丰"}),
        )
    assert "tracking_number" in error.value.message_dict
    case = case_act(
        actor=clerk,
        case=case,
        action="deliver",
        params=action_params(
            "deliver", {"method": "express", "recipient_name": "张三丰", "tracking_number": "SF100"}
        ),
    )
    assert case.status == CaseStatus.DELIVERED
    assert (case.delivery_method, case.tracking_number) == ("express", "SF100")
    case = case_act(actor=clerk, case=case, action="archive")
    assert case.archived_at is not None
    with pytest.raises(ValidationError, match="already archived"):
        case_act(actor=clerk, case=case, action="archive")
    opinions = Event.objects.filter(action="case.review", object_id=str(case.pk)).get()
    assert opinions.data["opinion"] == "同意"


def test_denial_needs_reason_and_basis_and_pickup_checks_the_id(
    receive, case_item, clerk, approver
):
    case = receive(case_item)
    case = case_act(actor=clerk, case=case, action="review")
    with pytest.raises(ValidationError) as error:
        case_act(
            actor=approver,
            case=case,
            action="deny",
            params=action_params("deny", {"reason": "不符合"}),
        )
    assert "basis" in error.value.message_dict
    case = case_act(
        actor=approver,
        case=case,
        action="deny",
        params=action_params(
            "deny", {"reason": "场所不符合要求", "basis": "《食品经营许可管理办法》第十条"}
        ),
    )
    assert case.status == CaseStatus.DENIED
    notice = case.notices.get(kind="decision")
    assert "行政复议" in notice.content["rights"]
    with pytest.raises(ValidationError) as error:
        case_act(
            actor=clerk,
            case=case,
            action="deliver",
            params=action_params(
                "deliver", {"method": "pickup", "recipient_name": "张三丰", "id_last4": "1234"}
            ),
        )
    assert "id_last4" in error.value.message_dict
    case = case_act(
        actor=clerk,
        case=case,
        action="deliver",
        params=action_params(
            "deliver", {"method": "pickup", "recipient_name": "张三丰", "id_last4": "4477"}
        ),
    )
    assert case.status == CaseStatus.DELIVERED


def test_full_item_is_decided_at_the_window(receive, full_item, clerk, approver, window_head):
    case = receive(full_item)
    assert refusal(approver, case, Action.APPROVE)
    assert refusal(clerk, case, Action.APPROVE)  # the window head's, in the department's name
    case = case_act(actor=window_head, case=case, action="approve")
    assert case.status == CaseStatus.APPROVED


def test_joint_case_is_decided_only_when_every_task_is_done(receive, joint_item, clerk, approver):
    case = receive(joint_item, Outcome.JOINT)
    with pytest.raises(ValidationError, match="every joint review task"):
        case_act(actor=approver, case=case, action="approve")
    case.joint_tasks.update(status=TaskStatus.DONE, agrees=True)
    case = case_act(actor=approver, case=case, action="approve")
    assert case.status == CaseStatus.APPROVED


def test_escalated_case_closes_with_the_higher_level_result(
    receive, escalated_item, clerk, django_capture_on_commit_callbacks
):
    case = receive(escalated_item, Outcome.ESCALATED)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(
            actor=clerk,
            case=case,
            action="receive_result",
            params=action_params("receive_result", {"result": "市局准予许可", "approved": "true"}),
        )
    assert case.status == CaseStatus.ESCALATION_CLOSED
    assert case.escalation_result == "市局准予许可"
    assert OutboundMessage.objects.filter(purpose="case.escalation_closed").count() == 1


def test_escalate_to_a_center_that_is_not_above_is_refused(
    receive, escalated_item, clerk, other_county, hall_window
):
    case = make_case(escalated_item, hall_window, CaseStatus.ACCEPTED, kind=CaseKind.ESCALATED)
    with pytest.raises(ValidationError) as error:
        case_act(
            actor=clerk,
            case=case,
            action="escalate",
            params=action_params("escalate", {"center_id": other_county.pk}),
        )
    assert "center_id" in error.value.message_dict


def test_transfer_keeps_the_first_responder(receive, case_item, clerk, county, director):
    case = receive(case_item)
    second = WindowFactory(center=county, number=6)
    ItemWindowFactory(item=case_item, window=second, authorization=Authorization.FULL)
    unrelated = WindowFactory(center=county, number=9)
    with pytest.raises(ValidationError):
        case_act(
            actor=clerk,
            case=case,
            action="transfer",
            params=action_params("transfer", {"window_id": unrelated.pk}),
        )
    with pytest.raises(ValidationError):
        case_act(
            actor=clerk,
            case=case,
            action="transfer",
            params=action_params("transfer", {"window_id": case.window_id}),
        )
    first_window = case.window
    case = case_act(
        actor=clerk,
        case=case,
        action="transfer",
        params=action_params("transfer", {"window_id": second.pk}),
    )
    assert case.window == second
    assert (case.received_window, case.received_by) == (first_window, clerk)
    assert case.authorization == Authorization.FULL  # not decided yet: the new window's level
    event = Event.objects.get(action="case.transfer", object_id=str(case.pk))
    assert (event.data["from_window"], event.data["to_window"]) == (first_window.number, 6)
    # The first clerk no longer serves the case's window.
    assert refusal(clerk, case, Action.APPROVE)


def test_second_one_time_notice_only_by_management_with_a_reason(
    case_item, hall_window, clerk, director, applicant_data
):
    from govhall.cases.services.intake import MaterialCheck

    materials = [
        MaterialCheck(material_id=m.pk, received=m.is_main) for m in case_item.materials.all()
    ]
    case = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=materials,
        outcome=Outcome.SUPPLEMENT,
        at=NOW,
    )
    missing = list(case.materials.filter(received=False).values_list("pk", flat=True))
    assert refusal(clerk, case, Action.REQUEST_SUPPLEMENT)
    with pytest.raises(ValidationError) as error:
        case_act(
            actor=director,
            case=case,
            action="request_supplement",
            params=action_params("request_supplement", {"missing": missing}),
        )
    assert "override_reason" in error.value.message_dict
    case = case_act(
        actor=director,
        case=case,
        action="request_supplement",
        params=action_params(
            "request_supplement", {"missing": missing, "override_reason": "法规调整，需补充材料"}
        ),
    )
    assert case.supplement_notices == 2
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    assert Event.objects.filter(action="case.override_notice", object_id=str(case.pk)).exists()


def test_one_time_notice_must_list_everything_missing(case_item, hall_window, clerk):
    case = make_case(case_item, hall_window, CaseStatus.RECEIVED)
    case.materials.update(received=False)
    one = case.materials.all()[0]
    with pytest.raises(ValidationError, match="everything missing"):
        case_act(
            actor=clerk,
            case=case,
            action="request_supplement",
            params=action_params("request_supplement", {"missing": [one.pk]}),
        )
    assert not Notice.objects.exists()


def test_receive_supplement_must_complete_the_main_materials(case_item, hall_window, clerk):
    case = make_case(case_item, hall_window, CaseStatus.AWAITING_SUPPLEMENT)
    case.materials.update(received=False)
    main = list(case.materials.filter(is_main=True).values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="still missing"):
        case_act(
            actor=clerk,
            case=case,
            action="receive_supplement",
            params=action_params("receive_supplement", {"received": main[:1]}),
        )
    case = case_act(
        actor=clerk,
        case=case,
        action="receive_supplement",
        params=action_params("receive_supplement", {"received": main}),
    )
    assert case.status == CaseStatus.RECEIVED
    assert case.materials.filter(is_main=True, received=True).count() == 2


def test_accept_refuses_main_material_missing(case_item, hall_window, clerk):
    case = make_case(case_item, hall_window, CaseStatus.RECEIVED)
    case.materials.filter(is_main=True).update(received=False)
    with pytest.raises(ValidationError) as error:
        case_act(actor=clerk, case=case, action="accept")
    assert "materials" in error.value.message_dict


def test_withdraw_and_void(accepted, clerk, director):
    with pytest.raises(ValidationError):
        case_act(actor=clerk, case=accepted, action="withdraw")
    case = case_act(
        actor=clerk,
        case=accepted,
        action="withdraw",
        params=action_params("withdraw", {"reason": "申请人撤回"}),
    )
    assert case.status == CaseStatus.WITHDRAWN and case.reason == "申请人撤回"
    with pytest.raises(CaseConflict):
        case_act(
            actor=director, case=case, action="void", params=action_params("void", {"reason": "x"})
        )


def test_event_records_window_and_note(accepted, clerk, hall_window):
    case_act(
        actor=clerk,
        case=accepted,
        action="suspend",
        params=action_params("suspend", {"reason": "听证"}),
        at=NOW,
    )
    event = Event.objects.get(action="case.suspend", object_id=str(accepted.pk))
    assert event.note == "听证"
    assert event.data == {
        "from": CaseStatus.ACCEPTED,
        "to": CaseStatus.SUSPENDED,
        "window": hall_window.number,
        "reason": "hearing",  # the legal ground's code (issue 16 item 8)
    }
    assert event.center_id == accepted.center_id


def test_transition_lookup():
    row = transition_for(CaseStatus.RECEIVED, Action.ACCEPT)
    assert row is not None and row.next_status == CaseStatus.ACCEPTED
    assert transition_for(CaseStatus.DELIVERED, Action.ACCEPT) is None


def test_second_one_time_notice_after_a_supplement_is_managements_override(
    request, clerk, director
):
    """Found by the state-machine property test: after a supplement came in, the clerk was
    offered a second one-time notice the engine then refused."""
    row = transition_for(CaseStatus.RECEIVED, Action.REQUEST_SUPPLEMENT)
    assert row is not None
    case = case_for(row, request)
    Notice.objects.create(case=case, kind="one_time", number=f"{case.number}-BZ01", issued_at=NOW)
    Case.objects.filter(pk=case.pk).update(supplement_notices=1)
    case.refresh_from_db()
    missing = list(case.materials.filter(received=False).values_list("pk", flat=True))
    assert row not in available_actions(clerk, case)
    assert "one-time notice was already issued" in (refusal(clerk, case, row.action) or "")
    with pytest.raises(ValidationError):
        case_act(
            actor=clerk,
            case=case,
            action=row.action,
            params=action_params(row.action, {"missing": missing}),
        )
    assert row in available_actions(director, case)
    done = case_act(
        actor=director,
        case=case,
        action=row.action,
        params=action_params(
            row.action, {"missing": missing, "override_reason": "申请人补交的材料有误"}
        ),
        at=NOW,
    )
    assert done.status == CaseStatus.AWAITING_SUPPLEMENT
    assert done.supplement_notices == 2
    assert Event.objects.filter(action="case.override_notice", object_id=str(case.pk)).exists()
