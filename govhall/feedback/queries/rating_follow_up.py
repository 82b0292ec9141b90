"""Reading bad ratings (差评) under follow-up: who stands how to one (`BadRatingViewer`, the
parties of `rating_transitions.py`), the inbox (overdue first), "overdue" itself (the one
definition the inbox and the overdue scan share) and the month's targets.

Overdue (deadlines were fixed by `rating_give`: the closing time of the N-th working day):

- call-back overdue: no call-back recorded (OPEN, or APPEALED from OPEN) and `call_back_due_at`
  has passed;
- rectification overdue: not rectified while it may still be needed (OPEN, VERIFIED, APPEALED;
  not found "not justified") and `rectify_due_at` has passed.

An appeal does not stop the clock: until management excludes the rating, the department still
owes the citizen the call-back and the rectification.

Targets of a month (ratings given in that month, local time; excluded ratings never count):

- 实名差评回访率 (real-name call-back rate) = real-name bad ratings called back by their
  call-back deadline ÷ real-name bad ratings. A real-name rating is one with a phone number (the
  citizen gave it, or it came from the case), so it can be called back. Target 100%.
- 整改率 (rectification rate) = bad ratings rectified ÷ bad ratings the verification found
  justified. Target 100%.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.core.models import Event
from govhall.core.roles import RATING_FOLLOW_UP_ROLES, roles_of
from govhall.feedback.access.ratings import can_read_ratings, occasion_scope_filter
from govhall.feedback.models.ratings import FollowUpStatus, Rating, RatingQuerySet
from govhall.feedback.rating_transitions import RatingParty
from govhall.org.access.scope import centers_in_scope
from govhall.org.access.standing import manages_center
from govhall.org.models import Staff
from govhall.workdays.queries.calendar import day_start

S = FollowUpStatus
TARGET_PERCENT = 100

# The states in which each step is still owed (see the module text).
CALL_BACK_OWED = (S.OPEN, S.APPEALED)
RECTIFY_OWED = (S.OPEN, S.VERIFIED, S.APPEALED)


def call_back_overdue(now: datetime.datetime) -> Q:
    """Bad ratings whose call-back is overdue at `now`."""
    return Q(
        follow_up__in=CALL_BACK_OWED,
        called_back_at__isnull=True,
        call_back_due_at__lt=now,
        excluded=False,
    )


def rectify_overdue(now: datetime.datetime) -> Q:
    """Bad ratings whose rectification is overdue at `now`."""
    return Q(
        follow_up__in=RECTIFY_OWED,
        rectified_at__isnull=True,
        rectify_due_at__lt=now,
        excluded=False,
    ) & ~Q(justified=False)


def overdue(now: datetime.datetime) -> Q:
    return call_back_overdue(now) | rectify_overdue(now)


# --- who stands how to a bad rating -------------------------------------------------------------


class BadRatingViewer:
    """How one user stands to bad ratings: which they see (the rating office's scope of
    `access/ratings.py`, and the ratings of windows they head) and their parties of
    `rating_transitions` on one. Cached per user."""

    def __init__(self, user: object) -> None:
        self.user = user
        pk = getattr(user, "pk", None)
        self.pk = pk if isinstance(pk, int) else None
        self.active = self.pk is not None and can_read_ratings(user)
        self.follows_up = self.active and bool(roles_of(user) & RATING_FOLLOW_UP_ROLES)
        self._centers: set[int] | None = None
        self._department: int | bool | None = False  # False: not read yet

    def centers(self) -> set[int]:
        if self._centers is None:
            self._centers = set(centers_in_scope(self.user).values_list("pk", flat=True))
        return self._centers

    def own_department(self) -> int | None:
        if self._department is False:
            self._department = self.pk and (
                Staff.objects.filter(user_id=self.pk)
                .values_list("department_id", flat=True)
                .first()
            )
        return self._department if isinstance(self._department, int) else None

    def visible(self) -> Q:
        """The bad ratings (with a follow-up) the user sees."""
        if not self.active:
            return Q(pk__in=[])
        seen = occasion_scope_filter(self.user) | Q(
            window__head_id=self.pk, center__in=centers_in_scope(self.user)
        )
        return seen & ~Q(follow_up=S.NONE)

    def is_rated(self, rating: Rating) -> bool:
        return self.pk is not None and rating.staff_id == self.pk

    def is_department(self, rating: Rating) -> bool:
        """Follows the rating up for its department (never the person rated)."""
        if not self.active or self.is_rated(rating):
            return False
        window = rating.window if rating.window_id is not None else None
        if window is not None and window.head_id == self.pk:
            return True
        department = responsible_department_id(rating)
        if department is None:
            return manages_center(self.user, rating.center_id)
        return (
            self.follows_up
            and self.own_department() == department
            and rating.center_id in self.centers()
        )

    def is_management(self, rating: Rating) -> bool:
        """Decides appeals: a hall manager of the rating's center (never the person rated)."""
        return (
            self.active
            and not self.is_rated(rating)
            and manages_center(self.user, rating.center_id)
        )

    def parties(self, rating: Rating) -> frozenset[str]:
        found: set[str] = set()
        if self.is_department(rating):
            found.add(RatingParty.DEPARTMENT.value)
        if self.is_management(rating):
            found.add(RatingParty.MANAGEMENT.value)
        return frozenset(found)

    def sees_rater(self, rating: Rating) -> bool:
        """May see the rater's name and phone in full (to call back or decide): a party."""
        return bool(self.parties(rating))


