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

"Who serves this window now" is answered here and nowhere else: `servings_of` / `posts_served_by`
(the posts, with role and reason), `served_window_ids` (their windows), `headed_window_ids`,
`serves_window(user, window, at)` (may act at the window: a window role and serving or heading
it; a superuser anywhere) and `window_ids_at_hand` (served or headed: the console, the inboxes,
the intake picker). One cache, `remembering_cover`, keeps those answers for one service call or
one page read; see its docstring.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import WINDOW_ROLES, roles_of
from govhall.org.access.scope import centers_in_scope, scope_of, windows_in_scope
from govhall.org.models import Post, Window
from govhall.staffing.access.cover import can_see_vacancies
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


# --- which windows a person serves: one cache --------------------------------------------------

# The one cache of cover answers. A page or a service asks the same question many times (the
# calling console once per button it draws; an intake at receipt, acceptance and decision), so
# inside a `remembering_cover()` scope each answer is computed once per (user, moment) — `at`
# exactly as passed, None meaning "now" for the whole scope. Outside any scope nothing is kept:
# every call reads the database, so a change of leave or absence is always seen next time.
_CoverKey = tuple[str, int, datetime.datetime | None]
_cover_memo: ContextVar[dict[_CoverKey, frozenset[int]] | None] = ContextVar(
    "govhall_cover_memo", default=None
)


@contextlib.contextmanager
def remembering_cover() -> Iterator[None]:
    """Remember cover answers until the block (or the decorated call) ends.

    Use it around one service call or one page read, never longer (the answers would go stale
    after a leave or absence changes). Nested scopes share the outermost one's memory."""
    if _cover_memo.get() is not None:
        yield
        return
    token = _cover_memo.set({})
    try:
        yield
    finally:
        _cover_memo.reset(token)


def _remembered(key: _CoverKey) -> frozenset[int] | None:
    memo = _cover_memo.get()
    return None if memo is None else memo.get(key)


def _remember(key: _CoverKey, ids: frozenset[int]) -> frozenset[int]:
    memo = _cover_memo.get()
    if memo is not None:
        memo[key] = ids
    return ids


def served_window_ids(user: User, at: datetime.datetime | None = None) -> frozenset[int]:
    """Ids of the windows whose posts `user` serves at `at` (A/B cover honoured)."""
    key: _CoverKey = ("served", user.pk, at)
    known = _remembered(key)
    if known is not None:
        return known
    return _remember(key, frozenset(post.window_id for post in posts_served_by(user, at)))


def headed_window_ids(user: User) -> frozenset[int]:
    """Ids of the active windows `user` heads (a head serves their window, whoever is at it)."""
    key: _CoverKey = ("headed", user.pk, None)
    known = _remembered(key)
    if known is not None:
        return known
    ids = Window.objects.filter(head_id=user.pk, is_active=True).values_list("pk", flat=True)
    return _remember(key, frozenset(ids))


def window_ids_at_hand(user: User, at: datetime.datetime | None = None) -> list[int]:
    """Ids of the windows `user` serves at `at` or heads, sorted: the calling console, the
    window inbox and the intake picker (callers admit window roles and superusers only)."""
    return sorted(served_window_ids(user, at) | headed_window_ids(user))


def serves_window(user: User | None, window: Window, at: datetime.datetime | None) -> bool:
    """Whether `user` may act at `window` at `at`: a superuser anywhere; else a holder of a
    window role who heads the window or serves one of its posts then (A/B cover honoured)."""
    if user is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    if not roles_of(user) & WINDOW_ROLES:
        return False
    if window.head_id == user.pk:
        return True
    return window.pk in served_window_ids(user, at)


# --- scoped reads for the workbench and the API ------------------------------------------------


def delegations_in_scope(user: object) -> QuerySet[Delegation]:
    return Delegation.objects.filter(post__window__in=windows_in_scope(user)).select_related(
        "post", "post__window", "post__window__center", "absent_user", "cover_user"
    )


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


def signs_of_center(center_id: int) -> QuerySet[Absence]:
    """The where-and-until signs up in a center now (the display board and the duty board)."""
    return Absence.objects.filter(center_id=center_id, status=AbsenceStatus.AWAY).select_related(
        "user", "window", "approved_by", "cover"
    )
