"""Who serves a post at a given moment (AB岗, SPEC §8; seeds/001… AB岗工作制度).

One answer for the queue, the case inboxes, the duty board and the empty-post alerts:

1. the A staff, if available;
2. else the cover the window head designated when approving A's temporary absence
   (an open Delegation with reason "absence");
3. else the B staff, if available (cover starts by itself once A's leave is approved or A is
   away: nobody has to switch anything);
4. else the window head / chief representative (Window.head), if available;
5. else nobody: the post is empty (空岗).

"Available" means: an active account, not on an approved Leave covering the moment, and not
away on a temporary absence (去向牌) at that moment. An absence counts from its start until the
person is back (returned_at), not until the planned "back by": an overdue clerk is still away.

Attendance (sign-in) is deliberately NOT used: a missed sign-in is judged after the fact (late,
absent) and a hall without sign-in terminals would otherwise show every post empty; leave and
the where-and-until sign are the explicit statements that someone is not at the post.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.access import centers_in_scope, scope_of, windows_in_scope
from govhall.org.models import Post
from govhall.staffing.models import Absence, Delegation, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveStatus
from govhall.staffing.models.presence import AbsenceStatus, DelegationReason

ServingRole = Literal["a", "cover", "b", "head"]


@dataclass(frozen=True)
class Serving:
    """The answer for one post: exactly one person or nobody, and why."""

    post: Post
    user: User | None
    role: ServingRole | None
    reason: str

    @property
    def is_empty(self) -> bool:
        return self.user is None

    @property
    def is_cover(self) -> bool:
        return self.role in ("cover", "b", "head")


def unavailable_user_ids(user_ids: Iterable[int], at: datetime.datetime) -> set[int]:
    """Of `user_ids`, those on approved leave or away from the post at `at` (two queries)."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    on_leave = Leave.objects.filter(
        user_id__in=ids, status=LeaveStatus.APPROVED, starts_at__lte=at, ends_at__gt=at
    ).values_list("user_id", flat=True)
    away = Absence.objects.filter(
        Q(returned_at__isnull=True) | Q(returned_at__gt=at), user_id__in=ids, starts_at__lte=at
    ).values_list("user_id", flat=True)
    return set(on_leave) | set(away)


def _designated_covers(posts: list[Post], at: datetime.datetime) -> dict[int, User]:
    """Covers named by the window head for an approved absence, per post (one query)."""
    rows = (
        Delegation.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at),
            post__in=[post.pk for post in posts],
            reason=DelegationReason.ABSENCE,
            starts_at__lte=at,
        )
        .select_related("cover_user")
        .order_by("starts_at", "id")
    )
    a_of_post = {post.pk: post.a_staff_id for post in posts}
    covers: dict[int, User] = {}
    for delegation in rows:
        # Only a delegation for the post's current A counts (the post may have changed hands).
        if delegation.absent_user_id == a_of_post.get(delegation.post_id):
            covers[delegation.post_id] = delegation.cover_user
    return covers


def _answer(post: Post, designated: User | None, unavailable: set[int]) -> Serving:
    head = post.window.head
    candidates: list[tuple[User | None, ServingRole]] = [
        (post.a_staff, "a"),
        (designated, "cover"),
        (post.b_staff, "b"),
        (head, "head"),
    ]
    for user, role in candidates:
        if user is not None and user.is_active and user.pk not in unavailable:
            return Serving(post=post, user=user, role=role, reason=_reason(role))
    return Serving(post=post, user=None, role=None, reason=_("Nobody available: empty post"))


def _reason(role: ServingRole) -> str:
    return {
        "a": _("A staff at the post"),
        "cover": _("Cover designated by the window head while A is away"),
        "b": _("B staff covering: A is on leave or away"),
        "head": _("Window head covering: A and B are on leave or away"),
    }[role]


