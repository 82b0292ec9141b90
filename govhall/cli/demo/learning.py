"""The demo's study and training (issue 21 item 2): three study sessions of the county center
over the last six weeks, two weeks apart, each with its register (everyone expected present but
the demo clerk, absent from the latest) and notes, archived; one planned for next week; a
training course and a skill contest with their participants' results.

Made through the services as the demo's hall director. Idempotent: a session or training of the
same topic already there is left alone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.models.learning import AttendanceMark, StudySession, TrainingEvent
from govhall.staffing.queries.learning import expected_people
from govhall.staffing.services.learning import (
    study_notes_record,
    study_register_mark,
    study_session_archive,
    study_session_plan,
    training_event_record,
    training_participation_record,
)

ABSENT = "clerk"
# (days back, topic, notes); the last one of them is the one the demo clerk missed.
HELD = (
    (40, "学习上级关于优化营商环境的文件精神", "围绕“一次办好”讨论窗口如何减少群众跑腿次数。"),
    (
        26,
        "学习《政务服务中心窗口工作人员服务规范》",
        "对照规范查找本窗口的不足,提出整改措施。",
    ),
    (12, "学习首问负责制和一次性告知制度", "结合近期咨询记录,讨论一次性告知单的使用。"),
)
PLANNED = (7, "学习政务服务“好差评”制度")
COURSE = "窗口工作人员业务知识培训"
CONTEST = "窗口业务技能竞赛"


def _session(director: User, center: Center, day: datetime.date, topic: str) -> StudySession:
    return study_session_plan(
        actor=director,
        center=center,
        held_on=day,
        starts=datetime.time(15, 0),
        ends=datetime.time(17, 0),
        topic=topic,
        place="中心三楼会议室",
        host=director.display_name,
        plan="主题和材料提前一周下发,中心发言人备课,集中学习后分组讨论。",
    )


def load_demo_learning() -> int:
    """Make the county's sessions and trainings; returns how many sessions were made."""
    center = Center.objects.filter(code=COUNTY_CODE).first()
    director = User.objects.filter(username="director", is_active=True).first()
    if center is None or director is None:
        return 0
    today = timezone.localdate()
    topics = set(StudySession.objects.filter(center=center).values_list("topic", flat=True))
    made = 0
    for index, (back, topic, notes) in enumerate(HELD):
        if topic in topics:
            continue
        session = _session(director, center, today - datetime.timedelta(days=back), topic)
        people = list(expected_people(center_id=center.pk, day=session.held_on))
        last = index == len(HELD) - 1
        marks = {
            person.pk: AttendanceMark.ABSENT
            if last and person.username == ABSENT
            else AttendanceMark.PRESENT
            for person in people
        }
        if marks:
            study_register_mark(actor=director, session=session, marks=marks)
        study_notes_record(actor=director, session=session, notes=notes)
        study_session_archive(actor=director, session=session)
        made += 1
    if PLANNED[1] not in topics:
        _session(director, center, today + datetime.timedelta(days=PLANNED[0]), PLANNED[1])
        made += 1
    titles = set(TrainingEvent.objects.filter(center=center).values_list("title", flat=True))
    people = list(expected_people(center_id=center.pk, day=today)[:6])
    if COURSE not in titles:
        course = training_event_record(
            actor=director,
            center=center,
            kind="course",
            title=COURSE,
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today - datetime.timedelta(days=29),
            hours="12",
            organizer="县政务服务中心",
            place="中心培训室",
            description="政策法规、业务流程、礼仪服务岗前培训。",
        )
        for person in people:
            training_participation_record(
                actor=director, event=course, user_id=person.pk, mark="present", result="考试合格"
            )
    if CONTEST not in titles:
        contest = training_event_record(
            actor=director,
            center=center,
            kind="contest",
            title=CONTEST,
            starts_on=today - datetime.timedelta(days=18),
            ends_on=today - datetime.timedelta(days=18),
            hours="3",
            organizer="县政务服务中心",
        )
        prizes = ["一等奖", "二等奖", "三等奖"]
        for index, person in enumerate(people[:4]):
            training_participation_record(
                actor=director,
                event=contest,
                user_id=person.pk,
                mark="present",
                result=prizes[index] if index < len(prizes) else "优秀奖",
            )
    return made
