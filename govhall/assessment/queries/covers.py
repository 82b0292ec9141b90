"""Temporary covers (顶岗人员) during their cover periods (`staffing.Delegation`), issue 21 item 1b.

- Flags (seeds/001… AB岗 五5: 通报批评或接到投诉两次及两次以上的,部门无条件换人): a cover criticised
  (a notice of criticism, or a patrol finding not already behind a notice) or complained about
  (a complaint found true) during their cover periods GOVHALL_COVER_FAULTS_FOR_REPLACEMENT times
  or more, counted together, is flagged for their department to replace.
- The window's score (seeds/000… 篇5 考勤 5: 临时上岗人员…出现违纪违规现象或工作失误的,将扣除窗口的
  考核分): the points of the alerts of a temporary cover (someone holding no post at the window)
  raised at the window during a cover period are taken off the window's monthly score.

Each answers in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from govhall.assessment.months import next_month
from govhall.assessment.queries.person_file import FINDING_PREFIX, _moments
from govhall.core.models import User
from govhall.feedback.models import Complaint
from govhall.feedback.models.complaints import FINDINGS_AGAINST
from govhall.org.models import Center, Department, Post, Staff
from govhall.staffing.models import Delegation
from govhall.supervision.models import Alert, CriticismNotice


@dataclass
class CoverFault:
    kind: str  # "notice", "finding", "complaint"
    label: str
    moment: datetime.datetime
    delegation: Delegation


@dataclass
class FlaggedCover:
    user: User
    department: Department | None
    faults: list[CoverFault] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.faults)


def _covering(delegation: Delegation, moment: datetime.datetime) -> bool:
    return delegation.starts_at <= moment and (
        delegation.ends_at is None or moment < delegation.ends_at
    )


def _covering_day(delegation: Delegation, day: datetime.date) -> bool:
    """The alert's day falls in the cover period (a scan raises it later than it happened)."""
    if timezone.localdate(delegation.starts_at) > day:
        return False
    return delegation.ends_at is None or day <= timezone.localdate(delegation.ends_at)


def flagged_covers(
    center: Center,
    *,
    today: datetime.date | None = None,
    department_id: int | None = None,
) -> list[FlaggedCover]:
    """The covers of `center`'s posts to replace, over the 12 months ending `today`; with
    `department_id`, only the covers of that department (five queries)."""
    today = today or timezone.localdate()
    since = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else (today.replace(year=today.year - 1, day=28))
    )
    starts, ends = _moments(since, today)
    delegations = (
        Delegation.objects.filter(post__window__center=center, starts_at__lt=ends)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=starts))
        .select_related("post__window")
    )
    if department_id is not None:
        delegations = delegations.filter(cover_user__staff__department_id=department_id)
    by_cover: dict[int, list[Delegation]] = defaultdict(list)
    for delegation in delegations:
        by_cover[delegation.cover_user_id].append(delegation)
    if not by_cover:
        return []
    ids = list(by_cover)
    faults: dict[int, list[CoverFault]] = defaultdict(list)

    def place(user_id: int, kind: str, label: str, moment: datetime.datetime) -> None:
        if not (starts <= moment < ends):
            return
        for delegation in by_cover[user_id]:
            if _covering(delegation, moment):
                faults[user_id].append(CoverFault(kind, label, moment, delegation))
                return

    for notice in CriticismNotice.objects.filter(
        person_id__in=ids, issued_at__gte=starts, issued_at__lt=ends
    ):
        place(notice.person_id, "notice", notice.number, notice.issued_at)
    for alert in Alert.objects.counting().filter(
        responsible_id__in=ids,
        subject_key__startswith=FINDING_PREFIX,
        raised_at__gte=starts,
        raised_at__lt=ends,
        notices__isnull=True,
    ):
        assert alert.responsible_id is not None
        place(alert.responsible_id, "finding", alert.detail, alert.raised_at)
    for complaint in Complaint.objects.filter(
        target_staff_id__in=ids,
        finding__in=FINDINGS_AGAINST,
        received_at__gte=starts,
        received_at__lt=ends,
    ):
        assert complaint.target_staff_id is not None
        place(complaint.target_staff_id, "complaint", complaint.number, complaint.received_at)
    limit = int(settings.GOVHALL_COVER_FAULTS_FOR_REPLACEMENT)
    due = [pk for pk, found in faults.items() if len(found) >= limit]
    if not due:
        return []
    rows = Staff.objects.filter(user_id__in=due).select_related("user", "department")
    staff = {s.user_id: s for s in rows}
    users = User.objects.in_bulk(due)
    flags = [
        FlaggedCover(
            user=users[pk],
            department=staff[pk].department if pk in staff else None,
            faults=sorted(faults[pk], key=lambda f: f.moment),
        )
        for pk in due
    ]
    return sorted(flags, key=lambda f: (-f.count, f.user.username))


def cover_window_deductions(window_ids: Iterable[int], month: datetime.date) -> dict[int, Decimal]:
    """Points to take off each window's score of `month` for its temporary covers' alerts
    (three queries; windows without any are left out)."""
    ids = [pk for pk in window_ids if pk]
    if not ids:
        return {}
    first = month.replace(day=1)
    starts, ends = _moments(first, next_month(first) - datetime.timedelta(days=1))
    delegations: dict[tuple[int, int], list[Delegation]] = defaultdict(list)
    for delegation in (
        Delegation.objects.filter(post__window_id__in=ids, starts_at__lt=ends)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=starts))
        .select_related("post")
    ):
        delegations[(delegation.post.window_id, delegation.cover_user_id)].append(delegation)
    if not delegations:
        return {}
    posted: set[tuple[int, int]] = set()
    for window_id, a_staff, b_staff in Post.objects.filter(window_id__in=ids).values_list(
        "window_id", "a_staff_id", "b_staff_id"
    ):
        posted.update({(window_id, a_staff), (window_id, b_staff)})
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for window_id, responsible, points, day in (
        Alert.objects.counting()
        .filter(
            window_id__in=ids,
            responsible_id__in={cover for _w, cover in delegations},
            occurred_on__gte=first,
            occurred_on__lt=next_month(first),
            points__gt=0,
        )
        .values_list("window_id", "responsible_id", "points", "occurred_on")
    ):
        key = (window_id, responsible)
        if key in posted:
            continue  # a holder of the window's posts: their own sheet counts in the average
        if any(_covering_day(d, day) for d in delegations.get(key, [])):
            totals[window_id] += points
    return dict(totals)
