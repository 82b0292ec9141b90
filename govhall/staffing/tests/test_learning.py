"""Study sessions and trainings (issue 21 item 2): the length rule, the cadence's boundaries on
fixed dates, the register, the archive lock, trainings in the person's file, permissions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.org.models import Center, Department
from govhall.staffing.access.learning import access_study_session, study_sessions_in_scope
from govhall.staffing.models.learning import StudyAttendance, StudySession
from govhall.staffing.queries.learning import (
    expected_people,
    missed_study_sessions,
    register_rows,
    study_cadence,
    study_due_by,
    training_records,
)
from govhall.staffing.services.learning import (
    study_notes_record,
    study_register_mark,
    study_session_archive,
    study_session_plan,
    training_event_record,
    training_participation_record,
)
from govhall.testing.factories import make_staff

D = datetime.date
T = datetime.time
TODAY = D(2026, 3, 20)
FIRST = D(2026, 3, 2)


def _plan(actor: User, center: Center, day: datetime.date = FIRST) -> StudySession:
    return study_session_plan(
        actor=actor,
        center=center,
        held_on=day,
        starts=T(15, 0),
        ends=T(17, 0),
        topic="学习上级文件精神",
        host="主任",
    )


def test_a_session_lasts_at_least_two_hours(director: User, county: Center) -> None:
    with pytest.raises(ValidationError) as refused:
        study_session_plan(
            actor=director,
            center=county,
            held_on=D(2026, 3, 2),
            starts="15:00",
            ends="16:59",
            topic="学习",
        )
    assert refused.value.message_dict["ends"] == ["A study session lasts at least 2 hours."]
    assert not StudySession.objects.exists()
    session = _plan(director, county)
    assert (session.starts, session.ends) == (T(15, 0), T(17, 0))
    assert Event.objects.filter(action="study_session.plan", object_id=str(session.pk)).exists()


def test_bad_input_is_refused_with_every_field(director: User, county: Center) -> None:
    with pytest.raises(ValidationError) as refused:
        study_session_plan(
            actor=director, center=county, held_on="3/2", starts="x", ends="", topic=" "
        )
    assert set(refused.value.message_dict) == {"held_on", "starts", "ends", "topic"}


@pytest.mark.parametrize(
    ("previous", "due"),
    [
        (D(2026, 3, 2), D(2026, 3, 16)),  # two weeks
        (D(2026, 6, 25), D(2026, 7, 31)),  # lands in July (holiday): by the end of July
        (D(2026, 7, 2), D(2026, 8, 31)),  # July covered: by the end of August (holiday)
        (D(2026, 8, 10), D(2026, 9, 14)),  # August covered: two weeks into September
    ],
)
def test_the_next_session_is_due(previous: datetime.date, due: datetime.date) -> None:
    assert study_due_by(previous) == due


def test_cadence_boundaries(director: User, county: Center) -> None:
    _plan(director, county, D(2026, 3, 2))
    _plan(director, county, D(2026, 3, 16))  # 14 days: on time
    _plan(director, county, D(2026, 3, 31))  # 15 days: late by one day
    _plan(director, county, D(2026, 4, 20))  # planned, in the future
    cadence = study_cadence(center_id=county.pk, today=D(2026, 4, 14))
    assert [(g.after, g.due_by, g.held_on, g.days_late) for g in cadence.gaps] == [
        (D(2026, 3, 16), D(2026, 3, 30), D(2026, 3, 31), 1)
    ]
    assert cadence.last_held == D(2026, 3, 31)
    assert cadence.next_due == D(2026, 4, 14)
    assert not cadence.overdue
    assert cadence.next_planned == D(2026, 4, 20)
    later = study_cadence(center_id=county.pk, today=D(2026, 4, 15))
    assert later.overdue
    assert later.gaps[0].held_on is None and later.gaps[0].days_late == 1


def test_register_archive_and_lock(
    director: User,
    county: Center,
    department: Department,
    clerk: User,
    window_head: User,
    dept_leader: User,
) -> None:
    session = _plan(director, county)
    assert set(expected_people(center_id=county.pk, day=session.held_on)) == {clerk, window_head}
    with pytest.raises(Conflict):  # not held yet
        study_register_mark(
            actor=director, session=session, marks={clerk.pk: "present"}, today=D(2026, 3, 1)
        )
    with pytest.raises(ValidationError) as refused:
        study_register_mark(
            actor=director, session=session, marks={dept_leader.pk: "present"}, today=TODAY
        )
    assert f"mark_{dept_leader.pk}" in refused.value.message_dict
    study_register_mark(actor=director, session=session, marks={clerk.pk: "present"}, today=TODAY)
    study_notes_record(actor=director, session=session, notes="讨论了窗口服务规范")
    with pytest.raises(Conflict, match="1 person expected is not marked"):
        study_session_archive(actor=director, session=session, today=TODAY)
    study_register_mark(
        actor=director,
        session=session,
        marks={window_head.pk: "absent"},
        notes={window_head.pk: "未请假"},
        today=TODAY,
    )
    archived = study_session_archive(actor=director, session=session, today=TODAY)
    assert archived.archived_at is not None
    with pytest.raises(Conflict, match="archived"):
        study_register_mark(
            actor=director, session=session, marks={window_head.pk: "present"}, today=TODAY
        )
    with pytest.raises(Conflict, match="archived"):
        study_notes_record(actor=director, session=session, notes="改")
    assert StudyAttendance.objects.get(session=session, user=window_head).mark == "absent"
    # The archived register stays as kept: a newcomer is not added to it.
    make_staff(Role.CLERK, county, department, username="newcomer", window_staff=True)
    assert {row.user for row in register_rows(archived)} == {clerk, window_head}
    assert missed_study_sessions(
        user_ids=[clerk.pk, window_head.pk], start=D(2026, 3, 1), end=D(2026, 3, 31)
    ) == {window_head.pk: 1}
    assert (
        missed_study_sessions(user_ids=[window_head.pk], start=D(2026, 3, 3), end=D(2026, 3, 31))
        == {}
    )


def test_permissions(
    director: User, county: Center, clerk: User, outsider: User, dept_leader: User
) -> None:
    for actor in (outsider, clerk, dept_leader):
        with pytest.raises(ValidationError):
            _plan(actor, county)
    session = _plan(director, county)
    with pytest.raises(ValidationError):
        study_register_mark(actor=outsider, session=session, marks={clerk.pk: "absent"})
    with pytest.raises(Http404):
        access_study_session(outsider, session.pk)
    with pytest.raises(Http404):
        access_study_session(clerk, session.pk)  # not on the register yet
    study_register_mark(actor=director, session=session, marks={clerk.pk: "present"}, today=TODAY)
    assert access_study_session(clerk, session.pk) == session
    with pytest.raises(Http404):
        access_study_session(clerk, session.pk, for_write=True)
    assert list(study_sessions_in_scope(outsider)) == []


def test_trainings_land_in_the_persons_file(
    director: User, county: Center, clerk: User, outsider: User, department: Department
) -> None:
    course = training_event_record(
        actor=director,
        center=county,
        kind="course",
        title="岗前业务培训",
        starts_on=D(2026, 3, 3),
        ends_on=D(2026, 3, 4),
        hours="8",
    )
    contest = training_event_record(
        actor=director,
        center=county,
        kind="contest",
        title="业务技能竞赛",
        starts_on=D(2026, 4, 1),
        ends_on=D(2026, 4, 1),
        hours=3,
    )
    training_participation_record(actor=director, event=course, user_id=clerk.pk, mark="present")
    training_participation_record(
        actor=director, event=contest, user_id=clerk.pk, mark="present", result="一等奖"
    )
    assert [(r.event.title, r.result) for r in training_records(user_id=clerk.pk)] == [
        ("业务技能竞赛", "一等奖"),
        ("岗前业务培训", ""),
    ]
    stranger = make_staff(Role.CLERK, outsider.staff.center, username="stranger")
    with pytest.raises(ValidationError) as refused:
        training_participation_record(
            actor=director, event=course, user_id=stranger.pk, mark="maybe"
        )
    assert set(refused.value.message_dict) == {"user_id", "mark"}
    with pytest.raises(ValidationError):
        training_participation_record(actor=outsider, event=course, user_id=clerk.pk, mark="absent")
    with pytest.raises(ValidationError) as bad:
        training_event_record(
            actor=director,
            center=county,
            kind="party",
            title="",
            starts_on=D(2026, 4, 2),
            ends_on=D(2026, 4, 1),
            hours="-1",
        )
    assert set(bad.value.message_dict) == {"kind", "title", "ends_on", "hours"}
