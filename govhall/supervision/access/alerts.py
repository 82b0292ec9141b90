"""Who may do what with a supervision alert (the parties of `alert_transitions`).

Fetching an alert by id is `access_alert` (`access/rules.py`): 404 for a missing one and for one
the user does not see (`queries.alerts.AlertViewer.visible`)."""

from __future__ import annotations

from govhall.org.access.scope import can_use_workbench
from govhall.supervision.models import Alert
from govhall.supervision.queries.alerts import AlertViewer


def can_read_alert_inbox(user: object) -> bool:
    """The inbox page: everyone working in the hall has one (their own alerts at least)."""
    return can_use_workbench(user)


def can_answer_alert(user: object, alert: Alert, *, viewer: AlertViewer | None = None) -> bool:
    """Acknowledges and explains: the person responsible only."""
    return (viewer or AlertViewer(user)).is_responsible(alert)


def can_decide_alert(user: object, alert: Alert, *, viewer: AlertViewer | None = None) -> bool:
    """Accepts or upholds an explanation: the head of the alert's window, a leader of its
    department or a hall director managing its center; never the person responsible."""
    return (viewer or AlertViewer(user)).is_decider(alert)
