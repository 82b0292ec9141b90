"""Reads of the queue (排队叫号, SPEC §7; seeds/000… 篇3 排队叫号): the calling console of a clerk,
today's line of a center, the actions a user may take on a ticket, and the waiting and service
times per group, window and hour of day (issue #4 point 6).

The actions come from the transition table through `ticket_refusal`, so a button is drawn
exactly when the service would accept it. Figures are SQL aggregates, one query per table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Max, Prefetch, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from govhall.catalog.queries.acceptance import (
    accepted_at_window,
    item_window_pairs,
    windows_accepting,
)
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketStatus
from govhall.frontdesk.models.queue import ACTIVE_TICKET_STATUSES, TicketQuerySet
from govhall.frontdesk.services.tickets import not_accepted, ticket_refusal
from govhall.frontdesk.ticket_transitions import TICKET_TRANSITIONS, TicketAction
from govhall.org.models import Center, Window
from govhall.staffing.queries.cover import remembering_cover, window_ids_at_hand

# How many of the next tickets in line the console shows per window.
NEXT_UP = 5
# Actions shown as a "danger" button (they end the visit or drop the ticket).
DANGEROUS = frozenset({TicketAction.NO_SHOW, TicketAction.CANCEL})
# Actions on a waiting ticket offered on today's line.
LINE_ACTIONS = frozenset(
    {TicketAction.CANCEL, TicketAction.TRANSFER, TicketAction.CONFIRM_PRIORITY}
)


# --- the actions of a ticket ----------------------------------------------------------------


def allowed_actions(
    user: User, ticket: Ticket, at: datetime.datetime | None = None
) -> list[Transition]:
    """The rows of the transition table `user` may take on `ticket` now (what the service
    allows, asked through `ticket_refusal`)."""
    moment = at or timezone.now()
    return [
        row
        for row in TICKET_TRANSITIONS.rows_from(ticket.status)
        if ticket_refusal(user, ticket, row.action, moment) is None
    ]


def waiting_actions(user: User, center: Center, at: datetime.datetime | None = None) -> set[str]:
    """What `user` may do with any waiting ticket of `center` that no window holds: for such a
    ticket the answer depends only on the user and the center, so a list asks once, not once
    per row. The probe asked for priority, so confirming it is answered too (for the tickets
    that did ask)."""
    probe = Ticket(center=center, status=TicketStatus.WAITING, number="", priority_requested=True)
    return {row.action for row in allowed_actions(user, probe, at) if row.action in LINE_ACTIONS}


# --- the line a window calls from -------------------------------------------------------------


def window_line(window: Window, group_ids: Iterable[int], day: datetime.date) -> TicketQuerySet:
    """The waiting tickets `window` calls, in calling order (the line `ticket_call_next` takes
    from)."""
    return Ticket.objects.of_day(window.center_id, day).line_of_window(window.pk, group_ids)


def waiting_at_windows(window_ids: Iterable[int], day: datetime.date) -> int:
    """How many tickets of `day` wait for any of these windows: those of the active groups
    they call (not sent to a named window) and those transferred to one of them by name (the
    lines of `window_line`, each ticket counted once). One query (the home page)."""
    ids = list(window_ids)
    if not ids:
        return 0
    groups = ServiceGroup.objects.filter(windows__in=ids, is_active=True).values("pk")
    return (
        Ticket.objects.filter(service_date=day, status=TicketStatus.WAITING)
        .filter(Q(target_window_id__in=ids) | Q(target_window__isnull=True, group_id__in=groups))
        .count()
    )


def waiting_not_accepted(window: Window, day: datetime.date) -> int:
    """How many tickets of `day` wait in the groups `window` calls for an item it does not
    accept (others' windows take them): why call-next may find nobody. One query."""
    groups = window.service_groups.filter(is_active=True).values("pk")
    return (
        Ticket.objects.of_day(window.center_id, day)
        .waiting()
        .filter(target_window__isnull=True, group_id__in=groups)
        .exclude(accepted_at_window(window.pk))
        .count()
    )


# --- the calling console ----------------------------------------------------------------------


@dataclass
class GroupWaiting:
    group: ServiceGroup
    waiting: int


@dataclass
class ConsoleWindow:
    """One window the user serves now, as the console draws it."""

    window: Window
    ticket: Ticket | None
    actions: list[Transition]
    groups: list[GroupWaiting]
    named: int  # waiting tickets transferred to this window by name
    next_up: list[Ticket]
    recall_max: int
    can_open_case: bool = False
    # The window's latest 过号 still within GOVHALL_NO_SHOW_UNDO_MINUTES, with what may be
    # done with it (undo, put back in line: issue 17 item 4).
    missed: Ticket | None = None
    missed_actions: list[Transition] = field(default_factory=list)
    # Why this window cannot take the matter of the ticket at hand, and the windows that can
    # (offered as transfers; issue 17 item 1). None when it can.
    not_accepted: str | None = None
    accepting: list[Window] = field(default_factory=list)

    @property
    def waiting_total(self) -> int:
        return self.named + sum(row.waiting for row in self.groups)

    @property
    def recalls_left(self) -> int:
        return max(0, self.recall_max - (self.ticket.recall_count if self.ticket else 0))


# The console asks who serves each window once for the list and again for every button it
# draws (`ticket_refusal`): one cover scope for the whole read.
@remembering_cover()
def console_state(user: User, at: datetime.datetime | None = None) -> list[ConsoleWindow]:
    """The calling console of `user`: every window they serve now, with its ticket at hand and
    what may be done with it, the waiting count per group it calls and the next few in line."""
    moment = at or timezone.now()
    day = timezone.localdate(moment)
    ids = window_ids_at_hand(user, moment)
    if not ids:
        return []
    active_groups = ServiceGroup.objects.filter(is_active=True).order_by("position", "letter")
    windows = list(
        Window.objects.filter(pk__in=ids, is_active=True)
        .select_related("center")
        .prefetch_related(Prefetch("service_groups", queryset=active_groups, to_attr="groups"))
        .order_by("center__path", "number")
    )
    at_hand = {
        ticket.window_id: ticket
        for ticket in Ticket.objects.filter(
            window__in=windows, status__in=ACTIVE_TICKET_STATUSES
        ).select_related("group", "center", "window", "target_window", "case")
    }
    group_ids = {group.pk for window in windows for group in window.groups}
    per_group = dict(
        Ticket.objects.filter(
            group_id__in=group_ids,
            service_date=day,
            status=TicketStatus.WAITING,
            target_window__isnull=True,
        )
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    per_window = dict(
        Ticket.objects.filter(
            target_window__in=windows, service_date=day, status=TicketStatus.WAITING
        )
        .values("target_window_id")
        .annotate(n=Count("pk"))
        .values_list("target_window_id", "n")
    )
    missed = recent_no_shows(windows, moment)
    refusals = _matters_not_accepted(list(at_hand.values()))
    answer = []
    for window in windows:
        groups = window.groups
        ticket = at_hand.get(window.pk)
        answer.append(
            ConsoleWindow(
                window=window,
                ticket=ticket,
                actions=allowed_actions(user, ticket, moment) if ticket else [],
                groups=[GroupWaiting(group, per_group.get(group.pk, 0)) for group in groups],
                named=per_window.get(window.pk, 0),
                next_up=list(
                    window_line(window, [g.pk for g in groups], day).select_related(
                        "group", "target_window"
                    )[:NEXT_UP]
                ),
                recall_max=settings.GOVHALL_QUEUE_RECALL_MAX,
                can_open_case=ticket is not None and ticket.case_id is None,
                missed=missed.get(window.pk),
                not_accepted=refusals.get(window.pk, (None, []))[0],
                accepting=refusals.get(window.pk, (None, []))[1],
                missed_actions=(
                    allowed_actions(user, missed[window.pk], moment) if window.pk in missed else []
                ),
            )
        )
    return answer


def _matters_not_accepted(tickets: list[Ticket]) -> dict[int, tuple[str, list[Window]]]:
    """Per window, when the ticket at hand names an item the window does not accept: why, and
    the windows that do. One query when a ticket names an item, more only for a mismatch
    (which call-next never makes: a hand transfer or a catalog change since the call)."""
    with_item = [ticket for ticket in tickets if ticket.item_id and ticket.window_id]
    if not with_item:
        return {}
    pairs = item_window_pairs({ticket.item_id for ticket in with_item if ticket.item_id})
    answer: dict[int, tuple[str, list[Window]]] = {}
    for ticket in with_item:
        assert ticket.item_id is not None and ticket.window is not None
        if (ticket.item_id, ticket.window_id) in pairs:
            continue
        answer[ticket.window.pk] = (
            not_accepted(ticket, ticket.window) or "",
            list(windows_accepting(ticket.item_id, ticket.center_id)),
        )
    return answer


def recent_no_shows(windows: Iterable[Window], at: datetime.datetime) -> dict[int, Ticket]:
    """Per window, its latest ticket marked as a no-show within GOVHALL_NO_SHOW_UNDO_MINUTES
    (one query): what the console offers to undo or put back in line."""
    since = at - datetime.timedelta(minutes=settings.GOVHALL_NO_SHOW_UNDO_MINUTES)
    answer: dict[int, Ticket] = {}
    for ticket in (
        Ticket.objects.filter(window__in=list(windows), status=TicketStatus.NO_SHOW)
        .filter(no_show_at__gte=since, no_show_at__lte=at)
        .select_related("group", "center", "window")
        .order_by("-no_show_at", "-id")
    ):
        assert ticket.window_id is not None
        answer.setdefault(ticket.window_id, ticket)
    return answer


# --- groups whose windows do not match their items ---------------------------------------------


@dataclass
class GroupMismatch:
    """A group whose windows are not exactly those serving its items: `missing` accept one of
    its items but do not call from it, `extra` call from it but serve none of its items."""

    group: ServiceGroup
    missing: list[Window]
    extra: list[Window]


def group_window_mismatches(center: Center) -> list[GroupMismatch]:
    """The active groups with items of `center` whose windows disagree with the catalog's
    item-window links (three queries). Groups without items are plain lines, not checked."""
    groups = list(
        ServiceGroup.objects.filter(center=center, is_active=True)
        .prefetch_related("items", "windows")
        .order_by("position", "letter")
    )
    item_ids = {item.pk for group in groups for item in group.items.all()}
    pairs = item_window_pairs(item_ids)
    windows = Window.objects.in_bulk(
        {window_id for _item, window_id in pairs}
        | {window.pk for group in groups for window in group.windows.all()}
    )
    answer = []
    for group in groups:
        own = {item.pk for item in group.items.all()}
        if not own:
            continue
        serving = {
            window_id
            for item_id, window_id in pairs
            if item_id in own
            and windows[window_id].is_active
            and windows[window_id].center_id == center.pk
        }
        chosen = {window.pk for window in group.windows.all()}
        missing = sorted((windows[pk] for pk in serving - chosen), key=lambda w: w.number)
        extra = sorted((windows[pk] for pk in chosen - serving), key=lambda w: w.number)
        if missing or extra:
            answer.append(GroupMismatch(group, missing, extra))
    return answer


# --- today's line of a center -----------------------------------------------------------------


@dataclass
class GroupLine:
    group: ServiceGroup
    waiting: list[Ticket] = field(default_factory=list)
    at_windows: list[Ticket] = field(default_factory=list)
    taken: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    # Today's latest no-shows that may still be put back in line (issue 17 item 4).
    missed: list[Ticket] = field(default_factory=list)


# How many of a group's latest no-shows today's line offers to put back in line.
LINE_MISSED = 10


def no_show_actions(user: User, center: Center, at: datetime.datetime | None = None) -> set[str]:
    """What `user` may do with a no-show of today at `center` not at their own window (put it
    back in line): asked once for a whole list, like `waiting_actions`."""
    moment = at or timezone.now()
    probe = Ticket(
        center=center,
        status=TicketStatus.NO_SHOW,
        number="",
        service_date=timezone.localdate(moment),
    )
    return {row.action for row in allowed_actions(user, probe, moment)}


def center_line(center: Center, day: datetime.date) -> list[GroupLine]:
    """Per group of `center`: the waiting tickets in calling order, those at a window now, the
    latest no-shows that may be put back in line, and the day's counts (four queries)."""
    groups = list(ServiceGroup.objects.filter(center=center).order_by("position", "letter"))
    lines = {group.pk: GroupLine(group) for group in groups}
    tickets = (
        Ticket.objects.of_day(center.pk, day)
        .filter(status__in=[TicketStatus.WAITING, *ACTIVE_TICKET_STATUSES])
        .select_related("window", "target_window")
        .in_line_order()
    )
    for ticket in tickets:
        line = lines.get(ticket.group_id)
        if line is None:
            continue
        (line.waiting if ticket.status == TicketStatus.WAITING else line.at_windows).append(ticket)
    for ticket in (
        Ticket.objects.of_day(center.pk, day)
        .filter(status=TicketStatus.NO_SHOW, requeue_count__lt=settings.GOVHALL_REQUEUE_MAX)
        .select_related("window")
        .order_by("-no_show_at", "-id")
    ):
        line = lines.get(ticket.group_id)
        if line is not None and len(line.missed) < LINE_MISSED:
            line.missed.append(ticket)
    counts = (
        Ticket.objects.of_day(center.pk, day)
        .values("group_id")
        .annotate(
            taken=Count("pk"),
            served=Count("pk", filter=Q(status=TicketStatus.DONE)),
            no_shows=Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=TicketStatus.CANCELLED)),
        )
        .order_by()
    )
    for row in counts:
        line = lines.get(row["group_id"])
        if line is not None:
            line.taken, line.served = row["taken"], row["served"]
            line.no_shows, line.cancelled = row["no_shows"], row["cancelled"]
    return [lines[group.pk] for group in groups if group.is_active or lines[group.pk].taken]


