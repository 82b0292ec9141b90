"""Reading leave (SPEC §8): my requests, what a user may decide, who is away, the team calendar.

Who decides: a leave shorter than 2 working days goes to the head of a window where the requester
holds a post (A or B), or to a hall manager; 2 working days or more is endorsed by that window
head and then decided by a hall manager of the requester's center subtree (a manager may also
decide without the endorsement). Nobody decides their own leave.

Who sees a leave's details (kind, reason, notes, the person's leave history; issue 12 item 6):
the person, and those who manage them — the head of a window where the person holds a post and
a hall manager (director, administrator) of the leave's center subtree, the approvers above.
Anyone else who sees the team calendar (a colleague, a clerk of the same department, the guide,
a supervisor) sees only that the person is on approved leave, and when: no kind, no pending
requests. `leave_details_filter` is the one home of that rule.
"""

from __future__ import annotations

import calendar as month_layout
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from govhall.core.models import Event
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Post, Staff
from govhall.staffing.leave_transitions import LeaveParty
from govhall.staffing.models.leave import Leave, LeaveStatus

OPEN_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)


def _user_pk(user: object) -> int:
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else 0


def _post_holders_under_head(user: object) -> QuerySet[Post]:
    return Post.objects.filter(window__head_id=_user_pk(user))


def decidable_filter(user: object) -> Q:
    """A filter on Leave for the requests `user` may decide (any status; the caller narrows)."""
    pk = _user_pk(user)
    if not pk:
        return Q(pk__in=[])
    scope = scope_of(user)
    headed_posts = _post_holders_under_head(user)
    # A head acts once: on a short leave by deciding it, on a long one by endorsing it.
    as_head = Q(head_approved_by__isnull=True) & (
        Q(user_id__in=headed_posts.exclude(a_staff=None).values("a_staff_id"))
        | Q(user_id__in=headed_posts.exclude(b_staff=None).values("b_staff_id"))
    )
    condition = as_head
    if scope.can_manage:
        condition |= Q(center__in=centers_in_scope(user))
    return condition & ~Q(user_id=pk)


def leave_details_filter(user: object) -> Q:
    """A filter on Leave for the leaves whose details `user` may see (see the module text)."""
    pk = _user_pk(user)
    if not pk:
        return Q(pk__in=[])
    scope = scope_of(user)
    if scope.everything:
        return Q()
    headed_posts = _post_holders_under_head(user)
    condition = (
        Q(user_id=pk)
        | Q(user_id__in=headed_posts.exclude(a_staff=None).values("a_staff_id"))
        | Q(user_id__in=headed_posts.exclude(b_staff=None).values("b_staff_id"))
    )
    if scope.can_manage:
        condition |= Q(center__in=centers_in_scope(user))
    return condition


def may_see_leave_details(user: object, leave: Leave) -> bool:
    return Leave.objects.filter(leave_details_filter(user), pk=leave.pk).exists()


def redact_leave_events(user: object, events: Iterable[Event]) -> None:
    """Blank, in place, the note and object text (kind, decision notes) of the leave events in
    `events` whose leave `user` may not see the details of (the event log of a supervisor)."""
    label = Leave._meta.label_lower
    leave_events = [event for event in events if event.object_type == label]
    if not leave_events:
        return
    ids = {int(event.object_id) for event in leave_events if event.object_id.isdigit()}
    visible = {
        str(pk)
        for pk in Leave.objects.filter(leave_details_filter(user), pk__in=ids).values_list(
            "pk", flat=True
        )
    }
    for event in leave_events:
        if event.object_id not in visible:
            event.note = ""
            event.object_repr = f"{Leave._meta.verbose_name} #{event.object_id}"
            event.data = {}


def may_decide(user: object, leave: Leave) -> bool:
    return Leave.objects.filter(decidable_filter(user), pk=leave.pk).exists()


class LeaveViewer:
    """What `user` is to leaves — the parties of the leave transition table
    (`govhall.staffing.leave_transitions`): the requester, the head of a window where the
    requester holds a post, a hall manager of the leave's center subtree. Nobody is head or
    manager of their own leave. The posts headed and the centers managed are read once per
    viewer, so a list of leaves asks twice, not once per row."""

    def __init__(self, user: object) -> None:
        self.user = user
        self.pk = _user_pk(user)
        self._headed: set[int] | None = None
        self._managed: set[int] | None = None

    def _headed_user_ids(self) -> set[int]:
        if self._headed is None:
            headed: set[int] = set()
            for a_id, b_id in _post_holders_under_head(self.user).values_list(
                "a_staff_id", "b_staff_id"
            ):
                headed.update(pk for pk in (a_id, b_id) if pk is not None)
            self._headed = headed
        return self._headed

    def _managed_center_ids(self) -> set[int]:
        if self._managed is None:
            self._managed = (
                set(centers_in_scope(self.user).values_list("pk", flat=True))
                if scope_of(self.user).can_manage
                else set()
            )
        return self._managed

    def parties(self, leave: Leave) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        if leave.user_id == self.pk:
            return frozenset({LeaveParty.REQUESTER.value})
        parties: set[str] = set()
        if leave.user_id in self._headed_user_ids():
            parties.add(LeaveParty.HEAD.value)
        if leave.center_id in self._managed_center_ids():
            parties.add(LeaveParty.MANAGER.value)
        return frozenset(parties)


