"""Reading alerts: those in a user's scope (the board), those a person answers for (the inbox)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.core.models import Event
from govhall.core.roles import RECORD_READER_ROLES, Role, roles_of
from govhall.org.access.scope import can_use_workbench, centers_in_scope, scope_of
from govhall.org.models import Staff
from govhall.supervision.alert_transitions import AlertParty
from govhall.supervision.models import Alert, AlertStatus


def alerts_in_scope(user: object, *, live_only: bool = True) -> QuerySet[Alert]:
    qs = Alert.objects.filter(center__in=centers_in_scope(user)).select_related("rule", "case")
    return qs.live() if live_only else qs


def alerts_of(user: object) -> QuerySet[Alert]:
    """The live alerts `user` answers for."""
    pk = getattr(user, "pk", None)
    return Alert.objects.live().filter(responsible_id=pk).select_related("rule", "case")


# --- the inbox (issue 14 item 5) -----------------------------------------------------------------


def _leader_department(user: object, roles: frozenset[Role]) -> int | None:
    """The department a department leader leads (their own), else None."""
    pk = getattr(user, "pk", None)
    if Role.DEPT_LEADER not in roles or not isinstance(pk, int):
        return None
    return Staff.objects.filter(user_id=pk).values_list("department_id", flat=True).first()


class AlertViewer:
    """How one user stands to alerts: the parties of `alert_transitions` (the person
    responsible, or a decider: the head of the alert's window, a leader of its department, a
    hall director managing its center) and which alerts they see. Cached per user, so a list
    page asks the database once per question, not once per row."""

    def __init__(self, user: object) -> None:
        self.user = user
        self.pk = getattr(user, "pk", None)
        self.active = can_use_workbench(user)
        scope = scope_of(user)
        roles = roles_of(user)
        self.oversees = self.active and (scope.everything or bool(roles & RECORD_READER_ROLES))
        self.manages = self.active and scope.can_manage
        self.department_id = _leader_department(user, roles) if self.active else None
        self._centers: set[int] | None = None

    def centers(self) -> set[int]:
        if self._centers is None:
            self._centers = set(centers_in_scope(self.user).values_list("pk", flat=True))
        return self._centers

    def visible(self) -> Q:
        """The alerts the user sees: their own; those of windows they head; their department's
        (a department leader); their center subtree's (directors, supervisors, administrators)."""
        if not self.active or self.pk is None:
            return Q(pk__in=[])
        seen = Q(responsible_id=self.pk) | Q(window__head_id=self.pk)
        if self.oversees:
            seen |= Q(center__in=centers_in_scope(self.user))
        elif self.department_id is not None:
            seen |= Q(department_id=self.department_id, center__in=centers_in_scope(self.user))
        return seen

    def is_responsible(self, alert: Alert) -> bool:
        return self.pk is not None and alert.responsible_id == self.pk

    def is_decider(self, alert: Alert) -> bool:
        """Decides on the alert's explanation: never the person responsible themselves."""
        if not self.active or self.pk is None or self.is_responsible(alert):
            return False
        window = alert.window if alert.window_id is not None else None
        if window is not None and window.head_id == self.pk:
            return True
        if (
            self.department_id is not None
            and alert.department_id == self.department_id
            and alert.center_id in self.centers()
        ):
            return True
        return self.manages and alert.center_id in self.centers()

    def parties(self, alert: Alert) -> frozenset[str]:
        found: set[str] = set()
        if self.is_responsible(alert):
            found.add(AlertParty.RESPONSIBLE.value)
        if self.is_decider(alert):
            found.add(AlertParty.DECIDER.value)
        return frozenset(found)


class InboxBox(models.TextChoices):
    ALL = "all", _("All I see")
    MINE = "mine", _("Mine")
    TO_DECIDE = "decide", _("Explanations to decide")


def alert_inbox(
    user: object,
    *,
    box: str = InboxBox.ALL,
    level: str | None = None,
    status: str | None = None,
    live: bool | None = True,
    viewer: AlertViewer | None = None,
) -> QuerySet[Alert]:
    """The inbox of `user` (`AlertViewer.visible`), newest first: `box` "mine" keeps the alerts
    they answer for, "decide" the explanations waiting for a decider (not their own); `live`
    True only live alerts, False only withdrawn ones, None both."""
    viewer = viewer or AlertViewer(user)
    qs = Alert.objects.filter(viewer.visible())
    if box == InboxBox.MINE:
        qs = qs.filter(responsible_id=viewer.pk)
    elif box == InboxBox.TO_DECIDE:
        qs = qs.filter(status=AlertStatus.EXPLAINED).exclude(responsible_id=viewer.pk)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if live is True:
        qs = qs.live()
    elif live is False:
        qs = qs.filter(withdrawn_at__isnull=False)
    return qs.select_related(
        "rule", "case", "responsible", "window", "department", "center"
    ).order_by("-raised_at", "-id")


def alert_timeline(alert: Alert) -> QuerySet[Event]:
    """The events of one alert, oldest first (raised, acknowledged, explained, decided...)."""
    return (
        Event.objects.filter(object_type=Alert._meta.label_lower, object_id=str(alert.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