# --- waiting and service times (issue #4 point 6) ---------------------------------------------


@dataclass(frozen=True)
class StatRow:
    """The figures of one group, window or hour. Times are seconds (None: no ticket yet)."""

    key: Any
    label: str
    taken: int
    called: int
    served: int
    no_shows: int
    wait_avg: float | None
    wait_max: int | None
    service_avg: float | None
    service_max: int | None

    @staticmethod
    def _minutes(seconds: float | None) -> float | None:
        return None if seconds is None else round(seconds / 60, 1)

    @property
    def wait_avg_minutes(self) -> float | None:
        return self._minutes(self.wait_avg)

    @property
    def wait_max_minutes(self) -> float | None:
        return self._minutes(self.wait_max)

    @property
    def service_avg_minutes(self) -> float | None:
        return self._minutes(self.service_avg)

    @property
    def service_max_minutes(self) -> float | None:
        return self._minutes(self.service_max)


@dataclass(frozen=True)
class QueueStats:
    first: datetime.date
    last: datetime.date
    total: StatRow
    by_group: list[StatRow]
    by_window: list[StatRow]
    by_hour: list[StatRow]


FIGURES = {
    "taken": Count("pk"),
    "called": Count("pk", filter=Q(called_at__isnull=False)),
    "served": Count("pk", filter=Q(status=TicketStatus.DONE)),
    "no_shows": Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
    "wait_avg": Avg("wait_seconds"),
    "wait_max": Max("wait_seconds"),
    "service_avg": Avg("service_seconds"),
    "service_max": Max("service_seconds"),
}


