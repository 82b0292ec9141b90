"""Public reads of the queue (排队叫号, SPEC §7; seeds/000… 篇3 导视系统 排队叫号): the kiosk's
groups, a ticket's place in line, and the hall's display board.

- `people_ahead(ticket)`: waiting tickets ahead of it in its line now, in the order call-next
  uses (priority_rank desc, queued_at, id), in the same group and not transferred to a named
  window elsewhere. One COUNT query.
- `people_ahead_at_issue(ticket)`: the same figure at the moment the ticket was taken (printed
  on the receipt, so a reprint shows the same number). One COUNT query.
- `board_state(center, at)`: everything the display board shows, as plain JSON-ready data, in a
  fixed number of queries however many windows, tickets and calls there are.
- `board_fingerprint(center, at)`: one short query whose answer changes whenever the board's
  state may have changed (the live stream polls it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from govhall.catalog.models import ServiceItem
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketCall, TicketStatus
from govhall.frontdesk.models.queue import ACTIVE_TICKET_STATUSES
from govhall.org.models import Center, Window
from govhall.staffing.models import Absence, Delegation
from govhall.staffing.models.presence import AbsenceStatus
from govhall.staffing.queries.cover import posts_with_people, who_serves_many
from govhall.workdays.queries.calendar import day_start

# How many of the latest calls the board lists.
BOARD_LAST_CALLS = 8

# What the board says aloud. Always Mandarin (spoken with lang zh-CN), whatever the page's
# language, so it is not a translated string.
CALL_SPEECH = "请 {number} 号到 {window} 号窗口办理"


# --- public look-ups (anonymous pages: missing and inactive both 404) -------------------------


def active_center(code: str) -> Center:
    """An active center by its code, for the kiosk and the board."""
    center = Center.objects.filter(code=str(code)[:32], is_active=True).first()
    if center is None:
        raise Http404
    return center


def public_ticket(token: str) -> Ticket:
    """A ticket by the random token of its public page."""
    ticket = (
        Ticket.objects.select_related("group", "center", "window")
        .filter(token=str(token)[:24])
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def _waiting(day: datetime.date) -> Count:
    return Count(
        "tickets", filter=Q(tickets__service_date=day, tickets__status=TicketStatus.WAITING)
    )


def kiosk_groups(center: Center, day: datetime.date) -> QuerySet[ServiceGroup]:
    """The center's active groups, each with `waiting`: how many tickets wait now (one query)."""
    return (
        ServiceGroup.objects.filter(center=center, is_active=True)
        .annotate(waiting=_waiting(day))
        .order_by("position", "letter")
    )


def kiosk_group(center: Center, letter: str, day: datetime.date) -> ServiceGroup:
    """An active group of `center` by its letter (what the kiosk posts), with `waiting`."""
    group = kiosk_groups(center, day).filter(letter=str(letter).strip().upper()[:2]).first()
    if group is None:
        raise Http404
    return group


@dataclass(frozen=True)
class KioskMatter:
    """A matter the citizen recognises at the kiosk: an item a group serves, the department as
    a hint, and the line (group) it queues in."""

    item_id: int
    name: str
    department: str
    group: ServiceGroup

    @property
    def search_text(self) -> str:
        return f"{self.name} {self.department} {self.group.name}".lower()


def kiosk_matters(groups: list[ServiceGroup], q: str = "") -> list[KioskMatter]:
    """The published items the `groups` serve (one query), in group then item-name order;
    `q` keeps the matters whose name, department or group contains it."""
    by_pk = {group.pk: group for group in groups}
    links = (
        ServiceGroup.items.through.objects.filter(
            servicegroup_id__in=list(by_pk), serviceitem__is_active=True
        )
        .select_related("serviceitem__department")
        .order_by("serviceitem__name", "serviceitem_id")
    )
    matters = []
    for link in links:
        item = link.serviceitem
        matters.append(
            KioskMatter(
                item_id=item.pk,
                name=item.name,
                department=item.department.short_name or item.department.name,
                group=by_pk[link.servicegroup_id],
            )
        )
    order = {pk: n for n, pk in enumerate(by_pk)}
    matters.sort(key=lambda matter: order[matter.group.pk])
    needle = q.strip().lower()[:50]
    return [matter for matter in matters if needle in matter.search_text]


