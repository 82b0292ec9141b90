"""延时服务 (issue 21 item 6; seeds/002… 三(一)3): at or after closing a window whose line still
has people waiting finishes it, recorded as overtime.

The clerk serving the window (or its head) starts extended service (`overtime_start`); calling
goes on as before for the tickets taken before closing (no ticket is issued after closing,
`services.tickets`). When the window's line is empty and nothing is at hand the record closes
by itself after a finish (`overtime_close_if_done`, from `ticket_act` and `ticket_call_next`),
or the clerk ends it (`overtime_end`). The closed record keeps the window, who served, the day,
the closing time, start and end, the minutes after closing and the tickets served.
"""

from __future__ import annotations

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, StateRefusal, refusal_error
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import Overtime, ServiceGroup, Ticket, TicketStatus
from govhall.frontdesk.models.queue import ACTIVE_TICKET_STATUSES
from govhall.frontdesk.queries.hours import after_closing, closing_moment
from govhall.frontdesk.services.standing import manages
from govhall.org.models import Window
from govhall.staffing.queries.cover import serves_window


class OvertimeConflict(Conflict):
    """Extended service is already running at the window, or already ended."""


def window_waiting(window: Window, day: datetime.date) -> QuerySet[Ticket]:
    """The tickets of `day` still waiting in `window`'s line (its groups, or sent to it)."""
    groups = ServiceGroup.objects.filter(windows=window.pk, is_active=True).values_list(
        "pk", flat=True
    )
    return Ticket.objects.of_day(window.center_id, day).line_of_window(window.pk, groups)


def open_overtime(window: Window) -> Overtime | None:
    return Overtime.objects.filter(window_id=window.pk, ended_at__isnull=True).first()


def overtime_start_refusal(
    actor: User | None, window: Window, at: datetime.datetime | None = None
) -> str | None:
    """Why `actor` may not start extended service at `window` now, or None. The console's
    button asks the same."""
    now = at or timezone.now()
    if not serves_window(actor, window, now):
        return _("You do not serve %(window)s now.") % {"window": str(window)}
    center = window.center
    if not after_closing(center, now):
        return _(
            "Extended service starts after the hall closes (%(time)s) on a working day; "
            "until then the window serves as usual."
        ) % {"time": center.closing_time.strftime("%H:%M")}
    if open_overtime(window) is not None:
        return StateRefusal(_("Extended service is already running at this window."))
    day = timezone.localdate(now)
    busy = Ticket.objects.filter(window=window, status__in=ACTIVE_TICKET_STATUSES).exists()
    if not busy and not window_waiting(window, day).exists():
        return _("Nobody is waiting in this window's line; there is no line to finish.")
    return None


@transaction.atomic
def overtime_start(*, actor: User, window: Window, at: datetime.datetime | None = None) -> Overtime:
    """Start extended service at `window` (at or after closing, with people still waiting)."""
    now = at or timezone.now()
    window = Window.objects.select_for_update().select_related("center").get(pk=window.pk)
    refusal = overtime_start_refusal(actor, window, now)
    if refusal:
        raise refusal_error(refusal, conflict=OvertimeConflict)
    day = timezone.localdate(now)
    waiting = window_waiting(window, day).count()
    try:
        with transaction.atomic():
            overtime = Overtime.objects.create(
                center_id=window.center_id,
                window=window,
                day=day,
                closing_time=window.center.closing_time,
                started_at=now,
                started_by=actor,
                waiting_at_start=waiting,
            )
    except IntegrityError:
        raise OvertimeConflict(_("Extended service is already running at this window.")) from None
    overtime.staff.add(actor)
    record_event(
        actor=actor,
        action=FrontdeskEvent.OVERTIME_START,
        obj=overtime,
        center_id=window.center_id,
        data={"window": window.number, "waiting": waiting},
    )
    return overtime


def _close(overtime: Overtime, *, actor: User | None, now: datetime.datetime, auto: bool) -> None:
    served = Ticket.objects.filter(
        window_id=overtime.window_id,
        status=TicketStatus.DONE,
        finished_at__gte=overtime.started_at,
        finished_at__lte=now,
    )
    overtime.tickets_served = served.count()
    after = (now - closing_moment(overtime.window.center, overtime.day)).total_seconds()
    overtime.minutes = max(0, math.ceil(after / 60))
    overtime.ended_at = now
    overtime.ended_by = actor
    overtime.save(update_fields=["tickets_served", "minutes", "ended_at", "ended_by"])
    servers = set(served.exclude(called_by=None).values_list("called_by", flat=True))
    if servers:
        overtime.staff.add(*servers)
    record_event(
        actor=actor,
        action=FrontdeskEvent.OVERTIME_END,
        obj=overtime,
        center_id=overtime.center_id,
        data={
            "window": overtime.window.number,
            "minutes": overtime.minutes,
            "tickets": overtime.tickets_served,
            "automatic": auto,
        },
    )


def overtime_end_refusal(actor: User | None, overtime: Overtime) -> str | None:
    if overtime.ended_at is not None:
        return StateRefusal(_("This extended service has already ended."))
    if not (serves_window(actor, overtime.window, None) or manages(actor, overtime.center)):
        return _("You do not serve %(window)s now.") % {"window": str(overtime.window)}
    return None


@transaction.atomic
def overtime_end(
    *, actor: User, overtime: Overtime, at: datetime.datetime | None = None
) -> Overtime:
    """The clerk (or a manager of the center) ends extended service by hand."""
    now = at or timezone.now()
    locked = (
        Overtime.objects.select_for_update(of=("self",))
        .select_related("window__center", "center")
        .get(pk=overtime.pk)
    )
    refusal = overtime_end_refusal(actor, locked)
    if refusal:
        raise refusal_error(refusal, conflict=OvertimeConflict)
    if Ticket.objects.filter(window=locked.window, status__in=ACTIVE_TICKET_STATUSES).exists():
        raise ValidationError(_("Finish the ticket at hand first; then end extended service."))
    _close(locked, actor=actor, now=now, auto=False)
    return locked


def overtime_close_if_done(
    *, window: Window, actor: User | None, at: datetime.datetime
) -> Overtime | None:
    """After a finish, a no-show or an empty call at `window`: close its running extended
    service when nothing is at hand and nobody waits any more. Runs inside the caller's
    transaction; returns the closed record (or None)."""
    running = (
        Overtime.objects.select_for_update(of=("self",))
        .select_related("window__center")
        .filter(window_id=window.pk, ended_at__isnull=True)
        .first()
    )
    if running is None:
        return None
    if Ticket.objects.filter(window_id=window.pk, status__in=ACTIVE_TICKET_STATUSES).exists():
        return None
    if window_waiting(running.window, running.day).exists():
        return None
    _close(running, actor=actor, now=at, auto=True)
    return running
