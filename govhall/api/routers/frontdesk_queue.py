"""Queue API (排队叫号, SPEC §7): service groups, today's tickets, taking a ticket (staff, and a
public kiosk endpoint), calling the next ticket at a window, acting on a ticket, the calling
console and the waiting and service times.

Auth: a bearer token of a department system or a signed-in staff session (the kiosk endpoint
is public). Objects are fetched through `govhall.frontdesk.access.tickets`: outside the
caller's scope answers 404, like a missing one.

Errors follow the API's one policy (`govhall/api/schemas.py`): bad input or a refused action
→ 422 with the fields; the ticket changed meanwhile (stale `expected_status`, another window
was faster) → 409; missing or forbidden → 404; the kiosk over its limits → 429.

Every ticket answer carries the `actions` the caller may take now, from the transition table
(`govhall/frontdesk/ticket_transitions.py`).
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of the
# paginated list view in the pagination module's namespace.
import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.routers.progress import client_address
from govhall.api.schemas import (
    SERVICE_REFUSALS,
    Code,
    Count,
    ErrorOut,
    Id,
    Line,
    Name,
    Pagination,
    Small,
    field_refusal,
    rate_limited,
    service_refusal,
)
from govhall.catalog.models import ServiceItem
from govhall.core.idnumbers import mask_phone
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.ratelimit import RateLimited
from govhall.frontdesk.access.tickets import (
    access_queue_group,
    access_queue_window,
    access_ticket,
    can_act_on_tickets,
    can_manage_groups,
    can_read_queue,
    can_read_queue_stats,
    can_use_console,
    queue_groups_in_scope,
    tickets_in_scope,
)
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketStatus
from govhall.frontdesk.queries.board import people_ahead
from govhall.frontdesk.queries.queue import (
    ConsoleWindow,
    StatRow,
    allowed_actions,
    console_state,
    queue_stats,
)
from govhall.frontdesk.services.groups import group_create, group_update, groups_build
from govhall.frontdesk.services.tickets import (
    TicketConflict,
    ticket_act,
    ticket_call_next,
    ticket_take,
)
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of
from govhall.org.models import Center, Department, Window

router = Router(auth=SESSION_OR_TOKEN)

STATS_DAYS_MAX = 366
TICKET_RELATED = ("group", "center", "window", "target_window")


# --- schemas ------------------------------------------------------------------------------------


class GroupOut(Schema):
    id: int
    center_id: int
    letter: str
    name: str
    department_id: int | None
    window_ids: list[int]
    item_ids: list[int]
    daily_limit: int | None = Field(None, description="Tickets a day; null: no limit")
    slot_minutes: int
    slot_capacity: int
    position: int
    is_active: bool

    @staticmethod
    def resolve_window_ids(obj: ServiceGroup) -> list[int]:
        return [window.pk for window in obj.windows.all()]

    @staticmethod
    def resolve_item_ids(obj: ServiceGroup) -> list[int]:
        return [item.pk for item in obj.items.all()]


class GroupIn(Schema):
    center: Id = Field(..., description="Id of the center the group belongs to")
    letter: Code = Field(..., description="One or two letters A–Z; numbers read A001 …")
    name: Name
    department: Id | None = None
    windows: list[Id] = Field(default_factory=list, description="Ids of the windows calling it")
    items: list[Id] = Field(default_factory=list, description="Ids of the service items")
    daily_limit: Count | None = None
    slot_minutes: Small = 30
    slot_capacity: Small = 4
    position: Small = 0
    is_active: bool = True


class GroupPatch(Schema):
    letter: Code | None = None
    name: Name | None = None
    department: Count | None = Field(None, description="0 removes the department")
    windows: list[Id] | None = None
    items: list[Id] | None = None
    daily_limit: Count | None = Field(None, description="0 removes the limit")
    slot_minutes: Small | None = None
    slot_capacity: Small | None = None
    position: Small | None = None
    is_active: bool | None = None


class BuildIn(Schema):
    center: Id


class TicketOut(Schema):
    id: int
    number: str
    center_id: int
    group_id: int
    group_letter: str
    service_date: datetime.date
    status: str = Field(..., description="waiting, called, serving, done, no_show, cancelled")
    status_label: str
    priority: str = Field(..., description="normal, appointment, elderly_disabled, green_channel")
    priority_requested: bool = Field(
        False, description="Elderly/disabled priority asked at a kiosk, awaiting the guide"
    )
    phone: str = Field("", description="Masked (138****5678)")
    taken_at: datetime.datetime
    queued_at: datetime.datetime = Field(..., description="The place in line; kept on transfer")
    called_at: datetime.datetime | None
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    wait_seconds: int | None = Field(None, description="From taking the ticket to the first call")
    service_seconds: int | None = Field(None, description="From the start to the end of service")
    window_id: int | None
    window_number: int | None
    target_window_id: int | None = Field(None, description="Transferred to this window by name")
    recall_count: int
    no_show_at: datetime.datetime | None = Field(
        None, description="When it was marked a no-show (undoable for a few minutes)"
    )
    requeue_count: int = Field(0, description="Times it was put back in line after a no-show")
    case_id: int | None
    item_id: int | None = Field(None, description="The item the citizen came for")
    matter: str = Field("", description="What the citizen came for (the item's name)")

    @staticmethod
    def resolve_group_letter(obj: Ticket) -> str:
        return obj.group.letter

    @staticmethod
    def resolve_status_label(obj: Ticket) -> str:
        return str(TicketStatus(obj.status).label)

    @staticmethod
    def resolve_phone(obj: Ticket) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    @staticmethod
    def resolve_window_number(obj: Ticket) -> int | None:
        return obj.window.number if obj.window_id and obj.window else None


class TicketActionOut(Schema):
    action: str
    label: str
    next_status: str


class TicketWithActionsOut(Schema):
    ticket: TicketOut
    actions: list[TicketActionOut] = Field(..., description="What the caller may do with it now")


ITEM_DESCRIPTION = (
    "Optional: the item the citizen came for, one the group serves (422 otherwise); the "
    "ticket is then called only at windows that accept it"
)


class TakeIn(Schema):
    group: Id
    priority: Literal["normal", "elderly_disabled", "green_channel"] = "normal"
    phone: Code = Field("", description="Optional mobile number for an SMS when the turn is near")
    item: Id | None = Field(None, description=ITEM_DESCRIPTION)


class TakenOut(Schema):
    ticket: TicketOut
    people_ahead: int


class KioskIn(Schema):
    group: Id
    priority: Literal["normal", "elderly_disabled"] = "normal"
    phone: Code = ""
    item: Id | None = Field(None, description=ITEM_DESCRIPTION)


class KioskOut(Schema):
    number: str
    token: str = Field(..., description="Key of the public ticket page")
    group: str
    people_ahead: int
    taken_at: datetime.datetime
    priority: str = Field(..., description="normal, elderly_disabled")
    priority_requested: bool = Field(
        False,
        description="The elderly/disabled priority was asked beyond the kiosk's daily limit: "
        "the ticket is normal until the guide confirms the priority",
    )


class CallNextOut(Schema):
    ticket: TicketOut | None = Field(None, description="null: nobody is waiting")
    actions: list[TicketActionOut]
    message: str


class ActIn(Schema):
    action: Literal[
        "call",
        "recall",
        "no_show",
        "start",
        "finish",
        "transfer",
        "cancel",
        "confirm_priority",
        "undo_no_show",
        "requeue",
    ] = Field(
        ...,
        description="confirm_priority: the guide confirms the elderly/disabled priority a "
        "kiosk ticket asked for beyond the kiosk's daily limit (`priority_requested`); "
        "undo_no_show: the window that marked a no-show calls it back within "
        "GOVHALL_NO_SHOW_UNDO_MINUTES (409 once the window has called another); requeue: "
        "the guide or a window puts a no-show back in line, GOVHALL_REQUEUE_AFTER_PLACES "
        "places after the head of its line, at most GOVHALL_REQUEUE_MAX times",
    )
    window: Id | None = Field(None, description="For call: the window that calls this ticket")
    to_group: Id | None = Field(None, description="For transfer: another group")
    to_window: Id | None = Field(None, description="For transfer: one named window")
    expected_status: Code | None = Field(
        None, description="The status the caller saw; if it has changed, 409 and nothing changes"
    )
    note: Line = ""


class GroupWaitingOut(Schema):
    group_id: int
    letter: str
    name: str
    waiting: int


class ConsoleWindowOut(Schema):
    window_id: int
    window_number: int
    window_name: str
    ticket: TicketOut | None
    actions: list[TicketActionOut]
    groups: list[GroupWaitingOut]
    named: int = Field(..., description="Waiting tickets transferred to this window by name")
    waiting_total: int
    next_up: list[TicketOut]
    recall_max: int


class TicketFilters(Schema):
    center: Id | None = Field(None, description="Default: the caller's own center")
    day: datetime.date | None = Field(None, description="Default: today")
    group: Id | None = None
    window: Id | None = None
    status: Code | None = Field(None, description="One of the ticket statuses")


class StatRowOut(Schema):
    key: int | None = Field(None, description="Group id, window id or hour (0–23, local time)")
    label: str
    taken: int
    called: int
    served: int
    no_shows: int
    wait_avg: float | None = Field(None, description="Seconds")
    wait_max: int | None = Field(None, description="Seconds")
    service_avg: float | None = Field(None, description="Seconds")
    service_max: int | None = Field(None, description="Seconds")


class StatsOut(Schema):
    center_id: int
    first: datetime.date
    last: datetime.date
    total: StatRowOut
    by_group: list[StatRowOut]
    by_window: list[StatRowOut]
    by_hour: list[StatRowOut]


REFUSALS = {404: ErrorOut, **SERVICE_REFUSALS}


# --- helpers ------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(error: ValidationError) -> Status[dict[str, Any]]:
    return service_refusal(error, conflicts=(TicketConflict,))


def _center(request: HttpRequest, center_id: int | None) -> Center:
    if center_id is not None:
        return access_center(request.user, center_id)
    root = scope_of(request.user).root
    if root is None:
        raise Http404
    return root


def item_of(item_id: int | None) -> ServiceItem | None:
    """The item a payload names (None when it names none); ValidationError (422) when there is
    no such item. Whether the group serves it is the service's question."""
    if item_id is None:
        return None
    item = ServiceItem.objects.filter(pk=item_id).first()
    if item is None:
        raise ValidationError({"item": [_("No such item.")]})
    return item