def group_item(group: ServiceGroup, item_id: object) -> ServiceItem | None:
    """The published item `item_id` that `group` serves, or None (a bad or missing id)."""
    try:
        pk = int(str(item_id))
    except ValueError:
        return None
    return group.items.filter(pk=pk, is_active=True).select_related("department").first()


# --- a ticket's place in line ------------------------------------------------------------------


def _ahead_of(ticket: Ticket) -> Q:
    """Tickets before `ticket` in call-next order: priority_rank desc, queued_at, id."""
    return (
        Q(priority_rank__gt=ticket.priority_rank)
        | Q(priority_rank=ticket.priority_rank, queued_at__lt=ticket.queued_at)
        | Q(priority_rank=ticket.priority_rank, queued_at=ticket.queued_at, pk__lt=ticket.pk)
    )


def _same_line(ticket: Ticket) -> Q:
    """Its group, without tickets transferred to a named window other than its own."""
    line = Q(group_id=ticket.group_id, target_window__isnull=True)
    if ticket.target_window_id is not None:
        line |= Q(group_id=ticket.group_id, target_window_id=ticket.target_window_id)
    return line


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets ahead of `ticket` now; 0 once it is no longer waiting."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    return (
        Ticket.objects.of_day(ticket.center_id, ticket.service_date)
        .waiting()
        .filter(_same_line(ticket))
        .filter(_ahead_of(ticket))
        .count()
    )


