"""Service occasions to rate, written straight to the database: a finished queue ticket and a
delivered case (with its delivery event), for the rating tests (issue 15 item 1)."""

from __future__ import annotations

import datetime
import itertools
import secrets
from typing import Any

from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketStatus
from govhall.org.models import Window
from govhall.testing.cases import make_case

_serial = itertools.count(1)


def done_ticket(
    group: ServiceGroup,
    window: Window,
    clerk: User | None,
    *,
    finished: datetime.datetime | None = None,
    status: str = TicketStatus.DONE,
    **fields: Any,
) -> Ticket:
    """A ticket of `group` called by `clerk` at `window` and finished at `finished`."""
    finished = finished or timezone.now()
    serial = next(_serial)
    day = timezone.localdate(finished)
    return Ticket.objects.create(
        center=group.center,
        group=group,
        service_date=day,
        serial=serial,
        number=f"{group.letter}{serial:03d}",
        token=secrets.token_hex(8),
        status=status,
        taken_at=finished - datetime.timedelta(minutes=30),
        queued_at=finished - datetime.timedelta(minutes=30),
        called_at=finished - datetime.timedelta(minutes=10),
        finished_at=finished if status == TicketStatus.DONE else None,
        window=window,
        called_by=clerk,
        **fields,
    )


def delivered_case(
    item: ServiceItem,
    window: Window | None,
    *,
    delivered: datetime.datetime | None = None,
    delivered_by: User | None = None,
    received_by: User | None = None,
    **fields: Any,
) -> Case:
    """A case delivered at `delivered` by `delivered_by` (its `case.deliver` event), received
    by `received_by`."""
    delivered = delivered or timezone.now()
    case = make_case(
        item,
        window,
        status=CaseStatus.DELIVERED,
        received=delivered - datetime.timedelta(days=3),
        received_by=received_by,
        delivered_at=delivered,
        completed_at=delivered,
        **fields,
    )
    if delivered_by is not None:
        record_event(actor=delivered_by, action="case.deliver", obj=case, center_id=case.center_id)
    return case
