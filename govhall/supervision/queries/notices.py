"""Reads for criticism notices: the alerts a notice may rest on, the people who have such alerts,
and a notice with what it rests on (for the list, the printed page and the API)."""

from __future__ import annotations

from django.db.models import QuerySet

from govhall.core.models import User
from govhall.org.access.scope import centers_in_scope
from govhall.supervision.access.board import can_issue_criticism_notices
from govhall.supervision.models import Alert, AlertQuerySet, CriticismNotice


def notice_grounds(actor: object, person_id: int | None = None) -> AlertQuerySet:
    """Alerts `actor` may rest a notice on: live, not excused, of the centers they manage (of
    `person_id` when given)."""
    if not can_issue_criticism_notices(actor):
        return Alert.objects.none()
    alerts = Alert.objects.counting().filter(
        center__in=centers_in_scope(actor), responsible__isnull=False
    )
    if person_id is not None:
        alerts = alerts.filter(responsible_id=person_id)
    return alerts.select_related("rule", "case", "window", "center").order_by("-raised_at", "-id")


def people_with_grounds(actor: object) -> QuerySet[User]:
    """The people with at least one alert a notice could rest on."""
    ids = notice_grounds(actor).order_by().values("responsible_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


def notice_list(notices: QuerySet[CriticismNotice]) -> QuerySet[CriticismNotice]:
    return notices.select_related("center", "person", "window", "issued_by").order_by(
        "-issued_at", "-id"
    )


def notice_alerts(notice: CriticismNotice) -> list[Alert]:
    return list(
        notice.alerts.select_related("rule", "case", "window").order_by("occurred_on", "id")
    )
