"""The event log: one registry of event names, and writing an event.

Every app names its events once, in its own `events.py`, as a `TextChoices` class whose values are
"<noun>.<verb>" in the imperative ("leave.approve", "attendance.sign_in") and whose labels are what
a timeline shows. The app registers that class in its `AppConfig.ready()`. `record_event` refuses a
name nobody registered, so a typo fails in the tests instead of writing a row no report counts.

Every service function calls `record_event` inside its transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.models import Event, User


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


def record_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    center_id: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    if action not in _REGISTERED:
        raise ValueError(f"unregistered event name {action!r}: add it to the app's events.py")
    actor_pk = actor.pk if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        actor_id=actor_pk,
        action=str(action),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        center_id=center_id,
        note=note,
        data=data or {},
    )
