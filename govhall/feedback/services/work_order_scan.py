"""The overdue scan of 12345 hotline work orders (issue 15 items 4 and 7), on the engine of
`govhall.supervision.services.people_scan.run_watches`.

Entry point:
def scan_work_orders(*, now=None, full=False) -> ScanResult

Subject `work_order_overdue` (default rule "work_order_overdue.yellow"), two kinds of alert:
- "work_order:<id>:sign": an order still RECEIVED (neither signed for nor sent back) at or after
  its `sign_due_at` (1 working day after receipt);
- "work_order:<id>:finish": an order still SIGNED (not replied to) at or after its
  `finish_due_at` (5 or 15 working days after signing, plus the extension; after 发回重办 the new
  limit).

The limits are stored on the order in working days of its center when it moves
(services/work_orders.py), so every condition here is one indexed comparison in SQL. An alert is
withdrawn when the order is done with that step (signed, sent back, replied to) and when the rule
is switched off. Idempotent and safe to run twice at once (the engine's state row and the unique
live alert per rule and subject).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.feedback.models import WorkOrder, WorkOrderStatus
from govhall.feedback.services.work_orders import last_day_of
from govhall.supervision.models import AlertRule, AlertSubject
from govhall.supervision.services.people_scan import Clock, Rows, Watch, run_watches
from govhall.supervision.services.raising import AlertDraft
from govhall.supervision.services.scanning import ScanResult, changed_ids
from govhall.workdays.queries.calendar import day_start

SCAN_NAME = "work_orders"


def _changed(since: datetime.datetime) -> Q:
    return Q(pk__in=changed_ids(WorkOrder, since))


def _unsigned(rule: AlertRule, clock: Clock) -> Rows:
    return WorkOrder.objects.filter(status=WorkOrderStatus.RECEIVED, sign_due_at__lt=clock.moment)


def _unfinished(rule: AlertRule, clock: Clock) -> Rows:
    return WorkOrder.objects.filter(status=WorkOrderStatus.SIGNED, finish_due_at__lt=clock.moment)


def _crossed(field: str) -> Callable[[AlertRule, Clock], Q]:
    def crossed(rule: AlertRule, clock: Clock) -> Q:
        assert clock.last_day is not None
        return Q(**{f"{field}__gte": day_start(clock.last_day)})

    return crossed


def _drafts(step: str) -> Callable[[AlertRule, Rows, Clock], list[AlertDraft]]:
    def drafts(rule: AlertRule, rows: Rows, clock: Clock) -> list[AlertDraft]:
        found = []
        for pk, center, department, number, title, due, signer in rows.values_list(
            "pk",
            "center_id",
            "department_id",
            "hotline_number",
            "title",
            "sign_due_at" if step == "sign" else "finish_due_at",
            "signed_by_id",
        ):
            words = {
                "number": number,
                "day": last_day_of(due).isoformat(),
                "title": " ".join(title.split())[:60],
            }
            if step == "sign":
                detail = (
                    _("12345 work order %(number)s was not signed for by %(day)s: %(title)s")
                    % words
                )
            else:
                detail = (
                    _("12345 work order %(number)s was not replied to by %(day)s: %(title)s")
                    % words
                )
            found.append(
                AlertDraft(
                    subject_key=f"work_order:{pk}:{step}",
                    center_id=center,
                    occurred_on=clock.today,
                    detail=detail,
                    department_id=department,
                    responsible_id=signer if step == "finish" else None,
                    due_on=last_day_of(due),
                )
            )
        return found

    return drafts


WORK_ORDER_WATCHES = (
    Watch(
        subject=AlertSubject.WORK_ORDER_OVERDUE.value,
        model=WorkOrder,
        prefix="work_order:",
        suffix=":sign",
        holding=_unsigned,
        changed=_changed,
        crossed=_crossed("sign_due_at"),
        drafts=_drafts("sign"),
    ),
    Watch(
        subject=AlertSubject.WORK_ORDER_OVERDUE.value,
        model=WorkOrder,
        prefix="work_order:",
        suffix=":finish",
        holding=_unfinished,
        changed=_changed,
        crossed=_crossed("finish_due_at"),
        drafts=_drafts("finish"),
    ),
)


def scan_work_orders(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """12345 work orders not signed for, or not replied to, in time."""
    return run_watches(SCAN_NAME, WORK_ORDER_WATCHES, now=now or timezone.now(), full=full)