def ticket_out(ticket: Ticket) -> Ticket:
    """A ticket as `TicketOut` reads it (load it with TICKET_RELATED)."""
    return ticket


def _actions(user: User, ticket: Ticket | None) -> list[dict[str, str]]:
    if ticket is None:
        return []
    return [_action_out(row) for row in allowed_actions(user, ticket)]


def _action_out(row: Transition) -> dict[str, str]:
    """One row of the ticket table as the API lists it (its label, the status it leads to)."""
    return {
        "action": row.action,
        "label": str(TicketAction(row.action).label),
        "next_status": row.next_state or row.state,
    }


def _with_actions(user: User, ticket: Ticket) -> dict[str, Any]:
    fresh = Ticket.objects.select_related(*TICKET_RELATED).get(pk=ticket.pk)
    return {"ticket": ticket_out(fresh), "actions": _actions(user, fresh)}


def _groups_query() -> Any:
    return ServiceGroup.objects.prefetch_related("windows", "items").order_by(
        "center", "position", "letter"
    )


def _ids_in(model: Any, center: Center, ids: list[int]) -> list[Any] | None:
    """Objects of `center` with these ids, or None when one of them is not there."""
    found = list(model.objects.filter(center=center, pk__in=ids))
    return found if len(found) == len(set(ids)) else None


