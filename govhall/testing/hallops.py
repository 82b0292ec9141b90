"""Helpers of the hallops tests (joint meetings and emergencies, issue 21 item 4)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.core.models import User
from govhall.hallops.models import JointMeeting, MeetingDecision, MeetingStatus
from govhall.hallops.services.meetings import decision_add, meeting_act, meeting_plan
from govhall.org.models import Center, Department


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def held_meeting(director: User, center: Center, *, days_ago: int = 10) -> JointMeeting:
    """A meeting of `center` held `days_ago` days ago (minutes not yet published)."""
    meeting = meeting_plan(
        actor=director,
        center=center,
        held_at=timezone.now() - datetime.timedelta(days=days_ago),
        place="三楼会议室",
        agenda="一、窗口延时服务\n二、材料互认",
        chair=director,
    )
    meeting = meeting_act(actor=director, meeting=meeting, action="hold")
    assert meeting.status == MeetingStatus.HELD
    return meeting


def open_decision(
    director: User, meeting: JointMeeting, department: Department, *, due_in: int = 5
) -> MeetingDecision:
    return decision_add(
        actor=director,
        meeting=meeting,
        text="周六延时服务安排到人",
        department=department,
        due_on=days_from_today(due_in),
    )