def my_leaves(user: object) -> QuerySet[Leave]:
    return Leave.objects.filter(user_id=_user_pk(user)).select_related("decided_by")


def leaves_to_decide(user: object) -> QuerySet[Leave]:
    """Pending requests `user` may approve or reject, oldest first."""
    return (
        Leave.objects.filter(decidable_filter(user), status=LeaveStatus.PENDING)
        .select_related("user", "center")
        .order_by("starts_at", "id")
    )


def users_on_leave(user_ids: Iterable[int], at: datetime.datetime) -> set[int]:
    """Of `user_ids`, those on approved leave at the moment `at` (one query)."""
    return set(
        Leave.objects.approved()
        .covering(at)
        .filter(user_id__in=list(user_ids))
        .values_list("user_id", flat=True)
    )


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)
    return start, start + datetime.timedelta(days=1)


def users_on_leave_on_day(user_ids: Iterable[int], day: datetime.date) -> set[int]:
    """Of `user_ids`, those on approved leave for any part of the local day `day`."""
    start, end = _day_bounds(day)
    return set(
        Leave.objects.approved()
        .filter(user_id__in=list(user_ids), starts_at__lt=end, ends_at__gt=start)
        .values_list("user_id", flat=True)
    )


# --- team calendar -----------------------------------------------------------------------------


@dataclass
class CalendarRow:
    staff: Staff
    # day of month -> the leave marking that day (approved wins over pending)
    days: dict[int, Leave] = field(default_factory=dict)
    # ids of this row's leaves whose details (kind) the viewer may see; the others are approved
    # leave shown only as "on leave"
    detailed: set[int] = field(default_factory=set)

    def shows_details(self, leave: Leave) -> bool:
        return leave.pk in self.detailed


@dataclass
class TeamCalendar:
    center: Center
    department_id: int | None
    first: datetime.date
    last: datetime.date
    rows: list[CalendarRow]

    @property
    def days(self) -> list[datetime.date]:
        return [
            self.first + datetime.timedelta(days=i)
            for i in range((self.last - self.first).days + 1)
        ]


def team_staff(center: Center, department_id: int | None) -> QuerySet[Staff]:
    qs = Staff.objects.filter(center=center).select_related("user", "department")
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("department__code", "user__username")


def team_calendar(
    center: Center,
    department_id: int | None,
    year: int,
    month: int,
    staff: Iterable[Staff],
    *,
    viewer: object,
) -> TeamCalendar:
    """Leave of `staff` day by day in one month (two leave queries), as `viewer` may see it:
    pending and approved leave with its kind for the people the viewer manages (and themself),
    only approved leave without its kind for everyone else."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, month_layout.monthrange(year, month)[1])
    rows = [CalendarRow(staff=member) for member in staff]
    by_user = {row.staff.user_id: row for row in rows}
    start, _ = _day_bounds(first)
    _, end = _day_bounds(last)
    in_month = Leave.objects.filter(
        user_id__in=list(by_user),
        status__in=OPEN_STATUSES,
        starts_at__lt=end,
        ends_at__gt=start,
    )
    detailed = set(in_month.filter(leave_details_filter(viewer)).values_list("pk", flat=True))
    leaves = in_month.filter(Q(pk__in=detailed) | Q(status=LeaveStatus.APPROVED))
    for leave in leaves.order_by("starts_at"):
        row = by_user[leave.user_id]
        if leave.pk in detailed:
            row.detailed.add(leave.pk)
        first_day = max(timezone.localtime(leave.starts_at).date(), first)
        last_day = min(last_local_day(leave), last)
        day = first_day
        while day <= last_day:
            current = row.days.get(day.day)
            if current is None or current.status != LeaveStatus.APPROVED:
                row.days[day.day] = leave
            day += datetime.timedelta(days=1)
    return TeamCalendar(
        center=center, department_id=department_id, first=first, last=last, rows=rows
    )


def last_local_day(leave: Leave) -> datetime.date:
    """The last local day a leave touches (a leave ending at midnight ends the day before)."""
    return timezone.localtime(leave.ends_at - datetime.timedelta(microseconds=1)).date()
