"""Who serves a post at a given moment (AB岗, SPEC §8; seeds/001… AB岗工作制度).

One answer for the queue, the case inboxes, the duty board and the empty-post alerts:

1. the A staff, if available;
2. else the cover the window head designated when approving A's temporary absence
   (an open Delegation with reason "absence"), or the cover the approver named when granting
   the leave of the post's A, B or head (reason "named", issue 16 item 2);
3. else the B staff, if available (cover starts by itself once A's leave is approved or A is
   away: nobody has to switch anything);
4. else the window head / chief representative (Window.head), if available;
5. else nobody: the post is empty (空岗).

"Available" means: an active account, not on an approved Leave covering the moment, not
away on a temporary absence (去向牌) at that moment, and signed in when sign-in is due (below).
An absence counts from its start until the person is back (returned_at), not until the planned
"back by": an overdue clerk is still away.

A person who has not signed in does not serve (issue 16 item 3): during service hours of a
working day of the post's center, once the session's opening (morning or afternoon) plus
GOVHALL_SIGN_IN_GRACE_MINUTES has passed (whole minutes, like lateness), a person with no sign-in
(the morning's `signed_in_at` or the afternoon's `afternoon_signed_in_at`) on that day by the
moment, or signed out since (`morning_signed_out_at` at midday, `signed_out_at` for the day), is
away. A morning sign-in holds for the afternoon unless the person signed out at midday. Outside
service hours, on days off, within the grace period and for moments still to come (a leave
preview asks who *will* serve) sign-in is not consulted. One query for all people.

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

from django.conf import settings
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import WINDOW_ROLES, roles_of
from govhall.org.access.scope import centers_in_scope, scope_of, windows_in_scope
from govhall.org.models import Center, Post, Window
from govhall.staffing.access.cover import can_see_vacancies
from govhall.staffing.models import Absence, Attendance, Delegation, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveStatus
from govhall.staffing.models.presence import AbsenceStatus, DelegationReason
from govhall.workdays.queries.calendar import calendar_for

ServingRole = Literal["a", "cover", "b", "head", "authorizer"]


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
        return self.role in ("cover", "b", "head", "authorizer")


def unavailable_user_ids(user_ids: Iterable[int], at: datetime.datetime) -> set[int]:
    """Of `user_ids`, those on approved leave or away from the post at `at` (one query)."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    on_leave, away = _unavailable(Q(user_id__in=ids), at)
    return set(on_leave.union(away))


def _unavailable(
    who: Q, at: datetime.datetime
) -> tuple[QuerySet[Leave, int], QuerySet[Absence, int]]:
    """The user ids of the approved leaves and of the absences (`who` filters both) running at
    `at`: the one definition of "not available" before sign-in."""
    on_leave = (
        Leave.objects.filter(who, status=LeaveStatus.APPROVED, starts_at__lte=at, ends_at__gt=at)
        .order_by()
        .values_list("user_id", flat=True)
    )
    away = (
        Absence.objects.filter(
            who, Q(returned_at__isnull=True) | Q(returned_at__gt=at), starts_at__lte=at
        )
        .order_by()
        .values_list("user_id", flat=True)
    )
    return on_leave, away


# Delegations that name a cover ahead of B: the window head's for an approved absence, and the
# approver's when granting a leave that would leave the post empty (issue 16 item 2).
DESIGNATED_REASONS = (DelegationReason.ABSENCE, DelegationReason.NAMED)


def in_service_hours(center: Center, at: datetime.datetime) -> bool:
    """On a working day of the center, within the morning or afternoon opening hours."""
    return _session_opening(center, at) is not None


