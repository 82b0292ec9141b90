"""Deadlines of cases and their recomputation when the calendar changes.

Entry points:
def on_calendar_change(change: CalendarChange) -> None

The arithmetic lives in `govhall.cases.clock` (pure functions); this module reads what the
case's history says (receipt, the first one-time notice, the day the materials were complete)
and writes `clock_started_on`, `legal_due_on` and `promised_due_on`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from govhall.cases import clock
from govhall.cases.case_transitions import UNDECIDED_STATUSES
from govhall.cases.models import Case, Notice
from govhall.cases.queries.known import case_notices_of
from govhall.cases.services.messages import tell_applicants
from govhall.cases.statuses import CaseKind, NoticeKind
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError, WorkCalendar
from govhall.workdays.services.changes import CalendarChange

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
DUE_FIELDS = ["legal_due_on", "promised_due_on"]


def clock_start_for(
    case: Case, accepted_on: datetime.date, calendar: WorkCalendar
) -> datetime.date:
    """When the clock of `case`, accepted on `accepted_on`, starts (SPEC §4, 行政许可法 §32)."""
    received_on = timezone.localdate(case.received_at)
    known = case_notices_of(case)  # an intake knows its new case's notices: no query
    if known is not None:
        first_notice = min(
            (n.issued_at for n in known if n.kind == NoticeKind.ONE_TIME), default=None
        )
    else:
        first_notice = (
            Notice.objects.filter(case_id=case.pk, kind=NoticeKind.ONE_TIME)
            .order_by("issued_at")
            .values_list("issued_at", flat=True)
            .first()
        )
    notice_on = timezone.localdate(first_notice) if first_notice is not None else None
    complete_on = None
    if notice_on is not None:
        complete_on = case.materials.filter(received=True).aggregate(day=Max("received_on"))["day"]
    return clock.clock_start(
        calendar,
        received_on=received_on,
        accepted_on=accepted_on,
        complete_on=complete_on,
        notice_on=notice_on,
        notice_days=settings.GOVHALL_SUPPLEMENT_NOTICE_DAYS,
    )


def set_due_dates(case: Case, calendar: WorkCalendar) -> None:
    """Fill legal_due_on and promised_due_on from the clock start (not saved)."""
    if case.clock_started_on is None:
        case.legal_due_on = case.promised_due_on = None
        return
    extra = {"extension_days": case.extension_days, "suspended_days": case.suspended_days}
    case.legal_due_on = clock.due_on(calendar, case.clock_started_on, case.legal_days, **extra)
    promised = 0 if case.kind == CaseKind.IMMEDIATE else case.promised_days
    case.promised_due_on = clock.due_on(calendar, case.clock_started_on, promised, **extra)


def affected_cases(change: CalendarChange) -> QuerySet[Case]:
    """Undecided cases whose deadlines may move with `change`."""
    qs = Case.objects.filter(status__in=UNDECIDED_STATUSES, clock_started_on__isnull=False).filter(
        Q(legal_due_on__gte=change.since) | Q(promised_due_on__gte=change.since)
    )
    if change.center_ids is not None:
        qs = qs.filter(center_id__in=change.center_ids)
    return qs


_CLOCK_FIELDS = (
    "pk",
    "center_id",
    "kind",
    "clock_started_on",
    "legal_days",
    "promised_days",
    "extension_days",
    "suspended_days",
    "legal_due_on",
    "promised_due_on",
)


def recompute_due_dates(
    cases: QuerySet[Case],
    *,
    batch_size: int = BATCH_SIZE,
    promised_moved: Callable[[list[int]], None] | None = None,
) -> int:
    """Recompute the deadlines of `cases` and write those that moved; returns how many moved.
    `promised_moved`, when given, is called after each batch is written with the ids of the
    cases whose promised date moved (the applicant is told, issue 16 item 8).

    Reads the rows as plain values a batch at a time (keyset pages by id, one query each) and
    writes each batch's moved rows with one bulk_update, so memory stays flat for a whole
    province's open cases.
    """
    moved_total = 0
    last_pk = 0
    while True:
        rows = list(
            cases.filter(pk__gt=last_pk).order_by("pk").values_list(*_CLOCK_FIELDS)[:batch_size]
        )
        if not rows:
            return moved_total
        last_pk = rows[-1][0]
        moved: list[Case] = []
        promised_ids: list[int] = []
        for (
            pk,
            center_id,
            kind,
            start,
            legal,
            promised,
            extension,
            suspended,
            was_legal,
            was_promised,
        ) in rows:
            case = Case(
                pk=pk,
                center_id=center_id,
                kind=kind,
                clock_started_on=start,
                legal_days=legal,
                promised_days=promised,
                extension_days=extension,
                suspended_days=suspended,
            )
            try:
                set_due_dates(case, calendar_for(center_id))
            except CalendarRangeError:
                log.warning("case %s: deadline outside the calendar, left as it was", pk)
                continue
            if (case.legal_due_on, case.promised_due_on) != (was_legal, was_promised):
                moved.append(case)
                if case.promised_due_on != was_promised:
                    promised_ids.append(pk)
        if moved:
            Case.objects.bulk_update(moved, DUE_FIELDS)
        if promised_ids and promised_moved is not None:
            promised_moved(promised_ids)
        moved_total += len(moved)


def on_calendar_change(change: CalendarChange) -> None:
    """Open deadlines follow the calendar: recompute those of the affected centers that reach
    `change.since` or later (SPEC §4), and tell each applicant whose promised date moved, one
    SMS per case after the rows are written (seeds/000… 篇1 六(六)3)."""
    moved = recompute_due_dates(
        affected_cases(change),
        promised_moved=lambda ids: tell_applicants(ids, "deadline_moved"),
    )
    if moved:
        log.info("calendar %s: %d case deadlines recomputed", change.action, moved)
