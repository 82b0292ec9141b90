"""The case-deadline scan (SPEC §9): reminder, yellow and red cards on the promised deadline.

Entry point:
def scan_case_deadlines(*, now=None, full=False) -> ScanResult

Every condition is a date comparison in SQL. "k working days left or fewer" holds when the
promised deadline falls before the (k+1)-th working day after today, so each calendar (the
national one, and each center with its own days) turns a rule into one cutoff date per distinct
k: the work in Python grows with the calendars and the distinct promised times, never with the
number of cases. The conditions only grow true as days pass; a case stops meeting one only when
it changes (decided, suspended, extended — its actions write events) or when the calendar
changes (a new calendar revision: the next scan is full).

Incremental: after a first full scan, a scan looks only at cases that crossed a threshold since
the last scan's day or changed since it started (their events), plus the live alerts of those.
Idempotent and safe to run twice at once: scans take the scan's state row FOR UPDATE, and the
database keeps at most one live alert per (rule, level, case) (`alert_live_unique`, inserts
with ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, F, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES, UNDECIDED_STATUSES
from govhall.cases.models import Case
from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.core.models import Event
from govhall.staffing.queries.cover import posts_with_people, who_serves_many
from govhall.supervision.models import (
    Alert,
    AlertLevel,
    AlertRule,
    AlertSubject,
    ScanState,
    WithdrawalReason,
)
from govhall.supervision.services.raising import AlertDraft, raise_alerts, withdraw_alerts
from govhall.workdays.models import CenterDay
from govhall.workdays.queries.calendar import calendar_for, current_revision
from govhall.workdays.queries.work_calendar import CalendarRangeError, WorkCalendar

SCAN_NAME = AlertSubject.CASE_DEADLINE.value


@dataclass(frozen=True)
class ScanResult:
    day: datetime.date
    full: bool
    raised: int
    withdrawn: int


@dataclass(frozen=True)
class _Calendars:
    national: WorkCalendar
    special: dict[int, WorkCalendar]  # centers with days of their own


def _calendars() -> _Calendars:
    ids = CenterDay.objects.values_list("center_id", flat=True).distinct()
    return _Calendars(calendar_for(None), {pk: calendar_for(pk) for pk in ids})


def _cutoff(calendar: WorkCalendar, day: datetime.date, days_left: int) -> datetime.date:
    """The first date a deadline may fall on with more than `days_left` working days left."""
    try:
        return calendar.add_workdays(day, days_left + 1)
    except CalendarRangeError:
        return datetime.date.max


def yellow_days_left(total: int, percent: int) -> int:
    """Working days left at which `percent` of `total` promised working days are used:
    used * 100 >= total * percent, used = total - left."""
    return total - (total * percent + 99) // 100


def _condition_on(
    rule: AlertRule, calendar: WorkCalendar, day: datetime.date, totals: Iterable[int]
) -> Q:
    """Does the rule hold on `day` for a running case under `calendar` (fields of Case, the
    promised total annotated as `promised_total`)?"""
    if rule.level == AlertLevel.RED:
        return Q(promised_due_on__lt=day)
    timed = ~Q(kind=CaseKind.IMMEDIATE)
    if rule.level == AlertLevel.REMINDER:
        left = rule.threshold_days or 0
        return timed & Q(promised_due_on__lt=_cutoff(calendar, day, left))
    if rule.level == AlertLevel.YELLOW:
        by_left: dict[int, list[int]] = defaultdict(list)
        for total in totals:
            if total > 0:
                by_left[yellow_days_left(total, rule.threshold_percent or 100)].append(total)
        clause = Q(pk__in=[])
        for left, group in sorted(by_left.items()):
            clause |= Q(promised_total__in=group, promised_due_on__lt=_cutoff(calendar, day, left))
        return timed & clause
    return Q(pk__in=[])


def _condition(rule: AlertRule, calendars: _Calendars, day: datetime.date, totals: list[int]) -> Q:
    special = list(calendars.special)
    clause = ~Q(center_id__in=special) & _condition_on(rule, calendars.national, day, totals)
    for center_id, calendar in calendars.special.items():
        clause |= Q(center_id=center_id) & _condition_on(rule, calendar, day, totals)
    return clause


def _running() -> QuerySet[Case]:
    return Case.objects.filter(
        status__in=CLOCK_RUNNING_STATUSES, promised_due_on__isnull=False
    ).annotate(promised_total=F("promised_days") + F("extension_days"))


def _promised_totals() -> list[int]:
    """The distinct promised totals (promised + extension days) of running timed cases."""
    pairs = (
        Case.objects.filter(status__in=CLOCK_RUNNING_STATUSES, promised_due_on__isnull=False)
        .exclude(kind=CaseKind.IMMEDIATE)
        .order_by()
        .values_list("promised_days", "extension_days")
        .distinct()
    )
    return sorted({promised + extension for promised, extension in pairs})


def _changed_case_ids(since: datetime.datetime) -> QuerySet[Any]:
    """Cases with an event since `since` (every action on a case writes one)."""
    return (
        Event.objects.filter(at__gte=since, object_type=Case._meta.label_lower)
        .annotate(case_pk=Cast("object_id", BigIntegerField()))
        .values("case_pk")
    )


def _withdraw(
    rule: AlertRule,
    holding: QuerySet[Case],
    changed: QuerySet[Any] | None,
    moment: datetime.datetime,
) -> int:
    live = Alert.objects.live().filter(rule=rule)
    if not rule.is_active:
        return withdraw_alerts(rule, live, reason=WithdrawalReason.RULE_OFF, moment=moment)
    if changed is not None:
        live = live.filter(case_id__in=changed)
    gone = live.exclude(case_id__in=holding.values("pk"))
    stale = {
        WithdrawalReason.FINISHED: gone.exclude(case__status__in=UNDECIDED_STATUSES),
        WithdrawalReason.SUSPENDED: gone.filter(case__status=CaseStatus.SUSPENDED),
        WithdrawalReason.DEADLINE_MOVED: gone.filter(case__status__in=CLOCK_RUNNING_STATUSES),
    }
    return sum(
        withdraw_alerts(rule, qs, reason=reason, moment=moment) for reason, qs in stale.items()
    )


def _responsible(
    rows: list[tuple[int, int, int | None, int | None, datetime.date]],
    moment: datetime.datetime,
) -> dict[int, int | None]:
    """Who answers for each case now: whoever serves the case's window (A/B cover) — the post
    of the clerk who received it, else the window's first post —, else that clerk."""
    windows = {window for _pk, _center, window, _by, _due in rows if window is not None}
    posts = list(posts_with_people().filter(window_id__in=windows).order_by("id"))
    by_window: dict[int, list[Any]] = defaultdict(list)
    for serving in who_serves_many(posts, moment):
        by_window[serving.post.window_id].append(serving)
    answer: dict[int, int | None] = {}
    for pk, _center, window, received_by, _due in rows:
        servings = by_window.get(window or 0, [])
        own = [s for s in servings if s.post.a_staff_id == received_by and s.user is not None]
        anyone = [s for s in servings if s.user is not None]
        chosen = (own or anyone or [None])[0]
        answer[pk] = chosen.user.pk if chosen is not None else received_by
    return answer


