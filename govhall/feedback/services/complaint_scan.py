"""The complaint overdue scan (issue 15 items 2 and 7): rule "complaint_overdue.yellow".

Entry point:
def scan_complaints(*, now=None, full=False) -> ScanResult

Two subjects of the one rule (subject `complaint_overdue`):

- "complaint:<id>": a complaint not answered by its `due_at` (registered or assigned). The
  complaint's handler answers for it (a web complaint nobody took yet: the center's first hall
  director).
- "complaint_assignment:<id>": a 交办单 the department did not reply to by its
  `assignment_due_at` while the complaint is still assigned. A leader of the department answers
  for it.

An alert is withdrawn ("no longer holds") once the complaint is answered or the department
replied, and all are withdrawn when the rule is switched off. What holds is found in SQL (one
query per subject, excluding the subjects already alerted); the database keeps one live alert
per rule and subject, so the scan is idempotent and safe twice at once (its state row is taken
FOR UPDATE too).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import cast

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.feedback.models.complaints import Complaint, ComplaintStatus
from govhall.supervision.models import (
    Alert,
    AlertQuerySet,
    AlertRule,
    AlertSubject,
    WithdrawalReason,
)
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts,
    withdraw_switched_off,
)
from govhall.supervision.services.scanning import ScanResult, locked_state, mark_scanned

SCAN_NAME = AlertSubject.COMPLAINT_OVERDUE.value
RULE_CODE = "complaint_overdue.yellow"
ANSWER_PREFIX = "complaint:"
ASSIGNMENT_PREFIX = "complaint_assignment:"
OPEN = (ComplaintStatus.REGISTERED, ComplaintStatus.ASSIGNED)


def _key(prefix: str) -> Concat:
    return Concat(Value(prefix), Cast("pk", CharField()), output_field=CharField())


def _unanswered(moment: datetime.datetime) -> QuerySet[Complaint]:
    return Complaint.objects.filter(status__in=OPEN, due_at__lt=moment)


def _unreplied(moment: datetime.datetime) -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        status=ComplaintStatus.ASSIGNED,
        department_replied_at__isnull=True,
        assignment_due_at__lt=moment,
    )


def _first_of_role(role: Role, field: str, ids: Iterable[int]) -> dict[int, int]:
    """The first active holder of `role` by their center or department id (one query)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    found: dict[int, int] = {}
    rows = (
        User.objects.filter(
            is_active=True, groups__name=role.value, **{f"staff__{field}__in": wanted}
        )
        .order_by("pk")
        .values_list(f"staff__{field}", "pk")
    )
    for key, pk in rows:
        found.setdefault(key, pk)
    return found


def _new(rule: AlertRule, holding: QuerySet[Complaint], prefix: str) -> QuerySet[Complaint]:
    live = Alert.objects.live().filter(rule=rule, subject_key=OuterRef("subject"))
    return holding.annotate(subject=_key(prefix)).filter(~Exists(live))


def _answer_drafts(rule: AlertRule, moment: datetime.datetime) -> list[AlertDraft]:
    rows = list(
        _new(rule, _unanswered(moment), ANSWER_PREFIX).values_list(
            "pk",
            "center_id",
            "number",
            "due_at",
            "handler_id",
            "handler__staff__department_id",
            "summary",
        )
    )
    directors = _first_of_role(
        Role.DIRECTOR, "center_id", (row[1] for row in rows if row[4] is None)
    )
    return [
        AlertDraft(
            subject_key=f"{ANSWER_PREFIX}{pk}",
            center_id=center,
            occurred_on=timezone.localdate(moment),
            detail=_("Complaint %(number)s was not answered by %(due)s: %(summary)s")
            % {
                "number": number,
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
                "summary": summary[:80],
            },
            department_id=department,
            responsible_id=handler or directors.get(center),
            due_on=timezone.localdate(due),
        )
        for pk, center, number, due, handler, department, summary in rows
    ]


def _assignment_drafts(rule: AlertRule, moment: datetime.datetime) -> list[AlertDraft]:
    rows = list(
        _new(rule, _unreplied(moment), ASSIGNMENT_PREFIX).values_list(
            "pk",
            "center_id",
            "number",
            "assignment_due_at",
            "assigned_department_id",
            "assigned_department__name",
        )
    )
    leaders = _first_of_role(Role.DEPT_LEADER, "department_id", (row[4] for row in rows))
    return [
        AlertDraft(
            subject_key=f"{ASSIGNMENT_PREFIX}{pk}",
            center_id=center,
            occurred_on=timezone.localdate(moment),
            detail=_(
                "%(department)s did not reply to the 交办单 of complaint %(number)s by %(due)s"
            )
            % {
                "department": name,
                "number": number,
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            },
            department_id=department,
            responsible_id=leaders.get(department),
            due_on=timezone.localdate(due),
        )
        for pk, center, number, due, department, name in rows
    ]


def _stale(rule: AlertRule, moment: datetime.datetime) -> AlertQuerySet:
    """Live alerts of the rule whose complaint no longer holds (answered, replied, removed)."""
    answer = _unanswered(moment).annotate(subject=_key(ANSWER_PREFIX)).values("subject")
    assignment = _unreplied(moment).annotate(subject=_key(ASSIGNMENT_PREFIX)).values("subject")
    return cast(
        AlertQuerySet,
        Alert.objects.live()
        .filter(rule=rule)
        .filter(
            Q(subject_key__startswith=ANSWER_PREFIX) & ~Q(subject_key__in=answer)
            | Q(subject_key__startswith=ASSIGNMENT_PREFIX) & ~Q(subject_key__in=assignment)
        ),
    )


def scan_complaints(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise an alert for each complaint or 交办单 overdue; withdraw those that no longer hold."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    raised = withdrawn = 0
    with locked_state(SCAN_NAME) as state:
        rule = AlertRule.objects.filter(code=RULE_CODE).first()
        if rule is not None and not rule.is_active:
            withdrawn = withdraw_switched_off(rule, moment=moment)
        elif rule is not None:
            withdrawn = withdraw_alerts(
                rule, _stale(rule, moment), reason=WithdrawalReason.NO_LONGER_HOLDS, moment=moment
            )
            drafts = _answer_drafts(rule, moment) + _assignment_drafts(rule, moment)
            raised = raise_alerts(rule, drafts, moment=moment, batch=uuid.uuid4().hex)
        mark_scanned(state, started=timezone.now(), today=today)
    return ScanResult(day=today, full=full, raised=raised, withdrawn=withdrawn)
