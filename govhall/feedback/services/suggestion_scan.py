"""The suggestion-box scan (issue 15 items 5 and 7): an entry not replied to by its
`reply_due_at` raises a reminder of the rule "suggestion_overdue.reminder", subject
"suggestion:<id>", on a hall director of its center (the rule tells the directors; 0 points by
default: a reminder, not a deduction).

Entry point:
def scan_suggestions(*, now=None, full=False) -> ScanResult

Set-based and idempotent: one INSERT of the overdue entries without a live alert (the database
keeps one live alert per rule and subject), one UPDATE withdrawing the live alerts whose entry
has been replied to or is gone ("corrected"), every live one when the rule is switched off.
Serialized by the scan's state row (FOR UPDATE)."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.feedback.models import Suggestion
from govhall.supervision.models import Alert, AlertRule, AlertSubject, WithdrawalReason
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts,
    withdraw_switched_off,
)
from govhall.supervision.services.scanning import ScanResult, locked_state, mark_scanned

SCAN_NAME = AlertSubject.SUGGESTION_OVERDUE.value
RULE_CODE = "suggestion_overdue.reminder"
PREFIX = "suggestion:"


def _key() -> Concat:
    return Concat(Value(PREFIX), Cast("pk", CharField()), output_field=CharField())


def _overdue(moment: datetime.datetime) -> Q:
    return Q(replied_at__isnull=True, reply_due_at__lt=moment)


def _directors(center_ids: set[int]) -> dict[int, int]:
    """The first active hall director of each center (one query)."""
    found: dict[int, int] = {}
    rows = (
        User.objects.filter(
            is_active=True, groups__name=Role.DIRECTOR.value, staff__center_id__in=center_ids
        )
        .order_by("pk")
        .values_list("staff__center_id", "pk")
    )
    for center, pk in rows:
        found.setdefault(center, pk)
    return found


def scan_suggestions(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise a reminder for each entry past its reply limit; withdraw those replied to since."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    raised = withdrawn = 0
    with locked_state(SCAN_NAME) as state:
        rule = AlertRule.objects.filter(code=RULE_CODE).first()
        if rule is not None and not rule.is_active:
            withdrawn = withdraw_switched_off(rule, moment=moment)
        elif rule is not None:
            holding = Suggestion.objects.filter(_overdue(moment)).annotate(key=_key())
            live = Alert.objects.live().filter(rule=rule, subject_key__startswith=PREFIX)
            withdrawn = withdraw_alerts(
                rule,
                live.exclude(subject_key__in=Subquery(holding.values("key"))),
                reason=WithdrawalReason.CORRECTED,
                moment=moment,
            )
            new = holding.exclude(Exists(live.filter(subject_key=OuterRef("key")))).values_list(
                "pk", "center_id", "received_at", "reply_due_at", "kind"
            )
            found = list(new)
            directors = _directors({row[1] for row in found})
            drafts = [
                AlertDraft(
                    subject_key=f"{PREFIX}{pk}",
                    center_id=center,
                    occurred_on=timezone.localdate(due),
                    detail=_(
                        "A suggestion-box entry received on %(day)s was not replied to by %(due)s."
                    )
                    % {
                        "day": timezone.localdate(received).isoformat(),
                        "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
                    },
                    responsible_id=directors.get(center),
                    due_on=timezone.localdate(due),
                )
                for pk, center, received, due, _kind in found
            ]
            raised = raise_alerts(rule, drafts, moment=moment, batch=uuid.uuid4().hex)
        mark_scanned(state, started=timezone.now(), today=today)
    return ScanResult(day=today, full=full, raised=raised, withdrawn=withdrawn)