def _minute_of_day(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _session_opening(center: Center, at: datetime.datetime) -> datetime.time | None:
    """The opening of the session `at` falls in (None outside service hours or on a day off)."""
    local = timezone.localtime(at)
    clock = local.time()
    if center.morning_opens <= clock < center.morning_closes:
        opening = center.morning_opens
    elif center.afternoon_opens <= clock < center.afternoon_closes:
        opening = center.afternoon_opens
    else:
        return None
    if not calendar_for(center.pk).is_workday(local.date()):
        return None
    return opening


def sign_in_due(center: Center, at: datetime.datetime) -> bool:
    """Whether at `at` only people who have signed in serve at `center`'s posts: in a session
    past its opening plus the grace period (whole minutes), and not in the future (never with
    GOVHALL_COVER_NEEDS_SIGN_IN off)."""
    if not settings.GOVHALL_COVER_NEEDS_SIGN_IN or at > timezone.now():
        return False
    opening = _session_opening(center, at)
    if opening is None:
        return False
    since = _minute_of_day(timezone.localtime(at).time()) - _minute_of_day(opening)
    return since > settings.GOVHALL_SIGN_IN_GRACE_MINUTES


def not_signed_in_user_ids(user_ids: Iterable[int], at: datetime.datetime) -> set[int]:
    """Of `user_ids`, those not signed in at `at` (one query): on the local day of `at`, no
    sign-in (morning or afternoon) by `at`, or signed out (at midday or for the day) after the
    last sign-in and by `at`."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    rows = Attendance.objects.filter(
        Q(signed_in_at__lte=at) | Q(afternoon_signed_in_at__lte=at),
        user_id__in=ids,
        date=timezone.localdate(at),
    ).values_list(
        "user_id",
        "signed_in_at",
        "afternoon_signed_in_at",
        "morning_signed_out_at",
        "signed_out_at",
    )
    present: set[int] = set()
    for user_id, morning_in, afternoon_in, midday_out, day_out in rows:
        signed_in = max(t for t in (morning_in, afternoon_in) if t is not None and t <= at)
        outs = [t for t in (midday_out, day_out) if t is not None and t <= at]
        if not outs or max(outs) < signed_in:
            present.add(user_id)
    return ids - present


def _sign_in_due_centers(posts: list[Post], at: datetime.datetime) -> set[int]:
    """Ids of the posts' centers where sign-in decides presence at `at` (no query when the
    windows' centers are loaded, as `posts_with_people` does; else one)."""
    if not settings.GOVHALL_COVER_NEEDS_SIGN_IN or at > timezone.now():
        return set()
    centers: dict[int, Center] = {}
    missing: set[int] = set()
    for post in posts:
        window = post.window
        if Window._meta.get_field("center").is_cached(window):
            centers[window.center_id] = window.center
        else:
            missing.add(window.center_id)
    missing -= centers.keys()
    if missing:
        centers.update((c.pk, c) for c in Center.objects.filter(pk__in=missing))
    return {pk for pk, center in centers.items() if sign_in_due(center, at)}


def _designated_covers(posts: list[Post], at: datetime.datetime) -> dict[int, User]:
    """Covers named for an approved absence or leave, per post (one query)."""
    rows = (
        Delegation.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at),
            post__in=[post.pk for post in posts],
            reason__in=DESIGNATED_REASONS,
            starts_at__lte=at,
        )
        .select_related("cover_user")
        .order_by("starts_at", "id")
    )
    by_pk = {post.pk: post for post in posts}
    covers: dict[int, User] = {}
    for delegation in rows:
        # Only a delegation for the post's current A counts (the post may have changed hands);
        # a cover named for a leave also stands for the post's B or head going on leave.
        post = by_pk[delegation.post_id]
        holders = (
            {post.a_staff_id, post.b_staff_id, post.window.head_id}
            if delegation.reason == DelegationReason.NAMED
            else {post.a_staff_id}
        )
        if delegation.absent_user_id in holders - {None}:
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
    # 授权人顶岗 (seeds/001… AB岗 四3, issue 16 item 4): the last fallback, read only when needed.
    if post.window.authorizer_id is not None and post.window.authorizer_id not in unavailable:
        authorizer = post.window.authorizer
        if authorizer is not None and authorizer.is_active:
            return Serving(
                post=post, user=authorizer, role="authorizer", reason=_reason("authorizer")
            )
    return Serving(post=post, user=None, role=None, reason=_("Nobody available: empty post"))


def _reason(role: ServingRole) -> str:
    return {
        "a": _("A staff at the post"),
        "cover": _("Cover designated by the window head while A is away"),
        "b": _("B staff covering: A is on leave or away"),
        "head": _("Window head covering: A and B are on leave or away"),
        "authorizer": _("Authorizer covering: A, B and the window head are all away"),
    }[role]


