"""The bad-rating overdue scan (issue 15 items 1 and 7): a 差评 not called back, or not rectified,
in time raises a supervision alert of the rule "rating_overdue.yellow".

Entry point:
def scan_rating_overdue(*, now=None, full=False) -> ScanResult

Two subjects per rating, each its own alert: "rating:<id>:call_back" when the call-back is
overdue, "rating:<id>:rectify" when the rectification is (the one definition of overdue is
`queries/rating_follow_up.py`: past `call_back_due_at` / `rectify_due_at`, which `rating_give`
set to the closing time of the N-th working day). The person responsible is the rated staff
member, else the head of the rating's window, else a window head of its department.

An alert is withdrawn when it no longer holds: the step was done (called back, rectified, or
found not justified so nothing is left to rectify), the rating was excluded on appeal, or the
rule was switched off. Set-based (a handful of queries whatever the number of ratings),
idempotent and safe twice at once (the scan's state row is taken FOR UPDATE, and the database
keeps one live alert per rule and subject). `full` changes nothing: every run looks at all open
bad ratings, which the partial index `rating_follow_up_idx` keeps cheap.
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.feedback.models.ratings import Rating
from govhall.feedback.queries.rating_follow_up import call_back_overdue, rectify_overdue
from govhall.supervision.models import Alert, AlertRule, AlertSubject, WithdrawalReason
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts,
    withdraw_switched_off,
)
from govhall.supervision.services.scanning import ScanResult, locked_state, mark_scanned

SCAN_NAME = AlertSubject.RATING_FOLLOW_UP_OVERDUE.value
RULE_CODE = "rating_overdue.yellow"
CALL_BACK = "call_back"
RECTIFY = "rectify"
PREFIX = "rating:"


def subject_key(rating_id: int, step: str) -> str:
    return f"{PREFIX}{rating_id}:{step}"


def _keyed(condition: Q, step: str) -> QuerySet[Rating]:
    """The ratings `condition` holds for, each with its subject `key` (in SQL)."""
    return Rating.objects.filter(condition).annotate(
        key=Concat(
            Value(PREFIX),
            Cast("pk", CharField()),
            Value(f":{step}"),
            output_field=CharField(),
        )
    )


def _window_head_of_department() -> Subquery:
    heads = User.objects.filter(
        is_active=True,
        groups__name=Role.WINDOW_HEAD.value,
        staff__department_id=OuterRef("department_id"),
    ).order_by("pk")
    return Subquery(heads.values("pk")[:1])


def _drafts(rule: AlertRule, rows: QuerySet[Rating], step: str) -> list[AlertDraft]:
    live = Alert.objects.live().filter(rule=rule, subject_key=OuterRef("key"))
    due_field = "call_back_due_at" if step == CALL_BACK else "rectify_due_at"
    found = (
        rows.exclude(Exists(live))
        .annotate(responsible=Coalesce("staff_id", "window__head_id", _window_head_of_department()))
        .values_list(
            "pk",
            "key",
            "center_id",
            "department_id",
            "window_id",
            "case_id",
            "responsible",
            due_field,
            "rated_at",
            "item__name",
        )
    )
    if step == CALL_BACK:
        text = _("A bad rating of %(day)s (%(item)s) was not called back and verified by %(due)s.")
    else:
        text = _("A bad rating of %(day)s (%(item)s) was not rectified by %(due)s.")
    drafts = []
    for _pk, key, center, department, window, case, responsible, due, rated, item in found:
        due_day = timezone.localdate(due)
        drafts.append(
            AlertDraft(
                subject_key=key,
                center_id=center,
                occurred_on=due_day,
                detail=text
                % {
                    "day": timezone.localdate(rated).isoformat(),
                    "item": item or "—",
                    "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
                },
                case_id=case,
                department_id=department,
                window_id=window,
                responsible_id=responsible,
                due_on=due_day,
            )
        )
    return drafts


def scan_rating_overdue(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise an alert for each overdue call-back and rectification of a bad rating; withdraw
    those that no longer hold."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    raised = withdrawn = 0
    with locked_state(SCAN_NAME) as state:
        rule = AlertRule.objects.filter(code=RULE_CODE).first()
        if rule is not None and not rule.is_active:
            withdrawn = withdraw_switched_off(rule, moment=moment)
        elif rule is not None:
            call_backs = _keyed(call_back_overdue(moment), CALL_BACK)
            rectifications = _keyed(rectify_overdue(moment), RECTIFY)
            stale = (
                Alert.objects.live()
                .filter(rule=rule, subject_key__startswith=PREFIX)
                .exclude(subject_key__in=call_backs.values("key"))  # type: ignore[misc]
                .exclude(subject_key__in=rectifications.values("key"))  # type: ignore[misc]
            )
            withdrawn = withdraw_alerts(
                rule, stale, reason=WithdrawalReason.NO_LONGER_HOLDS, moment=moment
            )
            drafts = _drafts(rule, call_backs, CALL_BACK) + _drafts(rule, rectifications, RECTIFY)
            raised = raise_alerts(rule, drafts, moment=moment, batch=uuid.uuid4().hex)
        mark_scanned(state, started=timezone.now(), today=today)
    return ScanResult(day=today, full=full, raised=raised, withdrawn=withdrawn)