def responsible_department_id(rating: Rating) -> int | None:
    """The department answering for the rating: its own, else the rated staff member's."""
    if rating.department_id is not None:
        return rating.department_id
    if rating.staff_id is None:
        return None
    return (
        Staff.objects.filter(user_id=rating.staff_id)
        .values_list("department_id", flat=True)
        .first()
    )


# --- the inbox -----------------------------------------------------------------------------------


class InboxFilter:
    OPEN = "open"  # still in follow-up: open, verified, rectified, appealed
    ALL = "all"
    OVERDUE = "overdue"

    choices = [
        (OPEN, _("In follow-up")),
        (OVERDUE, _("Overdue")),
        (ALL, _("All, closed and excluded too")),
    ]


IN_FOLLOW_UP = (S.OPEN, S.VERIFIED, S.RECTIFIED, S.APPEALED)


def bad_rating_inbox(
    user: object,
    *,
    show: str = InboxFilter.OPEN,
    status: str | None = None,
    now: datetime.datetime | None = None,
    viewer: BadRatingViewer | None = None,
) -> RatingQuerySet:
    """The bad ratings `user` sees: overdue ones first, then by the next deadline, then newest;
    each annotated `is_overdue` (1/0) and `next_due`."""
    moment = now or timezone.now()
    viewer = viewer or BadRatingViewer(user)
    qs = Rating.objects.filter(viewer.visible())
    if show == InboxFilter.OPEN:
        qs = qs.filter(follow_up__in=IN_FOLLOW_UP)
    elif show == InboxFilter.OVERDUE:
        qs = qs.filter(overdue(moment))
    if status:
        qs = qs.filter(follow_up=status)
    return (
        qs.annotate(
            is_overdue=Case(
                When(overdue(moment), then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            next_due=Case(
                When(
                    follow_up__in=CALL_BACK_OWED,
                    called_back_at__isnull=True,
                    then="call_back_due_at",
                ),
                When(follow_up__in=RECTIFY_OWED, then="rectify_due_at"),
                default=None,
            ),
        )
        .select_related("center", "department", "window", "staff", "item", "case")
        .order_by("-is_overdue", Coalesce("next_due", "rated_at").asc(), "-rated_at", "-id")
    )


def rating_timeline(rating: Rating) -> QuerySet[Event]:
    """The events of one rating, oldest first (given, called back, rectified, told, appealed…)."""
    return (
        Event.objects.filter(object_type=Rating._meta.label_lower, object_id=str(rating.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


# --- the month's targets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    done: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        """done ÷ total in percent (one decimal), None when there is nothing to count."""
        if not self.total:
            return None
        value = Decimal(self.done * 100) / Decimal(self.total)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool | None:
        return None if not self.total else self.done >= self.total


@dataclass(frozen=True)
class FollowUpTargets:
    month: datetime.date  # its first day
    call_back: Rate  # 实名差评回访率
    rectification: Rate  # 整改率
    target: int = TARGET_PERCENT


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    first = month.replace(day=1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    return day_start(first), day_start(after)


def follow_up_targets(
    user: object,
    month: datetime.date,
    *,
    center_id: int | None = None,
    viewer: BadRatingViewer | None = None,
) -> FollowUpTargets:
    """The month's 实名差评回访率 and 整改率 over the bad ratings `user` sees (of `center_id`
    when given), in one aggregate query (definitions in the module text)."""
    viewer = viewer or BadRatingViewer(user)
    start, end = month_bounds(month)
    qs = Rating.objects.filter(
        viewer.visible(), rated_at__gte=start, rated_at__lt=end, excluded=False
    ).bad()
    if center_id is not None:
        qs = qs.filter(center_id=center_id)
    real_name = ~Q(rater_phone="")
    figures = qs.aggregate(
        n_real_name=Count("pk", filter=real_name),
        n_called_back_in_time=Count(
            "pk",
            filter=real_name
            & Q(
                called_back_at__isnull=False,
                called_back_at__lte=Coalesce("call_back_due_at", "called_back_at"),
            ),
        ),
        n_justified=Count("pk", filter=Q(justified=True)),
        n_rectified=Count("pk", filter=Q(justified=True, rectified_at__isnull=False)),
    )
    return FollowUpTargets(
        month=month.replace(day=1),
        call_back=Rate(figures["n_called_back_in_time"], figures["n_real_name"]),
        rectification=Rate(figures["n_rectified"], figures["n_justified"]),
    )
