"""Who will serve the posts a leave touches (issue 16 item 2; seeds/000… 篇5 考勤 4:
及时确定顶岗人员，方可准假 — leave is granted only once a cover is fixed).

The posts affected by a leave are those of active windows where the person on leave is A, B or
the window head (the last fallback of `govhall.staffing.queries.cover`). For each, the plan
answers who would serve during the leave's service hours, in the order of the cover rules
(A, a named cover, B, the head), counting the person on leave as away and everyone's approved
leave as it stands. The answer is checked at the start of every half-day session the leave
covers and at every moment inside it when one of the fallbacks goes on approved leave, so a
B away for one afternoon of a three-day leave is seen. Temporary absences (去向牌) are not
planned ahead: they are of the moment, and the empty-post alert watches them.

The service sessions (morning and afternoon of the center's service hours on its working days)
are also what leave length counts, in half days (`leave_sessions`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from govhall.core.models import User
from govhall.org.models import Center, Post
from govhall.staffing.models import Delegation, Leave
from govhall.staffing.models.leave import LeaveStatus
from govhall.staffing.models.presence import DelegationReason
from govhall.staffing.queries.cover import ServingRole, posts_with_people, serving_of
from govhall.workdays.queries.calendar import calendar_for

Session = tuple[datetime.datetime, datetime.datetime]


def leave_sessions(
    center: Center, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> list[Session]:
    """The parts of [starts_at, ends_at) inside the center's half-day service sessions
    (morning, afternoon) of its working days, one per session touched, in order. Raises
    ValueError for days outside the work calendar's range."""
    tz = timezone.get_current_timezone()
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at - datetime.timedelta(microseconds=1)).date()
    workdays = calendar_for(center.pk)
    sessions: list[Session] = []
    day = first
    while day <= last:
        if workdays.is_workday(day):
            for opens, closes in (
                (center.morning_opens, center.morning_closes),
                (center.afternoon_opens, center.afternoon_closes),
            ):
                start = max(
                    starts_at, timezone.make_aware(datetime.datetime.combine(day, opens), tz)
                )
                end = min(ends_at, timezone.make_aware(datetime.datetime.combine(day, closes), tz))
                if start < end:
                    sessions.append((start, end))
        day += datetime.timedelta(days=1)
    return sessions


@dataclass(frozen=True)
class PostCover:
    """One post a leave touches: who would serve it during the leave, and the cover chosen."""

    post: Post
    # Who serves at the first service moment of the leave (None: nobody, or no service hours).
    serving: User | None
    role: ServingRole | None
    # The first service moment nobody would serve the post (None: always served).
    empty_at: datetime.datetime | None
    # The cover named for the post (at approval, or proposed by the approver now).
    chosen: User | None

    @property
    def needs_cover(self) -> bool:
        return self.empty_at is not None


def leave_affected_posts(leave: Leave) -> list[Post]:
    """Posts of active windows where the leave's person is A, B or the window head."""
    return list(
        posts_with_people()
        .filter(
            Q(a_staff_id=leave.user_id)
            | Q(b_staff_id=leave.user_id)
            | Q(window__head_id=leave.user_id),
            window__is_active=True,
        )
        .order_by("window__center_id", "window__number", "pk")
    )


def named_covers(leave: Leave) -> dict[int, User]:
    """The covers named when `leave` was approved, by post id."""
    rows = Delegation.objects.filter(leave=leave).select_related("cover_user")
    return {row.post_id: row.cover_user for row in rows if row.reason == DelegationReason.NAMED}


def chosen_covers(leave: Leave) -> list[Delegation]:
    """Every cover record of an approved leave (named, B, head), for the pages and the API."""
    return list(
        Delegation.objects.filter(leave=leave)
        .select_related("post", "post__window", "cover_user")
        .order_by("post__window__number", "post_id")
    )


def leave_cover_plan(
    leave: Leave,
    covers: Mapping[int, User] | None = None,
    *,
    posts: list[Post] | None = None,
) -> list[PostCover]:
    """Who would serve each post `leave` touches (see the module text). `covers` (post id →
    person) are covers proposed by the approver; without them, the covers already named for
    the leave count."""
    affected = posts if posts is not None else leave_affected_posts(leave)
    if not affected:
        return []
    named = dict(covers) if covers is not None else named_covers(leave)
    center = Center.objects.get(pk=leave.center_id)
    try:
        sessions = leave_sessions(center, leave.starts_at, leave.ends_at)
    except ValueError:
        sessions = []
    people: set[int] = set()
    for post in affected:
        people.update(
            pk for pk in (post.a_staff_id, post.b_staff_id, post.window.head_id) if pk is not None
        )
    people.update(user.pk for user in named.values())
    people.discard(leave.user_id)
    others = list(
        Leave.objects.filter(
            user_id__in=people,
            status=LeaveStatus.APPROVED,
            starts_at__lt=leave.ends_at,
            ends_at__gt=leave.starts_at,
        )
        .exclude(pk=leave.pk)
        .values_list("user_id", "starts_at", "ends_at")
    )
    moments: list[datetime.datetime] = []
    for start, end in sessions:
        moments.append(start)
        moments.extend(sorted({s for _u, s, _e in others if start < s < end}))

    def away_at(moment: datetime.datetime) -> set[int]:
        away = {user_id for user_id, s, e in others if s <= moment < e}
        return away | {leave.user_id}

    plan: list[PostCover] = []
    away_by_moment = [(moment, away_at(moment)) for moment in moments]
    for post in affected:
        designated = named.get(post.pk)
        first = None
        empty_at = None
        for moment, away in away_by_moment:
            serving = serving_of(post, designated, away)
            if first is None:
                first = serving
            if serving.user is None:
                empty_at = moment
                break
        plan.append(
            PostCover(
                post=post,
                serving=first.user if first else None,
                role=first.role if first else None,
                empty_at=empty_at,
                chosen=designated,
            )
        )
    return plan


def cover_candidates(leave: Leave) -> list[User]:
    """Who may be named as cover for `leave`: active window staff of its center, not the
    person on leave, and not on approved leave during any part of it."""
    busy = Leave.objects.filter(
        status=LeaveStatus.APPROVED,
        starts_at__lt=leave.ends_at,
        ends_at__gt=leave.starts_at,
    ).values("user_id")
    return list(
        User.objects.filter(
            staff__center_id=leave.center_id,
            staff__is_window_staff=True,
            is_active=True,
        )
        .exclude(pk=leave.user_id)
        .exclude(pk__in=busy)
        .order_by("username")
        .distinct()[:CANDIDATES_MAX]
    )


CANDIDATES_MAX = 200
