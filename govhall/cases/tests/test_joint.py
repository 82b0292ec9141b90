"""Joint cases: one review task per participating department, each with its own deadline; the
director's overdue list and joint review meetings."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from govhall.cases.models import JointMeeting, JointProposal, JointTask
from govhall.cases.queries.joint import (
    all_tasks_done,
    open_tasks_for_department,
    overdue_joint_tasks,
)
from govhall.cases.services.joint import (
    joint_meeting_record,
    joint_task_complete,
    joint_tasks_start,
)
from govhall.cases.statuses import CaseKind, CaseStatus, TaskStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Window
from govhall.testing.cases import accepted_case, local
from govhall.testing.factories import DepartmentFactory, make_staff
from govhall.testing.parallel import run_at_once


@pytest.fixture
def other_reviewer(county: Center, other_department: Department) -> User:
    return make_staff(Role.REVIEWER, county, other_department, username="bdc_reviewer")


@pytest.fixture
def third_approver(county: Center, third_department: Department) -> User:
    return make_staff(Role.APPROVER, county, third_department, username="zj_approver")


@pytest.fixture
def joint_case(joint_item: ServiceItem, hall_window: Window, window_head: User) -> Any:
    # Clock starts after Tue 2025-09-30 (National Day: Oct 1-8 off, Sat Oct 11 a working day).
    case = accepted_case(
        joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW
    )
    # The lead window's proposal came to the director first (issue 16 item 7).
    JointProposal.objects.create(case=case, text="建议联审", proposed_by=window_head)
    return case


def start(case: Any, actor: User, departments: list[Any], days: int = 3) -> list[JointTask]:
    return joint_tasks_start(actor=actor, case=case, departments=departments, task_days=days)


# --- starting -------------------------------------------------------------------------------


def test_one_task_per_participating_department_with_its_deadline(
    joint_case: Any,
    clerk: User,
    department: Department,
    other_department: Department,
    third_department: Department,
) -> None:
    tasks = start(
        joint_case,
        clerk,
        [department, other_department, third_department.pk, other_department],
    )
    assert [t.department_id for t in tasks] == [other_department.pk, third_department.pk]
    assert all(t.pk is not None for t in tasks)
    # 3 working days after 2025-09-30: Oct 9, Oct 10, Sat Oct 11 (make-up working day).
    assert {t.due_on for t in tasks} == {datetime.date(2025, 10, 11)}
    assert all(t.status == TaskStatus.OPEN for t in tasks)
    assert JointTask.objects.filter(case=joint_case).count() == 2
    assert not JointTask.objects.filter(case=joint_case, department=department).exists()


def test_without_a_clock_start_the_tasks_count_from_today(
    joint_item: ServiceItem, hall_window: Window, clerk: User, other_department: Department
) -> None:
    case = accepted_case(joint_item, hall_window, clock_started_on=None)
    tasks = joint_tasks_start(
        actor=clerk,
        case=case,
        departments=[other_department],
        task_days=1,
        at=local(2025, 9, 30, 15),
    )
    assert tasks[0].due_on == datetime.date(2025, 10, 9)


@pytest.mark.parametrize(
    ("departments", "days", "message"),
    [
        ("lead_only", 3, "besides the lead"),
        ("none", 3, "besides the lead"),
        ("other", 0, "between 1 and 365"),
        ("other", 400, "between 1 and 365"),
        ("unknown", 3, "Unknown department"),
        ("inactive", 3, "no longer active"),
    ],
)
def test_bad_starts_are_refused(
    departments: str,
    days: int,
    message: str,
    joint_case: Any,
    clerk: User,
    department: Department,
    other_department: Department,
    county: Center,
) -> None:
    choices: dict[str, list[Any]] = {
        "lead_only": [department],
        "none": [],
        "other": [other_department],
        "unknown": [999_999],
        "inactive": [DepartmentFactory(center=county, is_active=False)],
    }
    chosen = choices[departments]
    with pytest.raises(ValidationError, match=message):
        start(joint_case, clerk, chosen, days)
    assert not JointTask.objects.exists()


def test_a_department_gets_one_task_per_case(
    joint_case: Any, clerk: User, other_department: Department, third_department: Department
) -> None:
    start(joint_case, clerk, [other_department])
    with pytest.raises(ValidationError, match="already have a review task"):
        start(joint_case, clerk, [third_department, other_department])
    assert list(JointTask.objects.values_list("department_id", flat=True)) == [other_department.pk]


# --- completing -----------------------------------------------------------------------------


def test_the_participating_department_completes_its_task_once(
    joint_case: Any,
    clerk: User,
    other_department: Department,
    third_department: Department,
    other_reviewer: User,
    third_approver: User,
) -> None:
    task, third_task = start(joint_case, clerk, [other_department, third_department])
    assert not all_tasks_done(joint_case)
    done = joint_task_complete(
        actor=other_reviewer, task=task, opinion=" 同意，产权清晰 ", agrees=True
    )
    assert (done.status, done.opinion, done.agrees) == (TaskStatus.DONE, "同意，产权清晰", True)
    assert done.done_by == other_reviewer
    assert done.done_at is not None
    assert not all_tasks_done(joint_case)
    with pytest.raises(ValidationError, match="already completed by"):
        joint_task_complete(actor=other_reviewer, task=task, opinion="改主意", agrees=False)
    task.refresh_from_db()
    assert task.opinion == "同意，产权清晰"
    joint_task_complete(actor=third_approver, task=third_task, opinion="不同意", agrees=False)
    assert all_tasks_done(joint_case)
    events = Event.objects.filter(action="case.complete_joint_task", object_id=str(joint_case.pk))
    assert events.count() == 2
    first = events.order_by("id").first()
    assert first is not None
    assert first.actor_id == other_reviewer.pk
    assert first.data["department"] == other_department.pk
    assert first.data["agrees"] is True


def test_only_the_tasks_department_may_complete_it(
    joint_case: Any,
    clerk: User,
    reviewer: User,
    approver: User,
    director: User,
    outsider: User,
    county: Center,
    other_department: Department,
) -> None:
    (task,) = start(joint_case, clerk, [other_department])
    other_clerk = make_staff(Role.CLERK, county, other_department, username="bdc_clerk")
    # The lead department's staff, a clerk of the department, management, an outsider: refused.
    for actor in (reviewer, approver, other_clerk, clerk, director, outsider):
        with pytest.raises(ValidationError, match="县不动产登记中心 can complete this review task"):
            joint_task_complete(actor=actor, task=task, opinion="同意", agrees=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert not Event.objects.filter(action="case.complete_joint_task").exists()


def test_the_window_head_of_the_department_may_complete_it(
    joint_case: Any, clerk: User, county: Center, other_department: Department
) -> None:
    (task,) = start(joint_case, clerk, [other_department])
    head = make_staff(Role.WINDOW_HEAD, county, other_department, username="bdc_head")
    done = joint_task_complete(actor=head, task=task, opinion="同意", agrees=True)
    assert done.status == TaskStatus.DONE


def test_completion_needs_an_opinion_and_a_case_in_joint_review(
    joint_case: Any, clerk: User, other_department: Department, other_reviewer: User
) -> None:
    (task,) = start(joint_case, clerk, [other_department])
    with pytest.raises(ValidationError, match="Give the department's opinion"):
        joint_task_complete(actor=other_reviewer, task=task, opinion="  ", agrees=True)
    joint_case.status = CaseStatus.WITHDRAWN
    joint_case.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="not in joint review"):
        joint_task_complete(actor=other_reviewer, task=task, opinion="同意", agrees=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


# --- reads ----------------------------------------------------------------------------------


def test_overdue_tasks_for_the_director_in_one_query(
    joint_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    other_department: Department,
    third_department: Department,
    other_reviewer: User,
    other_county: Center,
    django_assert_num_queries: Any,
) -> None:
    cases = [
        accepted_case(joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW)
        for _ in range(3)
    ]
    for case in cases:
        start(case, clerk, [other_department, third_department])
    # One task done, and one not yet due, are not overdue.
    done = JointTask.objects.filter(case=cases[0], department=other_department).get()
    joint_task_complete(actor=other_reviewer, task=done, opinion="同意", agrees=True)
    JointTask.objects.filter(case=cases[2]).update(due_on=datetime.date(2025, 10, 20))
    today = datetime.date(2025, 10, 13)  # every task was due 2025-10-11
    with django_assert_num_queries(1):
        rows = [
            (t.case.number, t.department.name, t.case.item.name, t.case.applicant.name)
            for t in overdue_joint_tasks([joint_item.center_id], today)
        ]
    assert sorted(rows) == sorted(
        [
            (cases[0].number, "县住房和城乡建设局", "餐饮开办联办", "张三丰"),
            (cases[1].number, "县不动产登记中心", "餐饮开办联办", "张三丰"),
            (cases[1].number, "县住房和城乡建设局", "餐饮开办联办", "张三丰"),
        ]
    )
    assert list(overdue_joint_tasks([other_county.pk], today)) == []
    assert list(overdue_joint_tasks([joint_item.center_id], datetime.date(2025, 10, 11))) == []


def test_open_tasks_of_a_department_earliest_first(
    joint_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    other_department: Department,
    other_reviewer: User,
    django_assert_num_queries: Any,
) -> None:
    late = accepted_case(
        joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW
    )
    early = accepted_case(
        joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW
    )
    finished = accepted_case(
        joint_item, hall_window, kind=CaseKind.JOINT, status=CaseStatus.JOINT_REVIEW
    )
    start(late, clerk, [other_department], days=5)
    start(early, clerk, [other_department], days=2)
    (task,) = start(finished, clerk, [other_department], days=1)
    joint_task_complete(actor=other_reviewer, task=task, opinion="同意", agrees=True)
    with django_assert_num_queries(1):
        numbers = [t.case.number for t in open_tasks_for_department(other_department.pk)]
    assert numbers == [early.number, late.number]


# --- meetings -------------------------------------------------------------------------------


def test_director_records_a_joint_review_meeting(
    joint_case: Any, director: User, clerk: User, other_department: Department
) -> None:
    start(joint_case, clerk, [other_department])
    held = timezone.now() - datetime.timedelta(hours=2)
    meeting = joint_meeting_record(
        actor=director,
        case=joint_case,
        held_at=held,
        participants="县市场监督管理局 王某；县不动产登记中心 李某",
        conclusions="同意并联审批，3日内完成现场核查",
    )
    assert meeting.pk is not None
    assert meeting.recorded_by == director
    assert meeting.held_at == held
    assert JointMeeting.objects.filter(case=joint_case).count() == 1
    event = Event.objects.get(action="case.record_joint_meeting")
    assert event.actor_id == director.pk
    assert event.data["meeting"] == meeting.pk
    assert event.note == "同意并联审批，3日内完成现场核查"


def test_admin_may_record_a_meeting_but_not_window_or_department_staff(
    joint_case: Any,
    admin_user: User,
    clerk: User,
    window_head: User,
    approver: User,
    outsider: User,
) -> None:
    held = timezone.now() - datetime.timedelta(days=1)
    for actor in (clerk, window_head, approver, outsider):
        with pytest.raises(ValidationError, match="Only the hall director or an administrator"):
            joint_meeting_record(
                actor=actor, case=joint_case, held_at=held, participants="甲", conclusions="乙"
            )
    assert not JointMeeting.objects.exists()
    joint_meeting_record(
        actor=admin_user, case=joint_case, held_at=held, participants="甲", conclusions="乙"
    )
    assert JointMeeting.objects.count() == 1


@pytest.mark.parametrize(
    ("participants", "conclusions", "hours", "field"),
    [
        ("", "同意", -1, "participants"),
        ("甲、乙", "  ", -1, "conclusions"),
        ("甲、乙", "同意", 3, "held_at"),
    ],
)
def test_meeting_needs_participants_conclusions_and_a_past_time(
    participants: str,
    conclusions: str,
    hours: int,
    field: str,
    joint_case: Any,
    director: User,
) -> None:
    with pytest.raises(ValidationError) as refused:
        joint_meeting_record(
            actor=director,
            case=joint_case,
            held_at=timezone.now() + datetime.timedelta(hours=hours),
            participants=participants,
            conclusions=conclusions,
        )
    assert list(refused.value.message_dict) == [field]
    assert not JointMeeting.objects.exists()
    assert not Event.objects.filter(action="case.record_joint_meeting").exists()


def test_meetings_are_for_joint_cases(
    case_item: ServiceItem, hall_window: Window, director: User
) -> None:
    case = accepted_case(case_item, hall_window)
    with pytest.raises(ValidationError, match="joint cases only"):
        joint_meeting_record(
            actor=director,
            case=case,
            held_at=timezone.now(),
            participants="甲",
            conclusions="乙",
        )


# --- end to end through the engine ----------------------------------------------------------


def test_joint_case_from_intake_to_decision(
    joint_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    window_head: User,
    approver: User,
    other_reviewer: User,
    third_approver: User,
    applicant_data: Any,
    all_received: Any,
) -> None:
    from govhall.cases.models import Notice
    from govhall.cases.services.actions import case_act
    from govhall.cases.services.intake import case_receive
    from govhall.cases.statuses import NoticeKind

    case = case_receive(
        actor=clerk,
        item=joint_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(joint_item),
        outcome="joint",
        at=local(2025, 9, 30, 10),
    )
    assert case.status == CaseStatus.JOINT_REVIEW
    tasks = list(JointTask.objects.filter(case=case).select_related("department").order_by("id"))
    assert [t.department.name for t in tasks] == ["县不动产登记中心", "县住房和城乡建设局"]
    assert {t.due_on for t in tasks} == {case.promised_due_on}
    notice = Notice.objects.get(case=case, kind=NoticeKind.JOINT)
    assert [row["department"] for row in notice.content["joint_tasks"]] == [
        "县不动产登记中心",
        "县住房和城乡建设局",
    ]
    # The lead decides only when every task is done.
    with pytest.raises(ValidationError):
        case_act(actor=approver, case=case, action="approve")
    joint_task_complete(actor=other_reviewer, task=tasks[0], opinion="同意", agrees=True)
    joint_task_complete(actor=third_approver, task=tasks[1], opinion="同意", agrees=True)
    assert all_tasks_done(case)
    case = case_act(actor=approver, case=case, action="approve")
    assert case.status == CaseStatus.APPROVED
    decision = Notice.objects.get(case=case, kind=NoticeKind.DECISION)
    assert decision.content["title"] == "准予许可决定书"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)
@pytest.mark.django_db(transaction=True)
def test_two_completions_at_once_one_wins(
    joint_case: Any,
    clerk: User,
    county: Center,
    other_department: Department,
    other_reviewer: User,
) -> None:
    (task,) = start(joint_case, clerk, [other_department])
    second = make_staff(Role.APPROVER, county, other_department, username="bdc_approver")

    def complete(actor: User, agrees: bool) -> JointTask:
        fresh = JointTask.objects.get(pk=task.pk)
        return joint_task_complete(actor=actor, task=fresh, opinion="意见", agrees=agrees)

    results = run_at_once([lambda: complete(other_reviewer, True), lambda: complete(second, False)])
    wins = [r for r in results if isinstance(r, JointTask)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(refused) == 1, results
    assert "already completed" in refused[0].messages[0]
    task.refresh_from_db()
    assert task.agrees is wins[0].agrees
    assert Event.objects.filter(action="case.complete_joint_task").count() == 1
