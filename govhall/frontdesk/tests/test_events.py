"""The front desk's event names (issue 13): one registry (`govhall/frontdesk/events.py`), one
tense, every name the services write registered (the renaming migration is checked with the
others in core/tests/test_event_renames.py)."""

from __future__ import annotations

import pathlib
import re
from typing import Any

import pytest
from django.utils import timezone

from govhall.core.events import record_event, registered_events
from govhall.core.models import Event
from govhall.frontdesk.events import TICKET_ACTION_EVENTS, FrontdeskEvent
from govhall.frontdesk.services.inquiries import inquiry_log
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction

FRONTDESK = pathlib.Path(__file__).resolve().parents[1]
# What a past participle looks like at the end of a verb ("logged", "finished", "viewed").
PAST = re.compile(r"(ed|_viewed)$")


def test_every_frontdesk_name_is_registered_and_imperative():
    registered = registered_events()
    for value in FrontdeskEvent.values:
        assert value in registered, value
        noun, _dot, verb = value.partition(".")
        assert noun in {
            "ticket",
            "queue",
            "phone_code",
            "appointment",
            "inquiry",
            "hall_notice",
            "overtime",
            "home_visit",
            "key_project",
        }, value
        assert not PAST.search(verb), value


def test_services_write_the_registry_constants_not_string_literals():
    literal = re.compile(r"action=f?[\"']")
    offenders = [
        f"{path.relative_to(FRONTDESK)}:{number}"
        for path in FRONTDESK.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []


def test_every_ticket_action_has_its_event():
    assert set(TICKET_ACTION_EVENTS) == set(TicketAction.values)
    assert {event.value for event in TICKET_ACTION_EVENTS.values()} <= set(FrontdeskEvent.values)


@pytest.mark.django_db
@pytest.mark.usefixtures("hall_open")
def test_a_day_at_the_desk_writes_only_registered_names(
    queue_groups: Any, hall_window: Any, clerk: Any, guide: Any, county: Any
) -> None:
    before = Event.objects.count()  # the fixtures' own events
    now = timezone.now()
    first = ticket_take(group=queue_groups["A"], at=now)
    ticket_take(group=queue_groups["A"], at=now)
    called = ticket_call_next(actor=clerk, window=hall_window, at=now)
    assert called is not None and called.pk == first.pk
    ticket_act(actor=clerk, ticket=called, action=TicketAction.START, at=now)
    ticket_act(actor=clerk, ticket=called, action=TicketAction.FINISH, at=now)
    second = ticket_call_next(actor=clerk, window=hall_window, at=now)
    assert second is not None
    ticket_act(actor=clerk, ticket=second, action=TicketAction.NO_SHOW, at=now)
    inquiry_log(
        actor=guide,
        center=county,
        channel="visit",
        matter="问路",
        outcome="answered",
        answer="二楼",
    )
    written = list(Event.objects.order_by("id").values_list("action", flat=True))[before:]
    assert written == [
        "ticket.take",
        "ticket.take",
        "ticket.call",
        "ticket.start",
        "ticket.finish",
        "ticket.call",
        "ticket.mark_no_show",
        "inquiry.log",
    ]
    with pytest.raises(ValueError, match="unregistered"):
        record_event(actor=guide, action="inquiry.logged", obj=first)
