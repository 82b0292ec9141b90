"""Reads of online hall accounts (issue 19 item 1): agents, the enterprises an agent acts for,
the open sessions of an account."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from govhall.online.models import AccountSession, ApplicantAccount, EnterpriseAgent


def enterprise_agents(enterprise: ApplicantAccount) -> QuerySet[EnterpriseAgent]:
    """The current agents of an enterprise account."""
    return (
        EnterpriseAgent.objects.filter(enterprise=enterprise, removed_at__isnull=True)
        .select_related("person")
        .order_by("added_at", "id")
    )


def agent_enterprises(person: ApplicantAccount) -> QuerySet[ApplicantAccount]:
    """The enterprises a citizen account is an agent of now."""
    return ApplicantAccount.objects.filter(
        agents__person=person, agents__removed_at__isnull=True, is_active=True
    ).order_by("name", "id")


def open_sessions(
    account: ApplicantAccount, *, at: datetime.datetime | None = None
) -> QuerySet[AccountSession]:
    """The signed-in devices of an account, newest first."""
    return AccountSession.objects.filter(
        account=account, ended_at__isnull=True, expires_at__gt=at or timezone.now()
    ).order_by("-last_seen_at", "-id")
