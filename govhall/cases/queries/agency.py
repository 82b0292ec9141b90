"""The cases an agent (代办员) carries (issue 19 item 6): their list and their home card."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, F, OuterRef

from govhall.cases.case_transitions import OPEN_STATUSES
from govhall.cases.models import Case, CaseMaterial, CaseQuerySet
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center


def carried_cases(user: User) -> CaseQuerySet:
    """The open cases `user` carries: 全程代办 first, then the nearest promised deadline."""
    pending = CaseMaterial.objects.filter(case=OuterRef("pk"), pending=True, received=False)
    return (
        Case.objects.filter(agent_id=user.pk, status__in=OPEN_STATUSES)
        .select_related("applicant", "item", "department", "center", "window")
        .annotate(has_pending=Exists(pending))
        .order_by("-agency_full", F("promised_due_on").asc(nulls_last=True), "received_at", "id")
    )


def carried_list(user: User) -> list[Case]:
    """One page of `carried_cases` (GOVHALL_AGENCY_LIST_MAX_ROWS): one query."""
    return list(carried_cases(user)[: settings.GOVHALL_AGENCY_LIST_MAX_ROWS])


def carried_count(user: User) -> int:
    return Case.objects.filter(agent_id=user.pk, status__in=OPEN_STATUSES).count()


def eligible_agents(case: Case) -> list[User]:
    """Who may carry `case`: active 代办员 at its center or below it (the agency rule)."""
    return agents_for_center(case.center)


def agents_for_center(center: Center) -> list[User]:
    """Who may carry a case of `center` (at intake, before the case exists)."""
    return list(
        User.objects.filter(
            is_active=True,
            groups__name=Role.AGENT.value,
            staff__center__path__startswith=center.path,
        )
        .select_related("staff__center")
        .order_by("staff__center__path", "full_name", "username")
        .distinct()
    )
