"""Pages of joint meetings and emergencies (issue 21 item 4) as a new user works them: plan a
meeting, hold it, record the attendance in one form, write the minutes and a decision, publish;
a department leader presses "done" on their department's decision on the board; the plan edited
per kind and printed; a drill logged. Outsiders get 404; bad input shows a message."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import User
from govhall.hallops.models import (
    PLAN_KINDS,
    DecisionStatus,
    EmergencyEvent,
    JointMeeting,
    MeetingStatus,
    PlanStatus,
)
from govhall.org.models import Center, Department
from govhall.testing.hallops import days_from_today, held_meeting, open_decision

pytestmark = pytest.mark.django_db

PAGES = "/staff/hallops"


def _moment(delta: datetime.timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_hold_a_joint_meeting(  # type: ignore[no-untyped-def]
    client_as, director: User, county: Center, department: Department
) -> None:
    web = client_as(director)
    assert web.get(f"{PAGES}/meetings/").status_code == 200
    bad = web.post(
        f"{PAGES}/meetings/new/",
        {"center": county.pk, "held_at": "soon", "place": "", "agenda": "议程"},
    )
    assert bad.status_code == 200 and not JointMeeting.objects.exists()
    made = web.post(
        f"{PAGES}/meetings/new/",
        {
            "center": county.pk,
            "held_at": _moment(datetime.timedelta(hours=-1)),
            "place": "三楼会议室",
            "agenda": "延时服务",
            "chair": director.pk,
        },
    )
    meeting = JointMeeting.objects.get()
    page = f"{PAGES}/meetings/{meeting.pk}/"
    assert made.status_code == 302 and made["Location"] == page
    web.post(page, {"part": "action", "action": "hold"})
    web.post(
        page,
        {
            "part": "attendance",
            f"presence_{department.pk}": "present",
            f"name_{department.pk}": "王",
        },
    )
    web.post(page, {"part": "minutes", "minutes": "议定周六延时服务"})
    no_date = web.post(page, {"part": "decision", "text": "排班", "department": department.pk})
    assert no_date.status_code == 200 and not meeting.decisions.exists()
    web.post(
        page,
        {
            "part": "decision",
            "text": "排班",
            "department": department.pk,
            "due_on": days_from_today(7).isoformat(),
        },
    )
    web.post(page, {"part": "action", "action": "publish"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    assert meeting.attendance.get().attendee_name == "王"
    shown = web.get(page).content.decode()
    assert "议定周六延时服务" in shown and "排班" in shown


def test_department_leader_marks_own_decision_on_the_board(  # type: ignore[no-untyped-def]
    client_as,
    director: User,
    dept_leader: User,
    outsider: User,
    county: Center,
    department: Department,
    other_department: Department,
) -> None:
    meeting = held_meeting(director, county, days_ago=15)
    own = open_decision(director, meeting, department, due_in=-1)
    foreign = open_decision(director, meeting, other_department)
    web = client_as(dept_leader)
    board = web.get(f"{PAGES}/decisions/")
    assert board.status_code == 200
    html = board.content.decode()
    assert html.index(department.name) < html.index(other_department.name)  # overdue first
    assert web.post(f"{PAGES}/meetings/{meeting.pk}/", {"part": "minutes"}).status_code == 404
    act = f"{PAGES}/decisions/{{}}/act/"
    assert web.post(act.format(foreign.pk), {"action": "done"}).status_code == 404
    done = web.post(act.format(own.pk), {"action": "done", "next": f"{PAGES}/decisions/"})
    assert done.status_code == 302 and done["Location"] == f"{PAGES}/decisions/"
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.status, foreign.status) == (DecisionStatus.DONE, DecisionStatus.OPEN)
    stranger = client_as(outsider)
    assert stranger.get(f"{PAGES}/meetings/{meeting.pk}/").status_code == 404


def test_emergency_plan_and_a_drill(  # type: ignore[no-untyped-def]
    client_as, director: User, guide: User, supervisor: User, county: Center
) -> None:
    web = client_as(director)
    assert web.get(f"{PAGES}/plan/print/?center={county.pk}").status_code == 404
    web.post(f"{PAGES}/plan/?center={county.pk}", {"center_id": county.pk})
    page = web.get(f"{PAGES}/plan/?center={county.pk}")
    plan = page.context["plan"].draft
    assert plan is not None
    section = f"{PAGES}/plans/{plan.pk}/section/"
    for kind in PLAN_KINDS:
        web.post(
            section,
            {
                "kind": kind,
                f"{kind}-measures": "措施",
                f"{kind}-phone": "0571-88001101",
                f"{kind}-duty_people": [guide.pk],
            },
        )
    web.post(section, {"publish": "1"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    printed = web.get(f"{PAGES}/plan/print/?center={county.pk}")
    assert printed.status_code == 200 and guide.display_name in printed.content.decode()
    assert web.get(f"{PAGES}/plan/?center=abc").status_code == 404
    # Plan a drill, then record how it went.
    web.post(
        f"{PAGES}/emergencies/",
        {
            "form": "drill",
            "center": county.pk,
            "kind": "crowding",
            "planned_for": _moment(datetime.timedelta(days=3)),
            "what_happened": "疏散演练",
        },
    )
    drill = EmergencyEvent.objects.get()
    record = web.post(
        f"{PAGES}/emergencies/{drill.pk}/",
        {
            "action": "record",
            "occurred_at": _moment(datetime.timedelta(minutes=-30)),
            "actions_taken": "分流疏散",
            "outcome": "6 分钟完成",
        },
    )
    assert record.status_code == 302
    drill.refresh_from_db()
    assert drill.status == "recorded" and drill.actions_taken == "分流疏散"
    reader = client_as(supervisor)
    assert reader.get(f"{PAGES}/emergencies/").status_code == 200
    assert reader.post(f"{PAGES}/emergencies/", {"form": "incident"}).status_code == 404
