"""The event log: one registry of event names, and writing an event.

Every app names its events once, in its own `events.py`, as a `TextChoices` class whose values are
"<noun>.<verb>" in the imperative ("leave.approve", "attendance.sign_in") and whose labels are what
a timeline shows. The app registers that class in its `AppConfig.ready()`. `record_event` refuses a
name nobody registered, so a typo fails in the tests instead of writing a row no report counts.

Every service function calls `record_event` inside its transaction. A service writing several
events in one transaction may gather them into one INSERT with `deferred_events()` (intake).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.models import Event, User
from govhall.core.push import changed_on_commit


class CoreEvent(models.TextChoices):
    """The names core itself writes (accounts and API tokens); registered in CoreConfig.ready."""

    USER_CHANGE_PASSWORD = "user.change_password", _("Password changed")
    USER_ENROLL_OTP = "user.enroll_otp", _("Authenticator app enrolled")
    USER_RESET_OTP = "user.reset_otp", _("Authenticator apps reset")
    API_TOKEN_CREATE = "api_token.create", _("API token created")
    API_TOKEN_REVOKE = "api_token.revoke", _("API token revoked")


_REGISTERED: dict[str, Any] = {}


def register_events(names: type[models.TextChoices]) -> None:
    """Make an app's event names known (called from its AppConfig.ready)."""
    for value, label in names.choices:
        owner = _REGISTERED.get(value)
        assert owner is None or owner == label, f"event {value!r} registered twice"
        _REGISTERED[value] = label


def is_registered(action: str) -> bool:
    return action in _REGISTERED


def registered_events() -> dict[str, Any]:
    """{name: label} of every registered event."""
    return dict(_REGISTERED)


def event_label(action: str) -> str:
    """What a timeline shows for an event; the name itself only if nobody registered it."""
    label = _REGISTERED.get(action)
    return str(label) if label is not None else action


# Events written inside a `deferred_events()` scope wait here and go in one INSERT at its end.
_deferred: ContextVar[list[Event] | None] = ContextVar("govhall_deferred_events", default=None)


@contextlib.contextmanager
def deferred_events() -> Iterator[None]:
    """Inside this block `record_event` keeps each event (one per fact, in order; their `at` is
    the moment they are written) and the block's end writes them all with one INSERT. For a
    service that records several events in one transaction (intake: receive, accept, library,
    notice): use it INSIDE that transaction and around code that does not read the events back
    nor use an event's id. Nested scopes share the outermost one; nothing is written when the
    block raises (its transaction rolls back anyway)."""
    if _deferred.get() is not None:
        yield
        return
    pending: list[Event] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    record_events(pending)


def record_events(events: list[Event]) -> list[Event]:
    """Write events built by `build_event` (or kept by `deferred_events`) in one INSERT."""
    if not events:
        return []
    return Event.objects.bulk_create(events)


def build_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    center_id: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """The unsaved event `record_event` would write (same checks, same push on commit)."""
    if action not in _REGISTERED:
        raise ValueError(f"unregistered event name {action!r}: add it to the app's events.py")
    actor_pk = actor.pk if actor is not None and actor.is_authenticated else None
    event = Event(
        actor_id=actor_pk,
        action=str(action),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        center_id=center_id,
        note=note,
        data=data or {},
    )
    if center_id is not None:
        # Issue 20: the center's open screens (boards, rating screens, the big screen) hear of
        # the change once the transaction commits (one notification per transaction).
        changed_on_commit(center_id)
    return event


def record_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    center_id: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Write one event (kept for the scope's one INSERT inside `deferred_events()`)."""
    event = build_event(
        actor=actor, action=action, obj=obj, center_id=center_id, note=note, data=data
    )
    pending = _deferred.get()
    if pending is not None:
        pending.append(event)
    else:
        event.save(force_insert=True)
    return event
