"""The petition overdue scan (信访; issue 15 items 3 and 7).

Entry point:
def scan_petitions(*, now=None, full=False) -> ScanResult

One alert of the rule "petition_overdue.yellow" per petition and overdue step, subject
"petition:<id>:<kind>" — `answer` (the visitor not answered within 3 calendar days),
`acceptance` (no decision within 15), `closing` (not closed within 60 of acceptance plus its
extension), `reception` (a needed leader reception not held within 7) and `review` (a 复查 or
复核 not answered within 30) — the same conditions as the petition list
(`queries/petitions.py`, calendar days: overdue from the day after the due day). The person
responsible is the petition's handler; the rule tells the department leaders of the assigned
department and the hall directors. An alert is withdrawn when its step is done (or the limit
moved by an extension), and all of them when the rule is switched off.

Idempotent and safe twice at once: the scan's state row is taken FOR UPDATE, what holds is one
query per kind, and the database keeps one live alert per rule and subject. Every run is a full
one (`full` is accepted for the registry's signature): the conditions are indexed date ranges.
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.feedback.models.petitions import Petition
from govhall.feedback.queries.petitions import overdue_conditions, overdue_label
from govhall.supervision.models import Alert, AlertRule, WithdrawalReason
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts,
    withdraw_switched_off,
)
from govhall.supervision.services.scanning import ScanResult, locked_state, mark_scanned

SCAN_NAME = "petition_overdue"
RULE_CODE = "petition_overdue.yellow"
PREFIX = "petition:"


def subject_key(petition_id: int, kind: str) -> str:
    return f"{PREFIX}{petition_id}:{kind}"


def _holding(today: datetime.date) -> dict[str, AlertDraft]:
    """Every (petition, overdue step) that holds today, as drafts by subject key."""
    drafts: dict[str, AlertDraft] = {}
    for kind, condition in overdue_conditions(today).items():
        rows = Petition.objects.filter(condition).values_list(
            "pk",
            "number",
            "center_id",
            "assigned_department_id",
            "handler_id",
            "answer_due_on",
            "acceptance_due_on",
            "close_due_on",
            "reception_due_on",
        )
        for pk, number, center, department, handler, answer, accept, close, reception in rows:
            due = {"answer": answer, "acceptance": accept, "closing": close, "reception": reception}
            key = subject_key(pk, kind)
            drafts[key] = AlertDraft(
                subject_key=key,
                center_id=center,
                occurred_on=today,
                detail=_("Petition %(number)s: the %(step)s is overdue.")
                % {"number": number, "step": overdue_label(kind)},
                department_id=department,
                responsible_id=handler,
                due_on=due.get(kind),
            )
    return drafts


def scan_petitions(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise an alert for each overdue petition step; withdraw those that no longer hold."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    with locked_state(SCAN_NAME) as state:
        raised = withdrawn = 0
        rule = AlertRule.objects.filter(code=RULE_CODE).first()
        if rule is not None and not rule.is_active:
            withdrawn = withdraw_switched_off(rule, moment=moment)
        elif rule is not None:
            drafts = _holding(today)
            stale = (
                Alert.objects.live()
                .filter(rule=rule, subject_key__startswith=PREFIX)
                .exclude(subject_key__in=list(drafts))
            )
            withdrawn = withdraw_alerts(
                rule, stale, reason=WithdrawalReason.NO_LONGER_HOLDS, moment=moment
            )
            live = set(
                Alert.objects.live()
                .filter(rule=rule)
                .filter(Q(subject_key__in=list(drafts)))
                .values_list("subject_key", flat=True)
            )
            new = [draft for key, draft in drafts.items() if key not in live]
            raised = raise_alerts(rule, new, moment=moment, batch=uuid.uuid4().hex)
        mark_scanned(state, started=timezone.now(), today=today)
    return ScanResult(day=today, full=True, raised=raised, withdrawn=withdrawn)