def _stat_out(row: StatRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "taken": row.taken,
        "called": row.called,
        "served": row.served,
        "no_shows": row.no_shows,
        "wait_avg": row.wait_avg,
        "wait_max": row.wait_max,
        "service_avg": row.service_avg,
        "service_max": row.service_max,
    }


# --- groups -------------------------------------------------------------------------------------


@router.get("/groups", response=list[GroupOut], summary="Service groups of a center")
def groups_list(request: HttpRequest, center: Id | None = None) -> Any:
    rows = queue_groups_in_scope(request.user)
    if center is not None:
        rows = rows.filter(center=access_center(request.user, center))
    return list(rows.prefetch_related("windows", "items").order_by("center", "position", "letter"))


def _group_relations(
    center: Center, windows: list[int] | None, items: list[int] | None
) -> tuple[list[Window] | None, list[ServiceItem] | None, Status[dict[str, Any]] | None]:
    found_windows = _ids_in(Window, center, windows) if windows is not None else None
    if windows is not None and found_windows is None:
        return None, None, field_refusal("windows", _("Every window must belong to this center."))
    found_items = _ids_in(ServiceItem, center, items) if items is not None else None
    if items is not None and found_items is None:
        return None, None, field_refusal("items", _("Every item must belong to this center."))
    return found_windows, found_items, None