def _missing(
    rule: AlertRule,
    holding: QuerySet[Case],
    crossed: Q | None,
    changed: QuerySet[Any] | None,
) -> list[tuple[Any, ...]]:
    qs = holding
    if crossed is not None and changed is not None:
        qs = qs.filter(crossed | Q(pk__in=changed))
    qs = qs.exclude(
        pk__in=Alert.objects.live().filter(rule=rule, case__isnull=False).values("case_id")
    )
    rows: list[Any] = list(
        qs.order_by().values_list(
            "pk",
            "center_id",
            "window_id",
            "received_by_id",
            "promised_due_on",
            "department_id",
            "number",
        )
    )
    return rows


def _raise(
    rule: AlertRule,
    rows: list[tuple[Any, ...]],
    moment: datetime.datetime,
    batch: str,
) -> int:
    if not rows:
        return 0
    people = _responsible([row[:5] for row in rows], moment)
    day = timezone.localdate(moment)
    drafts = [
        AlertDraft(
            subject_key=f"case:{pk}",
            center_id=center,
            occurred_on=day,
            detail=_("Case %(number)s, promised deadline %(due)s.")
            % {"number": number, "due": due.isoformat()},
            case_id=pk,
            department_id=department,
            window_id=window,
            responsible_id=people[pk],
            due_on=due,
        )
        for pk, center, window, _by, due, department, number in rows
    ]
    return raise_alerts(rule, drafts, moment=moment, batch=batch)


def scan_case_deadlines(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise the missing case-deadline alerts and withdraw those that no longer hold."""
    started = timezone.now()  # the wall clock: what "changed since" compares with
    moment = now or started
    today = timezone.localdate(moment)
    ScanState.objects.get_or_create(name=SCAN_NAME)
    with transaction.atomic():
        state = ScanState.objects.select_for_update().get(name=SCAN_NAME)
        revision = current_revision()
        incremental = (
            not full
            and state.last_scan_at is not None
            and state.last_day is not None
            and state.last_day <= today
            and state.calendar_revision == revision
        )
        changed = _changed_case_ids(state.last_scan_at) if incremental else None  # type: ignore[arg-type]
        calendars = _calendars()
        totals = _promised_totals()
        batch = uuid.uuid4().hex
        raised = withdrawn = 0
        for rule in AlertRule.objects.filter(subject=AlertSubject.CASE_DEADLINE).order_by("id"):
            now_holds = _condition(rule, calendars, today, totals)
            holding = _running().filter(now_holds)
            withdrawn += _withdraw(rule, holding, changed, moment)
            if not rule.is_active:
                continue
            crossed = None
            if incremental:
                assert state.last_day is not None
                crossed = ~_condition(rule, calendars, state.last_day, totals)
            raised += _raise(rule, _missing(rule, holding, crossed, changed), moment, batch)
        state.last_scan_at = started
        state.last_day = today
        state.calendar_revision = revision
        state.save()
    return ScanResult(day=today, full=not incremental, raised=raised, withdrawn=withdrawn)


def forget_scan_state() -> None:
    """Make the next scan a full one (after a rule changed)."""
    ScanState.objects.filter(name=SCAN_NAME).update(last_scan_at=None, last_day=None)