def who_serves_many(posts: Iterable[Post], at: datetime.datetime | None = None) -> list[Serving]:
    """`who_serves` for many posts in a fixed number of queries.

    Pass posts loaded with select_related("a_staff", "b_staff", "window__head") (see
    `posts_with_people`); the answer then costs three queries however many posts there are.
    """
    moment = at or timezone.now()
    post_list = list(posts)
    if not post_list:
        return []
    designated = _designated_covers(post_list, moment)
    people: set[int] = set()
    for post in post_list:
        people.update(
            pk for pk in (post.a_staff_id, post.b_staff_id, post.window.head_id) if pk is not None
        )
    people.update(user.pk for user in designated.values())
    unavailable = unavailable_user_ids(people, moment)
    return [_answer(post, designated.get(post.pk), unavailable) for post in post_list]


def who_serves(post: Post, at: datetime.datetime | None = None) -> Serving:
    """Who serves `post` at `at` (default now): exactly one person, or nobody."""
    return who_serves_many([post], at)[0]


def posts_with_people() -> QuerySet[Post]:
    """Posts with everything `who_serves_many` reads, loaded in the same query."""
    return Post.objects.select_related("a_staff", "b_staff", "window", "window__head")


def servings_of(user: User, at: datetime.datetime | None = None) -> list[Serving]:
    """What `user` serves at `at`, with the role and reason: as A, as designated cover, as B
    or as window head (the queue and case inboxes follow this)."""
    moment = at or timezone.now()
    delegated = Delegation.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=moment),
        cover_user=user,
        reason=DelegationReason.ABSENCE,
        starts_at__lte=moment,
    ).values("post_id")
    candidates = posts_with_people().filter(
        Q(a_staff=user) | Q(b_staff=user) | Q(window__head=user) | Q(pk__in=delegated),
        window__is_active=True,
    )
    return [
        serving
        for serving in who_serves_many(candidates, moment)
        if serving.user is not None and serving.user.pk == user.pk
    ]


def posts_served_by(user: User, at: datetime.datetime | None = None) -> list[Post]:
    """The posts `user` serves at `at`."""
    return [serving.post for serving in servings_of(user, at)]


# --- scoped reads for the workbench and the API ------------------------------------------------

VACANCY_READER_ROLES = frozenset({Role.SUPERVISOR})


def can_see_vacancies(user: object) -> bool:
    """Hall managers and supervisors follow the empty-post alerts."""
    scope = scope_of(user)
    return scope.can_manage or bool(scope.roles & VACANCY_READER_ROLES)


def delegations_in_scope(user: object) -> QuerySet[Delegation]:
    return Delegation.objects.filter(post__window__in=windows_in_scope(user)).select_related(
        "post", "post__window", "post__window__center", "absent_user", "cover_user"
    )


def access_delegation(user: object, delegation_id: object) -> Delegation:
    try:
        return delegations_in_scope(user).distinct().get(pk=int(str(delegation_id)))
    except (ValueError, Delegation.DoesNotExist):
        raise Http404 from None


def vacancies_in_scope(user: object) -> QuerySet[PostVacancy]:
    if not can_see_vacancies(user):
        return PostVacancy.objects.none()
    return PostVacancy.objects.filter(center__in=centers_in_scope(user)).select_related(
        "post", "post__window", "center"
    )


def absences_to_decide(user: object) -> QuerySet[Absence]:
    """Running absences the user may approve: as window head of the absent person's window,
    or as a hall manager of the center. Not their own."""
    scope = scope_of(user)
    user_pk = getattr(user, "pk", None) or 0
    qs = Absence.objects.filter(status=AbsenceStatus.AWAY, approved_by__isnull=True).exclude(
        user_id=user_pk
    )
    mine = Q(window__head_id=user_pk)
    if scope.can_manage:
        mine |= Q(center__in=centers_in_scope(user))
    return qs.filter(mine).select_related("user", "window", "center")


def access_absence_to_decide(user: object, absence_id: object) -> Absence:
    try:
        return absences_to_decide(user).get(pk=int(str(absence_id)))
    except (ValueError, Absence.DoesNotExist):
        raise Http404 from None


def signs_of_center(center_id: int) -> QuerySet[Absence]:
    """The where-and-until signs up in a center now (the display board and the duty board)."""
    return Absence.objects.filter(center_id=center_id, status=AbsenceStatus.AWAY).select_related(
        "user", "window", "approved_by", "cover"
    )