def _department(center: Center, pk: int | None) -> Department | Status[dict[str, Any]] | None:
    if not pk:
        return None
    department = Department.objects.filter(center=center, pk=pk).first()
    if department is None:
        return field_refusal("department", _("The department is not stationed in this center."))
    return department


@router.post(
    "/groups",
    response={201: GroupOut, **REFUSALS},
    summary="Create a service group (hall management)",
)
def group_new(request: HttpRequest, payload: GroupIn) -> Any:
    if not can_manage_groups(request.user):
        raise Http404
    center = access_center(request.user, payload.center, for_write=True)
    windows, items, refusal = _group_relations(center, payload.windows, payload.items)
    if refusal is not None:
        return refusal
    department = _department(center, payload.department)
    if isinstance(department, Status):
        return department
    try:
        group = group_create(
            actor=_user(request),
            center=center,
            letter=payload.letter,
            name=payload.name,
            windows=windows or [],
            items=items or [],
            department=department,
            daily_limit=payload.daily_limit,
            slot_minutes=payload.slot_minutes,
            slot_capacity=payload.slot_capacity,
            position=payload.position,
            is_active=payload.is_active,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, _groups_query().get(pk=group.pk))


@router.patch(
    "/groups/{int:group_id}",
    response={200: GroupOut, **REFUSALS},
    summary="Change a service group (hall management); absent fields stay",
)
def group_change(request: HttpRequest, group_id: int, payload: GroupPatch) -> Any:
    group = access_queue_group(request.user, group_id, for_write=True)
    windows, items, refusal = _group_relations(group.center, payload.windows, payload.items)
    if refusal is not None:
        return refusal
    fields: dict[str, Any] = {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if name not in {"windows", "items", "department", "daily_limit"}
    }
    if "department" in payload.model_fields_set:
        department = _department(group.center, payload.department)
        if isinstance(department, Status):
            return department
        fields["department"] = department
    if "daily_limit" in payload.model_fields_set:
        fields["daily_limit"] = payload.daily_limit or None
    try:
        group_update(actor=_user(request), group=group, windows=windows, items=items, **fields)
    except ValidationError as error:
        return _refused(error)
    return _groups_query().get(pk=group.pk)


@router.post(
    "/groups/build",
    response={200: list[GroupOut], **REFUSALS},
    summary="Build the groups from the windows' items (one per department; removes nothing)",
)
def groups_build_view(request: HttpRequest, payload: BuildIn) -> Any:
    if not can_manage_groups(request.user):
        raise Http404
    center = access_center(request.user, payload.center, for_write=True)
    try:
        built = groups_build(actor=_user(request), center=center)
    except ValidationError as error:
        return _refused(error)
    return list(_groups_query().filter(pk__in=[group.pk for group in built]))


# --- tickets ------------------------------------------------------------------------------------


