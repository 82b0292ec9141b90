"""Joint meetings (驻厅单位联席会议, seeds/000… 篇3 四): the lifecycle, attendance per department,
minutes, decisions to done; who may do what (department leaders only their own decisions)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.hallops.access.hallops import (
    access_decision,
    access_meeting,
    decisions_in_scope,
    meetings_in_scope,
)
from govhall.hallops.models import DecisionStatus, MeetingAttendance, MeetingStatus
from govhall.hallops.queries.hallops import attendance_lines, open_decisions_board
from govhall.hallops.services.meetings import (
    AttendanceDraft,
    decision_act,
    decision_actions,
    decision_add,
    meeting_act,
    meeting_actions,
    meeting_attendance_save,
    meeting_minutes_save,
    meeting_plan,
)
from govhall.org.models import Center, Department
from govhall.testing.hallops import days_from_today, held_meeting, open_decision

pytestmark = pytest.mark.django_db


def test_meeting_lifecycle_from_plan_to_published_minutes(
    director: User, county: Center, department: Department, other_department: Department
) -> None:
    meeting = meeting_plan(
        actor=director,
        center=county,
        held_at=timezone.now() + datetime.timedelta(days=3),
        place="三楼会议室",
        agenda="窗口延时服务",
    )
    assert meeting.status == MeetingStatus.PLANNED
    assert [a for a, _label in meeting_actions(director, meeting)] == ["hold", "cancel"]
    # Nothing is written on a meeting before it is held.
    with pytest.raises(Conflict):
        meeting_minutes_save(actor=director, meeting=meeting, minutes="纪要")
    meeting = meeting_act(actor=director, meeting=meeting, action="hold")
    # Publishing needs minutes.
    with pytest.raises(ValidationError):
        meeting_act(actor=director, meeting=meeting, action="publish")
    written = meeting_attendance_save(
        actor=director,
        meeting=meeting,
        rows=[
            AttendanceDraft(department.pk, "present", "王主任"),
            AttendanceDraft(other_department.pk, "excused"),
        ],
    )
    assert written == 2
    # Sent again, a department's line is replaced, not doubled.
    meeting_attendance_save(
        actor=director,
        meeting=meeting,
        rows=[AttendanceDraft(other_department.pk, "present", "李科长")],
    )
    lines = {line.department.pk: line.record for line in attendance_lines(meeting)}
    record = lines[other_department.pk]
    assert record is not None and record.presence == "present"
    assert MeetingAttendance.objects.filter(meeting=meeting).count() == 2
    meeting_minutes_save(actor=director, meeting=meeting, minutes="一、议定周六延时服务。")
    meeting = meeting_act(actor=director, meeting=meeting, action="publish")
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.published_at is not None
    # Published: closed for edits and for the same action twice.
    with pytest.raises(Conflict):
        decision_add(
            actor=director,
            meeting=meeting,
            text="x",
            department=department,
            due_on=days_from_today(5),
        )
    with pytest.raises(Conflict):
        meeting_act(actor=director, meeting=meeting, action="publish")
    actions = set(
        Event.objects.filter(
            object_id=str(meeting.pk), action__startswith="joint_meeting."
        ).values_list("action", flat=True)
    )
    assert {"joint_meeting.plan", "joint_meeting.hold", "joint_meeting.publish"} <= actions


def test_bad_input_is_refused_and_changes_nothing(
    director: User, county: Center, department: Department, other_county: Center
) -> None:
    with pytest.raises(ValidationError) as refused:
        meeting_plan(actor=director, center=county, held_at="tomorrow", place="", agenda="")
    assert {"held_at", "place", "agenda"} <= set(refused.value.message_dict)
    meeting = held_meeting(director, county)
    foreign = Department.objects.create(center=other_county, code="X", name="外县局")
    with pytest.raises(ValidationError) as refused:
        decision_add(actor=director, meeting=meeting, text="", department=foreign, due_on="31/12")
    assert {"text", "department", "due_on"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError):
        decision_add(
            actor=director,
            meeting=meeting,
            text="补办",
            department=department,
            due_on=days_from_today(-30),
        )
    with pytest.raises(ValidationError) as refused:
        meeting_attendance_save(
            actor=director,
            meeting=meeting,
            rows=[AttendanceDraft(department.pk, "present", ""), AttendanceDraft(999999, "absent")],
        )
    assert "department_999999" in refused.value.message_dict
    assert not MeetingAttendance.objects.exists()
    assert not meeting.decisions.exists()


def test_decisions_done_by_manager_or_own_department_leader_only(
    director: User,
    dept_leader: User,
    supervisor: User,
    county: Center,
    department: Department,
    other_department: Department,
) -> None:
    meeting = held_meeting(director, county)
    own = open_decision(director, meeting, department)
    foreign = open_decision(director, meeting, other_department)
    # The leader of the owner department marks it done; not another department's, never drops.
    assert [a for a, _label in decision_actions(dept_leader, own)] == ["done"]
    assert decision_actions(dept_leader, foreign) == []
    with pytest.raises(ValidationError):
        decision_act(actor=dept_leader, decision=foreign, action="done")
    with pytest.raises(Http404):
        access_decision(dept_leader, foreign.pk, for_write=True)
    # Supervisors read, never act.
    assert access_decision(supervisor, own.pk) == own
    with pytest.raises(Http404):
        access_decision(supervisor, own.pk, for_write=True)
    done = decision_act(actor=dept_leader, decision=own, action="done", note="已排班到人")
    assert (done.status, done.closed_by, done.note) == (
        DecisionStatus.DONE,
        dept_leader,
        "已排班到人",
    )
    with pytest.raises(Conflict):
        decision_act(actor=director, decision=own, action="done")
    # Dropping needs a note.
    with pytest.raises(ValidationError) as refused:
        decision_act(actor=director, decision=foreign, action="drop", note=" ")
    assert "note" in refused.value.message_dict
    dropped = decision_act(actor=director, decision=foreign, action="drop", note="并入下次会议")
    assert dropped.status == DecisionStatus.DROPPED


def test_open_decisions_board_puts_overdue_first(
    director: User, county: Center, department: Department, other_department: Department
) -> None:
    meeting = held_meeting(director, county, days_ago=20)
    open_decision(director, meeting, department, due_in=10)
    late = open_decision(director, meeting, other_department, due_in=-3)
    board = open_decisions_board(decisions_in_scope(director), timezone.localdate())
    assert [group.department for group in board] == [other_department, department]
    assert board[0].overdue == 1 and board[0].decisions == [late]


def test_meetings_are_not_seen_outside_the_subtree(
    director: User,
    outsider: User,
    guide: User,
    dept_leader: User,
    county: Center,
    department: Department,
) -> None:
    meeting = held_meeting(director, county)
    assert access_meeting(dept_leader, meeting.pk) == meeting
    with pytest.raises(Http404):
        access_meeting(dept_leader, meeting.pk, for_write=True)
    for stranger in (outsider, guide):
        assert not meetings_in_scope(stranger).exists()
        with pytest.raises(Http404):
            access_meeting(stranger, meeting.pk)
    with pytest.raises(ValidationError):
        meeting_plan(
            actor=outsider,
            center=county,
            held_at=timezone.now(),
            place="会议室",
            agenda="议程",
        )
    with pytest.raises(ValidationError):
        meeting_act(actor=dept_leader, meeting=meeting, action="publish")
