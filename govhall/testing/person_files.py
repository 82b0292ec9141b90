"""A person's assessment file with something in every section (issue 21 item 1b tests), built
directly in the database in a few inserts: all in YEAR, dated so that nothing depends on today."""

from __future__ import annotations

import datetime
import itertools
import uuid
from decimal import Decimal

from govhall.assessment.models import ScoreSheet, SheetStatus
from govhall.core.models import User
from govhall.feedback.models import Complaint
from govhall.feedback.models.complaints import ComplaintFinding
from govhall.org.models import Center, Window
from govhall.staffing.models import Absence, Attendance, Delegation, StaffFact
from govhall.staffing.models.assignment import StaffFactKind
from govhall.staffing.models.learning import (
    AttendanceMark,
    StudyAttendance,
    StudySession,
    TrainingEvent,
    TrainingParticipation,
)
from govhall.supervision.models import (
    Alert,
    AlertRule,
    CriticismNotice,
    PatrolFinding,
    PatrolRound,
    PatrolVisit,
)
from govhall.testing.cases import local, make_case
from govhall.testing.complaints import make_complaint
from govhall.testing.factories import ServiceItemFactory
from govhall.testing.ratings import make_rating
from govhall.testing.supervision import ensure_default_rules

YEAR = 2025
_serial = itertools.count(1)


def sheets(person: User, window: Window | None, scores: dict[int, str], **fields: object) -> None:
    """Published monthly sheets of YEAR: month number → score."""
    center_id = window.center_id if window else fields.pop("center_id")
    for month, score in scores.items():
        ScoreSheet.objects.update_or_create(
            person=person,
            month=datetime.date(YEAR, month, 1),
            defaults={
                "center_id": center_id,
                "window": window,
                "score": Decimal(score),
                "status": SheetStatus.PUBLISHED,
                **fields,
            },
        )


def notice(person: User, window: Window, actor: User, moment: datetime.datetime) -> CriticismNotice:
    return CriticismNotice.objects.create(
        center_id=window.center_id,
        number=f"PF-{next(_serial)}-{uuid.uuid4().hex[:6]}",
        kind="criticism",
        person=person,
        window=window,
        facts="上班时间玩手机",
        decision="通报批评",
        issued_by=actor,
        issued_at=moment,
    )


def finding(person: User, window: Window, actor: User, moment: datetime.datetime) -> Alert:
    """A patrol finding at `window` and its alert on `person` (as the patrol service names it)."""
    ensure_default_rules()
    patrol = PatrolRound.objects.create(
        center_id=window.center_id,
        day=moment.date(),
        session="morning",
        inspector=actor,
        started_at=moment,
    )
    visit = PatrolVisit.objects.create(
        round=patrol, window=window, visited_at=moment, serving=[person.pk]
    )
    found = PatrolFinding.objects.create(
        visit=visit, point="post", note="离岗未挂去向牌", recorded_at=moment
    )
    rule = AlertRule.objects.get(code="patrol_finding.yellow")
    return Alert.objects.create(
        rule=rule,
        level=rule.level,
        subject_key=f"finding:{found.pk}:{person.pk}",
        center_id=window.center_id,
        window=window,
        responsible=person,
        occurred_on=moment.date(),
        detail="巡查发现:离岗未挂去向牌",
        raised_at=moment,
        points=rule.points,
        is_violation=rule.counts_as_violation,
        batch=uuid.uuid4().hex,
    )


def complaint(
    person: User, center: Center, actor: User, moment: datetime.datetime, *, true: bool
) -> Complaint:
    made = make_complaint(actor, center, target=person)
    Complaint.objects.filter(pk=made.pk).update(
        received_at=moment,
        finding=ComplaintFinding.VERIFIED if true else ComplaintFinding.UNFOUNDED,
        status="answered",
    )
    made.refresh_from_db()
    return made


def cover(window: Window, absent: User, cover_user: User, month: int) -> Delegation:
    """`cover_user` covers `absent`'s post at `window` for the first half of the month."""
    return Delegation.objects.create(
        post=window.posts.first(),
        absent_user=absent,
        cover_user=cover_user,
        reason="leave",
        starts_at=local(YEAR, month, 1, 0),
        ends_at=local(YEAR, month, 15, 23),
    )


def ratings(person: User, window: Window, levels: list[int]) -> None:
    item = ServiceItemFactory(center=window.center, department=window.departments.first())
    for index, level in enumerate(levels):
        moment = local(YEAR, 7, 1 + index)
        make_rating(
            make_case(item, window, received=moment), level=level, staff=person, rated_at=moment
        )


def full_file(person: User, window: Window, actor: User) -> None:
    """Something in every section of `person`'s file for YEAR."""
    center = window.center
    sheets(
        person,
        window,
        {3: "98", 4: "92"},
        department_id=window.departments.values_list("pk", flat=True).first(),
    )
    notice(person, window, actor, local(YEAR, 3, 10))
    finding(person, window, actor, local(YEAR, 4, 8))
    complaint(person, center, actor, local(YEAR, 5, 6), true=True)
    complaint(person, center, actor, local(YEAR, 5, 7), true=False)
    ratings(person, window, [5, 5, 1])
    session = StudySession.objects.create(
        center=center,
        held_on=datetime.date(YEAR, 6, 2),
        starts=datetime.time(14),
        ends=datetime.time(16),
        topic="学习条例",
        recorded_by=actor,
    )
    StudyAttendance.objects.create(session=session, user=person, mark=AttendanceMark.ABSENT)
    event = TrainingEvent.objects.create(
        center=center,
        kind="course",
        title="业务培训",
        starts_on=datetime.date(YEAR, 6, 10),
        ends_on=datetime.date(YEAR, 6, 11),
        hours=Decimal("8"),
        recorded_by=actor,
    )
    TrainingParticipation.objects.create(
        event=event, user=person, mark=AttendanceMark.PRESENT, result="合格"
    )
    Attendance.objects.create(
        user=person, center=center, date=datetime.date(YEAR, 6, 3), late_minutes=12
    )
    Absence.objects.create(
        user=person,
        center=center,
        window=window,
        whereabouts="外出",
        starts_at=local(YEAR, 6, 4, 9),
        until=local(YEAR, 6, 4, 12),
        status="returned",
        counted_as_half_day_absenteeism=True,
    )
    StaffFact.objects.create(
        user=person,
        kind=StaffFactKind.VERIFIED_COMPLAINT,
        occurred_on=datetime.date(YEAR, 5, 20),
        source="test",
    )