@router.get(
    "/tickets",
    response=list[TicketOut],
    summary="Tickets of a day (default today), in calling order",
)
@paginate(Pagination)
def tickets_list(request: HttpRequest, filters: Query[TicketFilters]) -> Any:
    if not can_read_queue(request.user):
        raise Http404
    center = _center(request, filters.center)
    day = filters.day or timezone.localdate()
    rows = tickets_in_scope(request.user).of_day(center.pk, day)
    if filters.group is not None:
        rows = rows.filter(group_id=filters.group)
    if filters.window is not None:
        rows = rows.filter(window_id=filters.window)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows.select_related(*TICKET_RELATED).in_line_order()


@router.get(
    "/tickets/{int:ticket_id}",
    response={200: TicketWithActionsOut, 404: ErrorOut},
    summary="One ticket with the actions the caller may take",
)
def ticket_detail(request: HttpRequest, ticket_id: int) -> Any:
    ticket = access_ticket(request.user, ticket_id)
    return _with_actions(_user(request), ticket)


@router.post(
    "/tickets",
    response={201: TakenOut, **REFUSALS},
    summary="Issue a ticket at the front desk (staff; green channel allowed)",
)
def ticket_new(request: HttpRequest, payload: TakeIn) -> Any:
    if not can_act_on_tickets(request.user):
        raise Http404
    group = access_queue_group(request.user, payload.group)
    try:
        ticket = ticket_take(
            actor=_user(request),
            group=group,
            priority=payload.priority,
            phone=payload.phone,
            item=item_of(payload.item),
        )
    except ValidationError as error:
        return _refused(error)
    fresh = Ticket.objects.select_related(*TICKET_RELATED).get(pk=ticket.pk)
    return Status(201, {"ticket": ticket_out(fresh), "people_ahead": people_ahead(fresh)})


@router.post(
    "/tickets/kiosk",
    auth=None,
    response={201: KioskOut, **REFUSALS, 429: ErrorOut},
    summary="Take a ticket at a kiosk (public; normal or elderly/disabled priority)",
    description="The calling device is the client address (REMOTE_ADDR). Tickets per day "
    "are limited per device and per address (GOVHALL_RATE_KIOSK_TICKETS_PER_DEVICE_DAY, "
    "GOVHALL_RATE_KIOSK_TICKETS_PER_ADDRESS_DAY): 429 with Retry-After. Beyond "
    "GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY elderly/disabled tickets a day, the ticket is "
    "issued normal with `priority_requested` until the guide confirms the priority.",
)
def ticket_kiosk(request: HttpRequest, response: HttpResponse, payload: KioskIn) -> Any:
    group = (
        ServiceGroup.objects.filter(pk=payload.group, is_active=True, center__is_active=True)
        .select_related("center")
        .first()
    )
    if group is None:
        raise Http404
    client = client_address(request)
    try:
        ticket = ticket_take(
            group=group,
            priority=payload.priority,
            phone=payload.phone,
            device=f"address:{client}",
            client=client,
            item=item_of(payload.item),
        )
    except ValidationError as error:
        return _refused(error)
    except RateLimited as limited:
        return rate_limited(response, limited)
    return Status(
        201,
        {
            "number": ticket.number,
            "token": ticket.token,
            "group": str(group),
            "people_ahead": people_ahead(ticket),
            "taken_at": ticket.taken_at,
            "priority": ticket.priority,
            "priority_requested": ticket.priority_requested,
        },
    )


@router.post(
    "/windows/{int:window_id}/call-next",
    response={200: CallNextOut, **REFUSALS},
    summary="Call the next ticket at a window the caller serves now",
    description=(
        "The highest-priority waiting ticket among the groups the window calls (or one "
        "transferred to it by name). Two windows calling at once never get the same ticket."
    ),
)
def call_next(request: HttpRequest, window_id: int) -> Any:
    if not can_use_console(request.user):
        raise Http404
    window = access_queue_window(request.user, window_id)
    user = _user(request)
    try:
        ticket = ticket_call_next(actor=user, window=window)
    except ValidationError as error:
        return _refused(error)
    if ticket is None:
        return {
            "ticket": None,
            "actions": [],
            "message": _("Nobody is waiting for %(window)s.") % {"window": str(window)},
        }
    answer = _with_actions(user, ticket)
    answer["message"] = _("Ticket %(number)s called to window %(window)d.") % {
        "number": ticket.number,
        "window": window.number,
    }
    return answer


