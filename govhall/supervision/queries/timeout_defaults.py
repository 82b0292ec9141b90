"""The cases passed by timeout default (超时默认) in a user's center subtree, newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from govhall.cases.models import Case
from govhall.org.access.scope import centers_in_scope


def timeout_default_cases(user: object) -> QuerySet[Case]:
    return (
        Case.objects.filter(timeout_default_at__isnull=False, center__in=centers_in_scope(user))
        .select_related("center", "item", "department", "window")
        .order_by("-timeout_default_at", "-pk")
    )
