"""Workbench pages of the queue (排队叫号, SPEC §7; seeds/000… 篇3 排队叫号): the clerk's calling
console, today's line at the front desk, the service groups and the waiting-time figures.

The console and the line are htmx panels that redraw themselves every few seconds and after
each action; their buttons are the transition table's rows the service allows
(`govhall.frontdesk.queries.queue.allowed_actions`). Views read through the queue queries and
change through `govhall.frontdesk.services`; they hold no rules of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.idnumbers import mask_phone
from govhall.core.models import User
from govhall.core.push import center_channel
from govhall.frontdesk.access.tickets import (
    access_queue_group,
    access_queue_window,
    access_ticket,
    can_act_on_tickets,
    can_manage_groups,
    can_read_queue_stats,
    can_use_console,
)
from govhall.frontdesk.models import ServiceGroup, Ticket
from govhall.frontdesk.queries.board import people_ahead
from govhall.frontdesk.queries.queue import (
    DANGEROUS,
    allowed_actions,
    center_line,
    console_state,
    group_window_mismatches,
    no_show_actions,
    queue_stats,
    waiting_actions,
    waiting_not_accepted,
)
from govhall.frontdesk.services.groups import group_create, group_update, groups_build
from govhall.frontdesk.services.overtime import open_overtime, overtime_start_refusal
from govhall.frontdesk.services.tickets import (
    TicketConflict,
    ticket_act,
    ticket_call_next,
    ticket_take,
)
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Window
from govhall.portal.streams import (
    db_moment,
    event_stream_response,
    is_async_server,
    pushed_events,
)
from govhall.workbench.org.forms import show_errors
from govhall.workbench.queue.forms import GroupForm, StatsForm, TakeForm, TransferForm
from govhall.workbench.request_input import staff_user

# Seconds between two redraws of the console and the line (htmx polling).
CONSOLE_REFRESH_SECONDS = 4
# While the console's push stream is open (ASGI), the panel redraws on each push and polls only
# every this many seconds (govhall/queue.js), as a safety net.
CONSOLE_PUSHED_REFRESH_SECONDS = 60
LINE_REFRESH_SECONDS = 8

Flash = tuple[str, str]  # (level: ok / warn / bad, text)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require(request: HttpRequest, allowed: Callable[[object], bool]) -> User:
    """The signed-in staff user if `allowed` (a `can_*` question of frontdesk.access), else 404.
    The menu asks the same question (workbench.navigation)."""
    user = staff_user(request)
    if not allowed(user):
        raise Http404
    return user


def _center(request: HttpRequest, raw: str = "") -> Center:
    """?center=<id> within scope, else the user's own center."""
    raw = raw or request.GET.get("center", "")
    if raw:
        return access_center(request.user, raw)
    scope = scope_of(request.user)
    if scope.root is None:
        raise Http404
    return scope.root


def _picker(request: HttpRequest) -> QuerySet[Center]:
    return centers_in_scope(request.user).order_by("path")[:300]


def _targets(center_ids: set[int]) -> dict[int, tuple[list[ServiceGroup], list[Window]]]:
    """The groups and windows a ticket of each center can be transferred to (two queries)."""
    groups = ServiceGroup.objects.filter(center_id__in=center_ids, is_active=True).order_by(
        "position", "letter"
    )
    windows = Window.objects.filter(center_id__in=center_ids, is_active=True).order_by("number")
    answer: dict[int, tuple[list[ServiceGroup], list[Window]]] = {pk: ([], []) for pk in center_ids}
    for group in groups:
        answer[group.center_id][0].append(group)
    for window in windows:
        answer[window.center_id][1].append(window)
    return answer


def _message_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _flash_to_messages(request: HttpRequest, flash: Flash | None) -> None:
    if flash is None:
        return
    level, text = flash
    {"ok": messages.success, "warn": messages.warning, "bad": messages.error}[level](request, text)


# --- the calling console ----------------------------------------------------------------------