def with_people_ahead(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """`tickets` annotated with `ahead_now`: `people_ahead` of each in the same query (the
    applicant's page lists their tickets of today, issue 19 item 3). The same line and order
    as `_same_line` and `_ahead_of`; non-waiting tickets get 0."""
    ahead = (
        Ticket.objects.filter(
            center_id=OuterRef("center_id"),
            service_date=OuterRef("service_date"),
            status=TicketStatus.WAITING,
            group_id=OuterRef("group_id"),
        )
        .filter(Q(target_window__isnull=True) | Q(target_window_id=OuterRef("target_window_id")))
        .filter(
            Q(priority_rank__gt=OuterRef("priority_rank"))
            | Q(priority_rank=OuterRef("priority_rank"), queued_at__lt=OuterRef("queued_at"))
            | Q(
                priority_rank=OuterRef("priority_rank"),
                queued_at=OuterRef("queued_at"),
                pk__lt=OuterRef("pk"),
            )
        )
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return tickets.annotate(
        ahead_now=DbCase(
            When(status=TicketStatus.WAITING, then=Coalesce(Subquery(ahead), Value(0))),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def people_ahead_at_issue(ticket: Ticket) -> int:
    """Tickets that were waiting ahead of `ticket` when it was taken: taken before it, not yet
    called (no call at or before that moment) and not cancelled by then."""
    taken = ticket.taken_at
    called_before = TicketCall.objects.filter(ticket=OuterRef("pk"), at__lte=taken)
    return (
        Ticket.objects.of_day(ticket.center_id, ticket.service_date)
        .filter(group_id=ticket.group_id, target_window__isnull=True, taken_at__lte=taken)
        .exclude(pk=ticket.pk)
        .filter(_ahead_of(ticket))
        .exclude(Exists(called_before))
        .exclude(status=TicketStatus.CANCELLED, cancelled_at__lte=taken)
        .count()
    )


# --- the display board -------------------------------------------------------------------------


def _clock(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _call_row(call: TicketCall) -> dict[str, Any]:
    ticket = call.ticket
    return {
        "id": call.pk,
        "number": ticket.number,
        "window": call.window.number,
        "group": ticket.group.name,
        "letter": ticket.group.letter,
        "at": timezone.localtime(call.at).strftime("%H:%M:%S"),
        "repeat": call.repeat,
        "speech": CALL_SPEECH.format(number=ticket.number, window=call.window.number),
    }


def _window_presence(
    windows: list[Window], at: datetime.datetime
) -> dict[int, tuple[bool, datetime.datetime | None]]:
    """Per window with posts: (nobody serving it is available, earliest "back by" of its people
    away on a where-and-until sign). Windows without posts are left out (nothing is known).

    Uses the AB-post answer (`who_serves_many`): a window is empty when every post is empty,
    i.e. A, a designated cover, B and the head are all on leave or away."""
    posts = list(posts_with_people().filter(window__in=[w.pk for w in windows]))
    if not posts:
        return {}
    empty: dict[int, bool] = {}
    people: dict[int, set[int]] = {}
    for serving in who_serves_many(posts, at):
        post = serving.post
        empty[post.window_id] = empty.get(post.window_id, True) and serving.is_empty
        people.setdefault(post.window_id, set()).update(
            pk for pk in (post.a_staff_id, post.b_staff_id, post.window.head_id) if pk
        )
    everyone = set().union(*people.values())
    back_by: dict[int, datetime.datetime] = {
        row["user_id"]: row["until"]
        for row in Absence.objects.filter(
            Q(returned_at__isnull=True) | Q(returned_at__gt=at),
            user_id__in=everyone,
            status=AbsenceStatus.AWAY,
            starts_at__lte=at,
        )
        .order_by("-until")
        .values("user_id", "until")
    }
    answer: dict[int, tuple[bool, datetime.datetime | None]] = {}
    for window_id, is_empty in empty.items():
        returns = [back_by[pk] for pk in people[window_id] if pk in back_by]
        answer[window_id] = (is_empty, min(returns) if returns else None)
    return answer


def board_state(center: Center, at: datetime.datetime | None = None) -> dict[str, Any]:
    """The display board of `center` at `at`: per window its ticket at hand (called or being
    served) and its away sign, the last calls of the day, and how many wait per group.

    Nine queries whatever the size of the hall."""
    now = at or timezone.now()
    day = timezone.localdate(now)
    since = day_start(day)
    windows = list(
        Window.objects.filter(center=center, is_active=True, service_groups__is_active=True)
        .distinct()
        .order_by("number", "pk")
    )
    at_hand = {
        ticket.window_id: ticket
        for ticket in Ticket.objects.of_day(center.pk, day)
        .filter(status__in=ACTIVE_TICKET_STATUSES, window__isnull=False)
        .select_related("group")
    }
    calls = [
        _call_row(call)
        for call in TicketCall.objects.filter(center=center, at__gte=since, at__lte=now)
        .select_related("ticket", "ticket__group", "window")
        .order_by("-at", "-id")[:BOARD_LAST_CALLS]
    ]
    groups = list(
        ServiceGroup.objects.filter(center=center, is_active=True)
        .annotate(waiting=_waiting(day))
        .order_by("position", "letter")
        .values("letter", "name", "waiting")
    )
    presence = _window_presence(windows, now)
    window_rows = []
    for window in windows:
        ticket = at_hand.get(window.pk)
        empty, back_by = presence.get(window.pk, (False, None))
        window_rows.append(
            {
                "number": window.number,
                "name": window.name,
                "ticket": ticket.number if ticket else "",
                "group": ticket.group.name if ticket else "",
                "status": ticket.status if ticket else "",
                # Away sign (暂离): nobody who serves the window is at it, someone is on a sign.
                "away": empty and back_by is not None,
                "back_by": _clock(back_by) if empty else "",
                # Nobody available and nobody on a sign: on leave, the window is paused.
                "paused": empty and back_by is None,
            }
        )
    return {
        "center": {"code": center.code, "name": center.name},
        "date": day.isoformat(),
        "windows": window_rows,
        "calls": calls,
        "groups": groups,
        "waiting": sum(group["waiting"] for group in groups),
    }


def board_fingerprint(center: Center, at: datetime.datetime | None = None) -> tuple[Any, ...]:
    """Changes whenever the board may have changed: a call or recall (the last TicketCall id),
    any ticket of the day changing (taken, called, finished…: the last updated_at), a
    where-and-until sign or a cover put up or taken down, or the day. One query; each part
    reads only today's rows through an index."""
    now = at or timezone.now()
    day = timezone.localdate(now)
    since = day_start(day)

    def last(qs: QuerySet[Any], field: str) -> Subquery:
        return Subquery(qs.order_by(f"-{field}").values(field)[:1])

    row = (
        Center.objects.filter(pk=center.pk)
        .annotate(
            last_call=last(TicketCall.objects.filter(center=OuterRef("pk"), at__gte=since), "id"),
            last_ticket=last(
                Ticket.objects.filter(center=OuterRef("pk"), service_date=day), "updated_at"
            ),
            last_absence=last(
                Absence.objects.filter(center=OuterRef("pk"), updated_at__gte=since), "updated_at"
            ),
            last_delegation=last(
                Delegation.objects.filter(
                    post__window__center=OuterRef("pk"), updated_at__gte=since
                ),
                "updated_at",
            ),
        )
        .values_list("last_call", "last_ticket", "last_absence", "last_delegation")
        .first()
    )
    return (day, *(row or ()))