def _row(key: Any, label: str, values: dict[str, Any]) -> StatRow:
    return StatRow(
        key=key,
        label=label,
        taken=values.get("taken") or 0,
        called=values.get("called") or 0,
        served=values.get("served") or 0,
        no_shows=values.get("no_shows") or 0,
        wait_avg=values.get("wait_avg"),
        wait_max=values.get("wait_max"),
        service_avg=values.get("service_avg"),
        service_max=values.get("service_max"),
    )


def stats_tickets(
    center: Center,
    first: datetime.date,
    last: datetime.date,
    department_id: int | None = None,
) -> TicketQuerySet:
    tickets = Ticket.objects.filter(center=center, service_date__range=(first, last))
    if department_id is not None:
        tickets = tickets.filter(group__department_id=department_id)
    return tickets


def queue_stats(
    center: Center,
    first: datetime.date,
    last: datetime.date,
    department_id: int | None = None,
) -> QueueStats:
    """Tickets taken, called, served and no-shows, and the average and longest wait (taking to
    first call) and service (start to finish), for the days `first`..`last` of `center`: in
    total, per group, per window and per hour of the day the ticket was taken (local time).
    Four queries. `department_id` narrows to the groups of one department."""
    tickets = stats_tickets(center, first, last, department_id)
    total = _row(None, "", tickets.aggregate(**FIGURES))
    by_group = [
        _row(row["group_id"], f"{row['group__letter']} {row['group__name']}", row)
        for row in tickets.values("group_id", "group__letter", "group__name", "group__position")
        .annotate(**FIGURES)
        .order_by("group__position", "group__letter")
    ]
    by_window = [
        _row(row["window_id"], f"{row['window__number']} {row['window__name']}", row)
        for row in tickets.filter(window__isnull=False)
        .values("window_id", "window__number", "window__name")
        .annotate(**FIGURES)
        .order_by("window__number")
    ]
    by_hour = [
        _row(row["hour"], f"{row['hour']:02d}:00", row)
        for row in tickets.annotate(
            hour=ExtractHour("taken_at", tzinfo=timezone.get_current_timezone())
        )
        .values("hour")
        .annotate(**FIGURES)
        .order_by("hour")
    ]
    return QueueStats(
        first=first,
        last=last,
        total=total,
        by_group=by_group,
        by_window=by_window,
        by_hour=by_hour,
    )