def who_serves_many(posts: Iterable[Post], at: datetime.datetime | None = None) -> list[Serving]:
    """`who_serves` for many posts in a fixed number of queries.

    Pass posts loaded with select_related("a_staff", "b_staff", "window__center",
    "window__head") (see `posts_with_people`); the answer then costs three queries however many
    posts there are, and one more (the sign-ins) during service hours past the grace period.
    """
    moment = at or timezone.now()
    post_list = list(posts)
    if not post_list:
        return []
    designated = _designated_covers(post_list, moment)
    people: set[int] = set()
    for post in post_list:
        people.update(
            pk
            for pk in (
                post.a_staff_id,
                post.b_staff_id,
                post.window.head_id,
                post.window.authorizer_id,
            )
            if pk is not None
        )
    people.update(user.pk for user in designated.values())
    unavailable = unavailable_user_ids(people, moment)
    due = _sign_in_due_centers(post_list, moment)
    if not due:
        return [_answer(post, designated.get(post.pk), unavailable) for post in post_list]
    judged: set[int] = set()
    for post in post_list:
        if post.window.center_id in due:
            judged.update(
                pk
                for pk in (
                    post.a_staff_id,
                    post.b_staff_id,
                    post.window.head_id,
                    post.window.authorizer_id,
                )
                if pk is not None
            )
            if post.pk in designated:
                judged.add(designated[post.pk].pk)
    absent = unavailable | not_signed_in_user_ids(judged, moment)
    return [
        _answer(
            post,
            designated.get(post.pk),
            absent if post.window.center_id in due else unavailable,
        )
        for post in post_list
    ]


def serving_of(post: Post, designated: User | None, unavailable: set[int]) -> Serving:
    """Who serves `post` given its designated cover and the people not available: the order of
    `who_serves_many`, for callers that plan ahead (the leave cover plan,
    `govhall.staffing.queries.leave_cover`)."""
    return _answer(post, designated, unavailable)


def who_serves(post: Post, at: datetime.datetime | None = None) -> Serving:
    """Who serves `post` at `at` (default now): exactly one person, or nobody."""
    return who_serves_many([post], at)[0]


def posts_with_people() -> QuerySet[Post]:
    """Posts with everything `who_serves_many` reads, loaded in the same query."""
    return Post.objects.select_related(
        "a_staff", "b_staff", "window", "window__center", "window__head", "window__authorizer"
    )


def servings_of(user: User, at: datetime.datetime | None = None) -> list[Serving]:
    """What `user` serves at `at`, with the role and reason: as A, as designated cover, as B
    or as window head (the queue and case inboxes follow this)."""
    moment = at or timezone.now()
    delegated = Delegation.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=moment),
        cover_user=user,
        reason__in=DESIGNATED_REASONS,
        starts_at__lte=moment,
    ).values("post_id")
    candidates = posts_with_people().filter(
        Q(a_staff=user)
        | Q(b_staff=user)
        | Q(window__head=user)
        | Q(window__authorizer=user)
        | Q(pk__in=delegated),
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
    # Inside a remembering scope (an intake, a page) the whole answer is kept and asked again
    # (the case engine's standing): compute it once rather than the shortcut and then it.
    if _cover_memo.get() is None and _a_at_post(user, window, at):
        return True
    return window.pk in served_window_ids(user, at)


def _a_at_post(user: User, window: Window, at: datetime.datetime | None) -> bool:
    """The common case of `serves_window`, answered in fewer queries (issue 20 item 4: calling
    next): `user` is the A staff of a post of the active `window` and available at `at` (then
    A serves that post, whoever else is named). False says nothing: ask the whole rule."""
    if not user.is_active:
        return False
    moment = at or timezone.now()
    on_leave, away = _unavailable(Q(user_id=user.pk), moment)
    post = (
        Post.objects.filter(window_id=window.pk, a_staff_id=user.pk, window__is_active=True)
        .filter(~Exists(on_leave), ~Exists(away))  # one query: the post and A's availability
        .select_related("window__center")
        .order_by()
        .first()
    )
    if post is None:
        return False
    center = post.window.center
    return not (sign_in_due(center, moment) and not_signed_in_user_ids([user.pk], moment))


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