def _console_context(
    user: User, flash: Flash | None = None, confirm_no_show: int | None = None
) -> dict[str, Any]:
    """The console; `confirm_no_show` (a ticket id) asks the clerk to confirm a 过号 first: the
    panel then waits for the answer instead of redrawing itself."""
    now = timezone.now()
    windows = console_state(user, now)
    targets = _targets({entry.window.center_id for entry in windows if entry.ticket})
    confirming = False
    for entry in windows:
        entry_any: Any = entry
        entry_any.transfer_form = None
        entry_any.buttons = []
        entry_any.confirm_no_show = False
        entry_any.missed_buttons = [
            {"action": row.action, "label": TicketAction(row.action).label}
            for row in entry.missed_actions
        ]
        # 延时服务 (issue 21 item 6): "finish the line" after closing while people wait.
        entry_any.overtime = open_overtime(entry.window)
        entry_any.can_finish_line = (
            entry_any.overtime is None and overtime_start_refusal(user, entry.window, now) is None
        )
        if entry.ticket is None:
            continue
        if entry.ticket.pk == confirm_no_show and any(
            row.action == TicketAction.NO_SHOW for row in entry.actions
        ):
            entry_any.confirm_no_show = confirming = True
        groups, all_windows = targets[entry.window.center_id]
        for row in entry.actions:
            if row.action == TicketAction.TRANSFER:
                entry_any.transfer_form = TransferForm(
                    groups=[g for g in groups if g.pk != entry.ticket.group_id],
                    windows=[w for w in all_windows if w.pk != entry.window.pk],
                    initial={"expected_status": entry.ticket.status},
                    prefix=f"t{entry.ticket.pk}",
                )
            else:
                entry_any.buttons.append(
                    {
                        "action": row.action,
                        "label": TicketAction(row.action).label,
                        "danger": row.action in DANGEROUS,
                    }
                )
    return {
        "windows": windows,
        "now": now,
        "flash": flash,
        "refresh_seconds": CONSOLE_REFRESH_SECONDS,
        "confirming": confirming,
        "undo_minutes": settings.GOVHALL_NO_SHOW_UNDO_MINUTES,
    }


def _console_response(request: HttpRequest, user: User, flash: Flash | None) -> HttpResponse:
    if _is_htmx(request):
        return render(
            request, "workbench/frontdesk/queue/_console.html", _console_context(user, flash)
        )
    _flash_to_messages(request, flash)
    return HttpResponseRedirect(reverse("workbench:queue_console"))


def _confirm_no_show(request: HttpRequest, user: User, ticket: Ticket) -> HttpResponse:
    """The first step of a 过号 from the console: the same console, asking to confirm."""
    context = _console_context(user, confirm_no_show=ticket.pk)
    if _is_htmx(request):
        return render(request, "workbench/frontdesk/queue/_console.html", context)
    return render(request, "workbench/frontdesk/queue/console.html", context)


@login_required
def console(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_use_console)
    return render(request, "workbench/frontdesk/queue/console.html", _console_context(user))


@login_required
def console_panel(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_use_console)
    return render(request, "workbench/frontdesk/queue/_console.html", _console_context(user))


def _console_center(request: HttpRequest) -> Center:
    _require(request, can_use_console)
    return _center(request)