@router.post(
    "/tickets/{int:ticket_id}/act",
    response={200: TicketWithActionsOut, **REFUSALS},
    summary="Act on a ticket: call, recall, no_show, start, finish, transfer, cancel, "
    "confirm_priority, undo_no_show, requeue",
    description=(
        "A transfer names `to_group` or `to_window` and keeps the ticket's place in line. "
        "Send the status you showed as `expected_status`: if the ticket changed meanwhile, "
        "the answer is 409 and nothing changes."
    ),
)
def act(request: HttpRequest, ticket_id: int, payload: ActIn) -> Any:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    user = _user(request)
    window = to_window = None
    to_group = None
    if payload.window is not None:
        window = Window.objects.filter(center_id=ticket.center_id, pk=payload.window).first()
        if window is None:
            return field_refusal("window", _("Choose an active window of this center."))
    if payload.to_window is not None:
        to_window = Window.objects.filter(center_id=ticket.center_id, pk=payload.to_window).first()
        if to_window is None:
            return field_refusal("to_window", _("Choose an active window of this center."))
    if payload.to_group is not None:
        to_group = ServiceGroup.objects.filter(
            center_id=ticket.center_id, pk=payload.to_group
        ).first()
        if to_group is None:
            return field_refusal("to_group", _("Choose an active group of this center."))
    try:
        done = ticket_act(
            actor=user,
            ticket=ticket,
            action=TicketAction(payload.action),
            window=window,
            to_group=to_group,
            to_window=to_window,
            expected_status=payload.expected_status,
            note=payload.note,
        )
    except ValidationError as error:
        return _refused(error)
    return _with_actions(user, done)


# --- the console and the figures ----------------------------------------------------------------


def _console_out(user: User, entry: ConsoleWindow) -> dict[str, Any]:
    return {
        "window_id": entry.window.pk,
        "window_number": entry.window.number,
        "window_name": entry.window.name,
        "ticket": ticket_out(entry.ticket) if entry.ticket else None,
        "actions": [_action_out(row) for row in entry.actions],
        "groups": [
            {
                "group_id": row.group.pk,
                "letter": row.group.letter,
                "name": row.group.name,
                "waiting": row.waiting,
            }
            for row in entry.groups
        ],
        "named": entry.named,
        "waiting_total": entry.waiting_total,
        "next_up": [ticket_out(ticket) for ticket in entry.next_up],
        "recall_max": entry.recall_max,
    }


@router.get(
    "/console",
    response=list[ConsoleWindowOut],
    summary="My calling console: the windows I serve now, each with its ticket and line",
)
def console(request: HttpRequest) -> Any:
    if not can_use_console(request.user):
        raise Http404
    user = _user(request)
    return [_console_out(user, entry) for entry in console_state(user)]


@router.get(
    "/stats",
    response={200: StatsOut, **REFUSALS},
    summary="Waiting and service times per group, window and hour (local time) of a period",
)
def stats(
    request: HttpRequest,
    center: Id | None = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> Any:
    if not can_read_queue_stats(request.user):
        raise Http404
    found = _center(request, center)
    today = timezone.localdate()
    last = last or today
    first = first or last - datetime.timedelta(days=6)
    if first > last:
        return field_refusal("first", _("The first day comes after the last."))
    if (last - first).days >= STATS_DAYS_MAX:
        return field_refusal("first", _("Choose at most a year."))
    figures = queue_stats(found, first, last, department_id=scope_of(request.user).department_id)
    return {
        "center_id": found.pk,
        "first": figures.first,
        "last": figures.last,
        "total": _stat_out(figures.total),
        "by_group": [_stat_out(row) for row in figures.by_group],
        "by_window": [_stat_out(row) for row in figures.by_window],
        "by_hour": [_stat_out(row) for row in figures.by_hour],
    }
