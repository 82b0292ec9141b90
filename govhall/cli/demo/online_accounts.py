"""Demo accounts of the online hall (issue 19 item 1): a verified citizen linked to a demo
applicant who has cases, and a verified enterprise (also a demo applicant) with that citizen as
its agent (经办人). Both sign in at /account/login/ with ONLINE_DEMO_PASSWORD (the house password
rules refuse the staff's demo-2026 for being short). Idempotent: nothing happens when the
citizen's phone has an account already, or before the demo cases are there."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from govhall.cases.models import Applicant
from govhall.online.models import AccountKind, ApplicantAccount
from govhall.online.services.accounts import agent_add

ONLINE_DEMO_PASSWORD = "Online-2026"
CITIZEN_PHONE = "13900000001"
ENTERPRISE_PHONE = "13900000002"


def _busiest(kind: str) -> Applicant | None:
    """The demo applicant of `kind` with the most cases and no account yet."""
    return (
        Applicant.objects.filter(kind=kind, online_accounts__isnull=True)
        .exclude(id_number__in=ApplicantAccount.objects.values("id_number"))
        .annotate(n=Count("cases"))
        .order_by("-n", "id")
        .first()
    )


def _account(applicant: Applicant, *, kind: str, phone: str) -> ApplicantAccount:
    return ApplicantAccount.objects.create(
        kind=kind,
        phone=phone,
        name=applicant.name,
        id_number=applicant.id_number,
        legal_representative=applicant.legal_representative,
        password=make_password(ONLINE_DEMO_PASSWORD),
        applicant=applicant,
        verified_at=timezone.now(),
    )


@transaction.atomic
def load_demo_online_accounts() -> int:
    """Returns how many accounts were made."""
    if ApplicantAccount.objects.filter(kind=AccountKind.PERSON, phone=CITIZEN_PHONE).exists():
        return 0
    citizen = _busiest(AccountKind.PERSON)
    if citizen is None:
        return 0
    person = _account(citizen, kind=AccountKind.PERSON, phone=CITIZEN_PHONE)
    made = 1
    company = _busiest(AccountKind.ENTERPRISE)
    if company is not None:
        enterprise = _account(company, kind=AccountKind.ENTERPRISE, phone=ENTERPRISE_PHONE)
        agent_add(enterprise=enterprise, phone=person.phone, name=person.name)
        made += 1
    return made