@login_required
async def console_push(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The console's push (issue 20): an event named "queue" whenever the clerk's center was
    notified of a change (and every CONSOLE_PUSHED_REFRESH_SECONDS), on which the page redraws
    its panel (govhall/queue.js) instead of polling it. Under WSGI (the dev server) 204: the
    panel keeps polling every CONSOLE_REFRESH_SECONDS."""
    if not is_async_server(request):
        return HttpResponse(status=204)
    center = await db_moment(_console_center)(request)
    return event_stream_response(
        pushed_events(
            event="queue",
            key=("console", center.pk),
            channels=[center_channel(center.pk)],
            state=lambda now: {"at": now.isoformat()},
            seconds=float(settings.GOVHALL_BOARD_STREAM_SECONDS),
            refresh_seconds=CONSOLE_PUSHED_REFRESH_SECONDS,
        )
    )


@login_required
@require_POST
def call_next(request: HttpRequest, window_id: int) -> HttpResponse:
    user = _require(request, can_use_console)
    window = access_queue_window(user, window_id)
    flash: Flash
    try:
        ticket = ticket_call_next(actor=user, window=window)
    except TicketConflict as error:
        flash = ("warn", _message_of(error))
    except ValidationError as error:
        flash = ("bad", _message_of(error))
    else:
        others = waiting_not_accepted(window, timezone.localdate()) if ticket is None else 0
        if ticket is None and others:
            flash = (
                "warn",
                _(
                    "Nobody is waiting for a matter %(window)s accepts; %(n)d waiting ticket(s) "
                    "of its groups are for matters other windows take."
                )
                % {"window": str(window), "n": others},
            )
        elif ticket is None:
            flash = ("warn", _("Nobody is waiting for %(window)s.") % {"window": str(window)})
        else:
            flash = (
                "ok",
                _("Ticket %(number)s called to window %(window)d.")
                % {"number": ticket.number, "window": window.number},
            )
    return _console_response(request, user, flash)


def _act(request: HttpRequest, user: User, ticket: Ticket, action: str) -> Flash:
    """Take `action` on `ticket` from a posted button or transfer form."""
    expected = request.POST.get("expected_status") or None
    to_group: ServiceGroup | None = None
    to_window: Window | None = None
    if action == TicketAction.TRANSFER:
        groups, windows = _targets({ticket.center_id})[ticket.center_id]
        form = TransferForm(
            request.POST,
            groups=groups,
            windows=windows,
            prefix=request.POST.get("prefix") or f"t{ticket.pk}",
        )
        if not form.is_valid():
            return ("bad", _("Choose where the ticket goes."))
        to_group, to_window = form.target()
        expected = form.cleaned_data["expected_status"] or expected
    try:
        done = ticket_act(
            actor=user,
            ticket=ticket,
            action=action,
            to_group=to_group,
            to_window=to_window,
            expected_status=expected,
        )
    except TicketConflict as error:
        return ("warn", _message_of(error))
    except ValidationError as error:
        return ("bad", _message_of(error))
    if action == TicketAction.REQUEUE:
        return (
            "ok",
            _("Ticket %(number)s is back in line: %(ahead)d people ahead.")
            % {"number": done.number, "ahead": people_ahead(done)},
        )
    return (
        "ok",
        _("Ticket %(number)s: %(action)s done.")
        % {"number": done.number, "action": TicketAction(action).label},
    )


@login_required
@require_POST
def ticket_action(request: HttpRequest, ticket_id: int, action: str) -> HttpResponse:
    """One action on a ticket, from the console (default) or from the line (`from=line`)."""
    from_line = request.POST.get("from") == "line"
    user = _require(request, can_act_on_tickets if from_line else can_use_console)
    ticket = access_ticket(user, ticket_id, for_write=True)
    if action not in TicketAction.values or action == TicketAction.CALL:
        raise Http404
    if (
        action == TicketAction.NO_SHOW
        and not from_line
        and request.POST.get("confirmed") != "1"
        and request.POST.get("expected_status", ticket.status) == ticket.status
        and any(row.action == action for row in allowed_actions(user, ticket))
    ):
        # Asked first; a refused or stale one is answered by the service below.
        return _confirm_no_show(request, user, ticket)
    flash = _act(request, user, ticket, action)
    if from_line:
        return _line_response(request, user, ticket.center, flash)
    return _console_response(request, user, flash)


# --- today's line -----------------------------------------------------------------------------


def _line_context(user: User, center: Center, flash: Flash | None = None) -> dict[str, Any]:
    now = timezone.now()
    lines = center_line(center, timezone.localdate(now))
    actions = waiting_actions(user, center, now)
    groups, windows = _targets({center.pk})[center.pk]
    for line in lines:
        line_any: Any = line
        line_any.rows = [
            {
                "ticket": ticket,
                "phone": mask_phone(ticket.phone) if ticket.phone else "",
                "ahead": position,
            }
            for position, ticket in enumerate(line.waiting)
        ]
        line_any.transfer_groups = [g for g in groups if g.pk != line.group.pk]
    return {
        "center": center,
        "lines": lines,
        "can_cancel": TicketAction.CANCEL in actions,
        "can_transfer": TicketAction.TRANSFER in actions,
        "can_confirm_priority": TicketAction.CONFIRM_PRIORITY in actions,
        "can_requeue": TicketAction.REQUEUE in no_show_actions(user, center, now),
        "windows": windows,
        "all_groups": groups,
        "flash": flash,
        "now": now,
        "refresh_seconds": LINE_REFRESH_SECONDS,
        "waiting_total": sum(len(line.waiting) for line in lines),
    }


def _line_url(center: Center) -> str:
    return reverse("workbench:queue_line") + "?" + urlencode({"center": center.pk})


def _line_response(
    request: HttpRequest, user: User, center: Center, flash: Flash | None
) -> HttpResponse:
    if _is_htmx(request):
        return render(
            request, "workbench/frontdesk/queue/_line.html", _line_context(user, center, flash)
        )
    _flash_to_messages(request, flash)
    return HttpResponseRedirect(_line_url(center))


@login_required
def line(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_act_on_tickets)
    center = _center(request)
    status = 200
    form = TakeForm(center=center)
    if request.method == "POST":
        form = TakeForm(request.POST, center=center)
        if form.is_valid():
            try:
                ticket = ticket_take(
                    actor=user,
                    group=form.cleaned_data["group"],
                    priority=form.cleaned_data["priority"],
                    phone=form.cleaned_data["phone"],
                    item=form.cleaned_data["item"],
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Ticket %(number)s issued: %(ahead)d people ahead.")
                    % {"number": ticket.number, "ahead": people_ahead(ticket)},
                )
                return HttpResponseRedirect(_line_url(center))
        status = 400
    context = _line_context(user, center)
    context.update({"take_form": form, "centers": _picker(request)})
    return render(request, "workbench/frontdesk/queue/line.html", context, status=status)


@login_required
def line_panel(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_act_on_tickets)
    center = _center(request)
    return render(request, "workbench/frontdesk/queue/_line.html", _line_context(user, center))


# --- service groups ---------------------------------------------------------------------------


def _require_group_manager(request: HttpRequest) -> User:
    return _require(request, can_manage_groups)


def _groups_url(center: Center) -> str:
    return reverse("workbench:queue_groups") + "?" + urlencode({"center": center.pk})


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    _require_group_manager(request)
    center = _center(request)
    rows = (
        ServiceGroup.objects.filter(center=center)
        .select_related("department")
        .annotate(
            window_count=Count("windows", distinct=True), item_count=Count("items", distinct=True)
        )
        .order_by("position", "letter")
    )
    return render(
        request,
        "workbench/frontdesk/queue/groups.html",
        {
            "center": center,
            "centers": _picker(request),
            "groups": rows,
            "mismatches": group_window_mismatches(center),
        },
    )


def _group_form_page(
    request: HttpRequest, user: User, center: Center, group: ServiceGroup | None
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = GroupForm(request.POST, center=center)
        if form.is_valid():
            windows = list(form.cleaned_data["windows"])
            items = list(form.cleaned_data["items"])
            try:
                if group is None:
                    saved = group_create(
                        actor=user,
                        center=center,
                        windows=windows,
                        items=items,
                        **form.service_fields(),
                    )
                else:
                    saved = group_update(
                        actor=user,
                        group=group,
                        windows=windows,
                        items=items,
                        **form.service_fields(),
                    )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Group %(group)s saved.") % {"group": str(saved)})
                return HttpResponseRedirect(_groups_url(center))
        status = 400
    elif group is not None:
        form = GroupForm(initial=GroupForm.initial_of(group), center=center)
    else:
        form = GroupForm(center=center)
    title = _("New service group") if group is None else str(group)
    return render(
        request,
        "workbench/frontdesk/queue/group_form.html",
        {"form": form, "title": title, "center": center, "group": group},
        status=status,
    )


@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    user = _require_group_manager(request)
    center = access_center(
        user, request.POST.get("center") or request.GET.get("center") or _center(request).pk
    )
    return _group_form_page(request, user, center, None)


@login_required
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _require_group_manager(request)
    group = access_queue_group(user, group_id, for_write=True)
    return _group_form_page(request, user, group.center, group)


@login_required
@require_POST
def group_build(request: HttpRequest) -> HttpResponse:
    user = _require_group_manager(request)
    center = access_center(user, request.POST.get("center", ""))
    try:
        built = groups_build(actor=user, center=center)
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(
            request,
            _("%(n)d groups built or completed from the windows' items.") % {"n": len(built)},
        )
    return HttpResponseRedirect(_groups_url(center))


# --- waiting and service times ----------------------------------------------------------------


def _chart(stats: Any) -> dict[str, Any]:
    """The series of the wait-by-hour chart (ECharts), from the hour rows."""
    return {
        "hours": [row.label for row in stats.by_hour],
        "taken": [row.taken for row in stats.by_hour],
        "wait_avg": [row.wait_avg_minutes for row in stats.by_hour],
        "wait_max": [row.wait_max_minutes for row in stats.by_hour],
        "service_avg": [row.service_avg_minutes for row in stats.by_hour],
        "labels": {
            "taken": _("Tickets taken"),
            "wait_avg": _("Average wait (min)"),
            "wait_max": _("Longest wait (min)"),
            "service_avg": _("Average service (min)"),
            "minutes": _("minutes"),
            "tickets": _("tickets"),
        },
    }


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_read_queue_stats)
    center = _center(request)
    first, last = StatsForm.default_range()
    status = 200
    if "first" in request.GET or "last" in request.GET:
        form = StatsForm(request.GET)
        if form.is_valid():
            first, last = form.cleaned_data["first"], form.cleaned_data["last"]
        else:
            status = 400
    else:
        form = StatsForm(initial={"first": first, "last": last})
    figures = (
        queue_stats(center, first, last, department_id=scope_of(user).department_id)
        if status == 200
        else None
    )
    return render(
        request,
        "workbench/frontdesk/queue/stats.html",
        {
            "center": center,
            "centers": _picker(request),
            "form": form,
            "stats": figures,
            "chart": _chart(figures) if figures else None,
            "first": first,
            "last": last,
        },
        status=status,
    )
