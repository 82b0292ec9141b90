"""Who may see and change supervision rules and alerts; fetching them by id (404 otherwise)."""

from __future__ import annotations

from django.http import Http404

from govhall.core.roles import is_system_admin
from govhall.org.access.scope import can_use_workbench
from govhall.supervision.models import Alert, AlertRule
from govhall.supervision.queries.alerts import AlertViewer


def can_edit_alert_rules(user: object) -> bool:
    """The rules hold for every center of the installation, so only those whose scope is the
    whole installation (system administrators, like the national holiday schedule) change them:
    a county director must not change another county's rules (per-center rules come later)."""
    return is_system_admin(user)


def can_view_alerts(user: object) -> bool:
    return can_use_workbench(user)


def access_alert_rule(user: object, rule_id: object, *, for_write: bool = False) -> AlertRule:
    allowed = can_edit_alert_rules(user) if for_write else can_view_alerts(user)
    try:
        pk = int(str(rule_id))
    except ValueError:
        raise Http404 from None
    rule = AlertRule.objects.filter(pk=pk).first() if allowed else None
    if rule is None:
        raise Http404
    return rule


def access_alert(user: object, alert_id: object) -> Alert:
    """One alert the user sees (`AlertViewer.visible`: their own, their window's, their
    department's as its leader, their center subtree's as director or supervisor), else 404."""
    try:
        pk = int(str(alert_id))
    except ValueError:
        raise Http404 from None
    alert = (
        Alert.objects.filter(AlertViewer(user).visible(), pk=pk)
        .select_related("rule", "case", "window", "responsible")
        .first()
        if can_view_alerts(user)
        else None
    )
    if alert is None:
        raise Http404
    return alert
