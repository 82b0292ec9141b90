"""Timeout default (超时默认, issue 14 item 4; seeds/003… 福州): an overdue review or approval step
of an item flagged `overdue_defaults_to_approval` passes by itself.

Entry point:
def scan_timeout_defaults(*, now=None, full=False) -> ScanResult

One SQL query finds the cases (review or approval step over its limit, item flagged; the same
condition as the step scan); each goes through the case state machine as the system
(`govhall.cases.services.actions.case_pass_by_default`: the transition table's system row, its
guard, the limit checked again under the row lock, the event "case.pass_by_default", the decision
notice and the applicant's SMS). An overdue review passes to approval (which then has its own
limit); an overdue approval approves. The case keeps `timeout_default_at`; the hall directors of
its center get an SMS after commit, and see it on the workbench's timeout-default page.

Idempotent and safe with a concurrent run: a case acted on moved to another step, so the engine
refuses a second pass (`CaseConflict`, skipped); the step is passed once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Case
from govhall.cases.services.actions import case_pass_by_default
from govhall.cases.statuses import CaseStatus
from govhall.cases.steps import TIMEOUT_DEFAULT_STATUSES
from govhall.catalog.step_limits import Step
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.roles import Role
from govhall.supervision.services.scanning import ScanResult, scan_calendars
from govhall.supervision.services.step_scan import limits_in_use, over_limit_condition


def _directors_phones(center_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        User.objects.filter(
            is_active=True, groups__name=Role.DIRECTOR, staff__center_id__in=center_ids
        )
        .exclude(phone="")
        .values_list("staff__center_id", "phone")
    )
    for center, phone in rows:
        if phone.strip() not in found[center]:
            found[center].append(phone.strip())
    return found


def _tell_directors(case: Case, before: str) -> None:
    text = (
        _("Timeout default: case %(number)s (%(item)s) was approved automatically.")
        if before == CaseStatus.AWAITING_APPROVAL
        else _("Timeout default: the review of case %(number)s (%(item)s) passed automatically.")
    ) % {"number": case.number, "item": case.item.name}
    phones = _directors_phones({case.center_id}).get(case.center_id, [])
    center_id, pk = case.center_id, case.pk

    def send() -> None:
        for phone in phones:
            send_sms(
                to=phone,
                text=text,
                purpose="supervision.timeout_default",
                obj=Case(pk=pk),
                center_id=center_id,
            )

    transaction.on_commit(send)


def scan_timeout_defaults(
    *, now: datetime.datetime | None = None, full: bool = False
) -> ScanResult:
    """Pass every overdue review or approval step of a flagged item (see the module doc)."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    condition = over_limit_condition(
        scan_calendars(), today, limits_in_use(), steps=(Step.REVIEW, Step.APPROVAL)
    )
    due = list(
        Case.objects.filter(
            condition,
            status__in=TIMEOUT_DEFAULT_STATUSES,
            item__overdue_defaults_to_approval=True,
        )
        .order_by("pk")
        .values_list("pk", "version", "status")
    )
    passed = 0
    for pk, version, status in due:
        try:
            with transaction.atomic():
                case = case_pass_by_default(case=Case(pk=pk), expected_version=version, at=moment)
                _tell_directors(case, status)
        except ValidationError:  # CaseConflict too: somebody acted first, or not over any more
            continue
        passed += 1
    return ScanResult(day=today, full=True, raised=passed, withdrawn=0)
