"""Reading alerts: those in a user's scope (the board), those a person answers for (the inbox)."""

from __future__ import annotations

from django.db.models import QuerySet

from govhall.org.access.scope import centers_in_scope
from govhall.supervision.models import Alert


def alerts_in_scope(user: object, *, live_only: bool = True) -> QuerySet[Alert]:
    qs = Alert.objects.filter(center__in=centers_in_scope(user)).select_related("rule", "case")
    return qs.live() if live_only else qs


def alerts_of(user: object) -> QuerySet[Alert]:
    """The live alerts `user` answers for."""
    pk = getattr(user, "pk", None)
    return Alert.objects.live().filter(responsible_id=pk).select_related("rule", "case")
