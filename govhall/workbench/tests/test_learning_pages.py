"""Study and training pages (issue 21 item 2): holding a study session as a new director would
(plan, register with everyone present by default, notes, archive), the printable sign-in
register, trainings, "my study", the missed sessions on the score sheet, permissions."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.assessment.models import ScoreSheet
from govhall.assessment.services.fill import score_sheets_fill
from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.models.learning import StudyAttendance, StudySession, TrainingParticipation
from govhall.staffing.services.learning import (
    study_register_mark,
    study_session_plan,
    training_event_record,
    training_participation_record,
)

pytestmark = pytest.mark.django_db


def test_hold_a_study_session(
    client_as, director: User, county: Center, clerk: User, window_head: User
) -> None:  # type: ignore[no-untyped-def]
    page = client_as(director)
    listing = page.get(reverse("workbench:study_sessions"))
    assert listing.status_code == 200
    assert "尚未举行集中学习" in listing.content.decode()
    day = timezone.localdate() - datetime.timedelta(days=1)
    short = page.post(
        reverse("workbench:study_session_new"),
        {"center": county.pk, "held_on": day, "starts": "15:00", "ends": "16:00", "topic": "学习"},
    )
    assert short.status_code == 200
    assert "集中学习每次不少于 2 小时" in short.content.decode()
    assert not StudySession.objects.exists()
    made = page.post(
        reverse("workbench:study_session_new"),
        {
            "center": county.pk,
            "held_on": day,
            "starts": "15:00",
            "ends": "17:00",
            "topic": "学习文件",
        },
    )
    session = StudySession.objects.get()
    assert made.status_code == 302
    shown = page.get(reverse("workbench:study_session", args=[session.pk])).content.decode()
    assert f'name="mark_{clerk.pk}" value="present" checked' in shown
    page.post(
        reverse("workbench:study_register", args=[session.pk]),
        {f"mark_{clerk.pk}": "present", f"mark_{window_head.pk}": "absent"},
    )
    page.post(reverse("workbench:study_notes", args=[session.pk]), {"discussion_notes": "讨论"})
    page.post(reverse("workbench:study_archive", args=[session.pk]))
    session.refresh_from_db()
    assert session.archived_at is not None
    assert StudyAttendance.objects.get(user=window_head).mark == "absent"
    printed = page.get(reverse("workbench:study_register_print", args=[session.pk]))
    assert (
        "签到表" in printed.content.decode()
        and window_head.display_name in printed.content.decode()
    )
    listing = page.get(reverse("workbench:study_sessions")).content.decode()
    assert "下次集中学习应不晚于" in listing
    # Archived: the register no longer changes.
    page.post(
        reverse("workbench:study_register", args=[session.pk]),
        {f"mark_{window_head.pk}": "present"},
    )
    assert StudyAttendance.objects.get(user=window_head).mark == "absent"


def test_own_record_and_permissions(
    client_as, director: User, county: Center, clerk: User, outsider: User
) -> None:  # type: ignore[no-untyped-def]
    session = study_session_plan(
        actor=director,
        center=county,
        held_on=datetime.date(2026, 3, 2),
        starts="09:00",
        ends="11:00",
        topic="学习",
    )
    study_register_mark(actor=director, session=session, marks={clerk.pk: "absent"})
    course = training_event_record(
        actor=director,
        center=county,
        kind="contest",
        title="业务技能竞赛",
        starts_on="2026-03-05",
        ends_on="2026-03-05",
        hours="3",
    )
    training_participation_record(
        actor=director, event=course, user_id=clerk.pk, mark="present", result="一等奖"
    )
    page = client_as(clerk)
    assert page.get(reverse("workbench:study_sessions")).status_code == 404
    assert page.get(reverse("workbench:trainings")).status_code == 404
    assert page.post(reverse("workbench:study_archive", args=[session.pk])).status_code == 404
    mine = page.get(reverse("workbench:my_learning")).content.decode()
    assert "一等奖" in mine and "学习" in mine
    assert page.get(reverse("workbench:study_session", args=[session.pk])).status_code == 200
    page = client_as(outsider)
    assert page.get(reverse("workbench:study_session", args=[session.pk])).status_code == 404
    assert page.get(reverse("workbench:training", args=[course.pk])).status_code == 404
    page = client_as(director)
    added = page.post(
        reverse("workbench:training", args=[course.pk]), {"user": "999999", "mark": "present"}
    )
    assert added.status_code == 200
    assert TrainingParticipation.objects.count() == 1
    # The missed session shows on the month's score sheet.
    score_sheets_fill(month=datetime.date(2026, 3, 1), centers=[county.pk])
    sheet = ScoreSheet.objects.get(person=clerk, month=datetime.date(2026, 3, 1))
    shown = page.get(reverse("workbench:assessment_sheet", args=[sheet.pk])).content.decode()
    assert "缺席集中学习 1 次" in shown
