"""The demo's assessment files (issue 21 item 1b): the demo clerk covers another window's post
for five days that ended yesterday and is criticised twice in that time (two notices of criticism
by the hall director, each on one of the clerk's live alerts), so the clerk's file has notices
and the clerk is flagged as a temporary cover to replace (seeds/001… AB岗 五5). The clerk's other
sections come from the demo's supervision, feedback, attendance and learning; the clerk also
gets a result in the latest training and one lateness (8 minutes) on the last day signed in.

Notices through `criticism_notice_issue`; the cover period is a `Delegation` row like the ones
the leave and absence services write. Idempotent: nothing is added when the clerk already has
a cover period or a notice.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import User
from govhall.org.models import Center, Post
from govhall.staffing.models import Attendance, Delegation
from govhall.staffing.models.learning import (
    AttendanceMark,
    TrainingEvent,
    TrainingParticipation,
)
from govhall.staffing.models.presence import DelegationReason
from govhall.supervision.models import Alert, CriticismNotice
from govhall.supervision.services.notices import criticism_notice_issue

FACTS = (
    "顶岗期间离岗未挂去向牌,群众等候超过十分钟。",
    "顶岗期间对咨询群众态度生硬,未一次性告知所需材料。",
)


def load_demo_person_files() -> int:
    """Make the clerk's cover period and two notices; returns how many notices were made."""
    center = Center.objects.filter(code=COUNTY_CODE).first()
    director = User.objects.filter(username="director", is_active=True).first()
    clerk = User.objects.filter(username="clerk", is_active=True).first()
    if center is None or director is None or clerk is None:
        return 0
    if (
        Delegation.objects.filter(cover_user=clerk).exists()
        or CriticismNotice.objects.filter(person=clerk).exists()
    ):
        return 0
    post = (
        Post.objects.filter(window__center=center, a_staff__isnull=False)
        .exclude(Q(a_staff=clerk) | Q(b_staff=clerk))
        .order_by("window__number", "pk")
        .first()
    )
    alerts = list(
        Alert.objects.counting()
        .filter(center=center, responsible=clerk)
        .order_by("-occurred_on", "-pk")
        .values_list("pk", flat=True)[:2]
    )
    if post is None or post.a_staff is None or len(alerts) < 2:
        return 0
    now = timezone.now()
    ends = now - datetime.timedelta(days=1)
    Delegation.objects.create(
        post=post,
        absent_user=post.a_staff,
        cover_user=clerk,
        reason=DelegationReason.LEAVE,
        starts_at=ends - datetime.timedelta(days=5),
        ends_at=ends,
    )
    for index, (alert, facts) in enumerate(zip(alerts, FACTS, strict=True)):
        criticism_notice_issue(
            actor=director,
            person_id=clerk.pk,
            kind="criticism",
            alert_ids=[alert],
            facts=facts,
            decision="给予通报批评,责令写出书面检查。",
            now=ends - datetime.timedelta(days=3 - index),
        )
    _learning_and_lapse(clerk, ends)
    return len(alerts)


def _learning_and_lapse(clerk: User, moment: datetime.datetime) -> None:
    """The clerk's training result in the demo's course and one lateness,
    so that every section of the file has a line."""
    course = (
        TrainingEvent.objects.filter(starts_on__lte=moment.date()).order_by("-starts_on").first()
    )
    if course is not None:
        TrainingParticipation.objects.get_or_create(
            event=course,
            user=clerk,
            defaults={"mark": AttendanceMark.PRESENT, "result": "考核合格"},
        )
    day = (
        Attendance.objects.filter(user=clerk, date__lte=moment.date(), signed_in_at__isnull=False)
        .order_by("-date")
        .first()
    )
    if day is not None and not day.late_minutes:
        Attendance.objects.filter(pk=day.pk).update(late_minutes=8)
