"""The event-name registry (issue 13): every app registers its names at start, one tense, no
name twice, and the log refuses a name nobody registered once enforcement is on."""

import importlib
import re

import pytest
from django.apps import apps

from govhall.core.events import CoreEvent, record_event, registered_events
from govhall.org.events import OrgEvent
from govhall.workdays.events import WorkdaysEvent

NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _event_classes() -> list[type]:
    """Every `<App>Event` class of the installed govhall apps (their events.py)."""
    found = [CoreEvent]
    for config in apps.get_app_configs():
        if not config.name.startswith("govhall.") or config.label == "core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.events")
        except ModuleNotFoundError:
            continue
        found += [
            value
            for name, value in vars(module).items()
            if name.endswith("Event") and isinstance(value, type) and hasattr(value, "choices")
        ]
    return found


def test_core_workdays_and_org_names_are_registered_at_start():
    registered = registered_events()
    for names in (CoreEvent, WorkdaysEvent, OrgEvent):
        assert names.values, names
        for value in names.values:
            assert value in registered, value


def test_every_registered_name_is_noun_dot_verb():
    bad = [name for name in registered_events() if not NAME.match(name)]
    assert bad == []


def test_no_name_is_listed_twice_across_apps():
    values = [value for names in _event_classes() for value in names.values]
    assert len(values) > 20
    duplicates = sorted({value for value in values if values.count(value) > 1})
    assert duplicates == []


def test_every_app_events_class_is_registered():
    registered = registered_events()
    missing = [
        value for names in _event_classes() for value in names.values if value not in registered
    ]
    assert missing == []


@pytest.mark.django_db
def test_record_event_refuses_an_unknown_name(director, county):
    with pytest.raises(ValueError, match="unregistered"):
        record_event(actor=director, action="center.updated", obj=county)
    event = record_event(actor=director, action=CoreEvent.USER_CHANGE_PASSWORD, obj=director)
    assert event.action == "user.change_password"
