"""The alert inbox: acknowledging, explaining (情况说明) and deciding on an explanation.

Entry points (keyword-only, each atomic):
def alert_acknowledge(*, actor, alert, expected_version=None, at=None) -> Alert
def alert_explain(*, actor, alert, explanation, expected_version=None, at=None) -> Alert
def alert_accept(*, actor, alert, note="", expected_version=None, at=None) -> Alert
def alert_uphold(*, actor, alert, note, expected_version=None, at=None) -> Alert

Each checks its input first (422 with every message, nothing changed), then locks the alert,
refuses a stale `expected_version` (the version the page showed) as a `Conflict` (409), and asks
the transition table (`alert_transitions.py`) whether the actor may take the action from the
alert's status now: a status that no longer allows it is a `Conflict`, the wrong person a
ValidationError; an alert the actor does not see is 404. A decision tells the person responsible
by SMS after commit. Accepting restores the points: `Alert.objects.counting()` leaves accepted
alerts out of every score.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.supervision.alert_transitions import (
    ALERT_TRANSITIONS,
    DECISIONS,
    AlertAction,
    AlertParty,
)
from govhall.supervision.events import SupervisionEvent
from govhall.supervision.models import Alert, AlertStatus
from govhall.supervision.queries.alerts import AlertViewer

EXPLANATION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 300

ACTION_EVENTS = {
    AlertAction.ACKNOWLEDGE: SupervisionEvent.ALERT_ACKNOWLEDGE,
    AlertAction.EXPLAIN: SupervisionEvent.ALERT_EXPLAIN,
    AlertAction.ACCEPT: SupervisionEvent.ALERT_ACCEPT,
    AlertAction.UPHOLD: SupervisionEvent.ALERT_UPHOLD,
}


# --- the state machine ----------------------------------------------------------------------


def _guard_live(alert: Alert) -> str:
    if alert.withdrawn_at is not None:
        return StateRefusal(_("This alert was withdrawn; it needs nothing more."))
    return ""


ALERT_GUARDS = {"live": _guard_live}


def _who_refusal(action: str, parties: frozenset[str]) -> str:
    if action in DECISIONS:
        if AlertParty.RESPONSIBLE in parties:
            return _("Nobody decides on an explanation of their own alert.")
        return _(
            "Only the window head, a leader of the department or a hall director of the center "
            "decides on an explanation."
        )
    return _("Only the person responsible acknowledges or explains an alert.")


def alert_refusal(
    actor: object, alert: Alert, action: str, *, viewer: AlertViewer | None = None
) -> str | None:
    """Why `actor` may not take `action` on `alert` now (the table, its parties and guards), or
    None when allowed. A `StateRefusal` when the alert's state, not the actor, stands in the
    way."""
    parties = (viewer or AlertViewer(actor)).parties(alert)
    if not parties & ALERT_TRANSITIONS.who_may(action):
        return _who_refusal(action, parties)
    row = ALERT_TRANSITIONS.row(alert.status, action)
    if row is None:
        return StateRefusal(
            _("This alert is “%(status)s”; that is no longer possible. Reload the page.")
            % {"status": AlertStatus(alert.status).label}
        )
    if not parties & row.who:
        return _who_refusal(action, parties)
    if row.guard:
        return ALERT_GUARDS[row.guard](alert) or None
    return None


def alert_actions(
    user: object, alert: Alert, *, viewer: AlertViewer | None = None
) -> list[Transition]:
    """The rows `user` may take on `alert` now: the buttons of the alert page and the API's
    `actions`, exactly what the services accept."""
    viewer = viewer or AlertViewer(user)
    return [
        row
        for row in ALERT_TRANSITIONS.rows_from(alert.status)
        if alert_refusal(user, alert, row.action, viewer=viewer) is None
    ]


# --- the services ---------------------------------------------------------------------------

_NOW = object()  # a field set to the moment of the action


def _act(
    *,
    actor: User,
    alert: Alert,
    action: AlertAction,
    expected_version: object,
    at: datetime.datetime | None,
    errors: FieldErrors,
    fields: dict[str, object],
    note: str = "",
) -> Alert:
    version = errors.whole_number("version", expected_version, minimum=1)
    errors.raise_if_any()
    now = at or timezone.now()
    viewer = AlertViewer(actor)
    with transaction.atomic():
        locked = (
            Alert.objects.select_for_update(of=("self",))
            .select_related("rule", "window", "case", "responsible")
            .filter(viewer.visible(), pk=alert.pk)
            .first()
        )
        if locked is None:
            raise Http404
        if version is not None and version != locked.version:
            raise Conflict(
                {
                    "version": [
                        _(
                            "This alert changed since you opened it (it is now “%(status)s”); "
                            "reload the page."
                        )
                        % {"status": AlertStatus(locked.status).label}
                    ]
                },
                code="stale",
            )
        refusal = alert_refusal(actor, locked, action, viewer=viewer)
        if refusal:
            raise refusal_error(refusal)
        row = ALERT_TRANSITIONS.row(locked.status, action)
        assert row is not None and row.next_state is not None
        before = locked.status
        locked.status = row.next_state
        locked.version += 1
        stamped = {name: (now if value is _NOW else value) for name, value in fields.items()}
        for name, value in stamped.items():
            setattr(locked, name, value)
        if action == AlertAction.EXPLAIN and locked.acknowledged_at is None:
            stamped["acknowledged_at"] = locked.acknowledged_at = now  # explaining acknowledges
        locked.save(update_fields=["status", "version", *stamped])
        record_event(
            actor=actor,
            action=ACTION_EVENTS[action],
            obj=locked,
            center_id=locked.center_id,
            note=note,
            data={"from": before, "to": locked.status, "rule": locked.rule.code},
        )
        if action in DECISIONS:
            _tell_responsible(locked)
    # Keep the caller's object in step with the row.
    alert.refresh_from_db()
    return locked


def _tell_responsible(alert: Alert) -> None:
    """The person responsible learns the decision by SMS after commit."""
    responsible = alert.responsible
    phone = (responsible.phone if responsible is not None else "").strip()
    if not phone:
        return
    if alert.status == AlertStatus.ACCEPTED:
        text = _("Your explanation of supervision alert #%(id)s was accepted; points restored.")
    else:
        text = _("Supervision alert #%(id)s was upheld: %(note)s")
    text = text % {"id": alert.pk, "note": alert.decision_note}
    pk, center_id = alert.pk, alert.center_id

    def send() -> None:
        send_sms(
            to=phone,
            text=text,
            purpose="supervision.alert_decision",
            obj=Alert(pk=pk),
            center_id=center_id,
        )

    transaction.on_commit(send)


def alert_acknowledge(
    *,
    actor: User,
    alert: Alert,
    expected_version: object = None,
    at: datetime.datetime | None = None,
) -> Alert:
    """The person responsible has seen the alert."""
    return _act(
        actor=actor,
        alert=alert,
        action=AlertAction.ACKNOWLEDGE,
        expected_version=expected_version,
        at=at,
        errors=FieldErrors(),
        fields={"acknowledged_at": _NOW},
    )


def alert_explain(
    *,
    actor: User,
    alert: Alert,
    explanation: object,
    expected_version: object = None,
    at: datetime.datetime | None = None,
) -> Alert:
    """The person responsible explains what happened (情况说明, required, ≤ 2000 characters);
    a decider then accepts or upholds it."""
    errors = FieldErrors()
    text = errors.text(
        "explanation",
        explanation,
        max_length=EXPLANATION_MAX_LENGTH,
        required=_("Write what happened."),
    )
    fields: dict[str, object] = {
        "explanation": text,
        "explained_at": _NOW,
        "explained_by": actor,
    }
    return _act(
        actor=actor,
        alert=alert,
        action=AlertAction.EXPLAIN,
        expected_version=expected_version,
        at=at,
        errors=errors,
        fields=fields,
        note=text,
    )


def _decide(
    *,
    actor: User,
    alert: Alert,
    action: AlertAction,
    note: object,
    required: str,
    expected_version: object,
    at: datetime.datetime | None,
) -> Alert:
    errors = FieldErrors()
    text = errors.text("note", note, max_length=NOTE_MAX_LENGTH, required=required)
    return _act(
        actor=actor,
        alert=alert,
        action=action,
        expected_version=expected_version,
        at=at,
        errors=errors,
        fields={"decision_note": text, "decided_at": _NOW, "decided_by": actor},
        note=text,
    )


def alert_accept(
    *,
    actor: User,
    alert: Alert,
    note: object = "",
    expected_version: object = None,
    at: datetime.datetime | None = None,
) -> Alert:
    """Accept the explanation: the alert no longer counts on any score (points restored)."""
    return _decide(
        actor=actor,
        alert=alert,
        action=AlertAction.ACCEPT,
        note=note,
        required="",
        expected_version=expected_version,
        at=at,
    )


def alert_uphold(
    *,
    actor: User,
    alert: Alert,
    note: object,
    expected_version: object = None,
    at: datetime.datetime | None = None,
) -> Alert:
    """Uphold the alert despite the explanation, saying why (the note is required)."""
    return _decide(
        actor=actor,
        alert=alert,
        action=AlertAction.UPHOLD,
        note=note,
        required=_("Say why the alert is upheld."),
        expected_version=expected_version,
        at=at,
    )
