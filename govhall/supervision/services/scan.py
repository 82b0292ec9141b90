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
from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, QuerySet
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
WITHDRAW_BATCH = 5000


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
    rule: AlertRule,
    calendar: WorkCalendar,
    day: datetime.date,
    totals: Iterable[int],
    prefix: str = "",
) -> Q:
    """Does the rule hold on `day` for a running case under `calendar`? Fields of Case behind
    `prefix` ("case__" from an alert), the promised total annotated as `promised_total`."""
    due = f"{prefix}promised_due_on__lt"
    if rule.level == AlertLevel.RED:
        return Q(**{due: day})
    timed = ~Q(**{f"{prefix}kind": CaseKind.IMMEDIATE})
    if rule.level == AlertLevel.REMINDER:
        left = rule.threshold_days or 0
        return timed & Q(**{due: _cutoff(calendar, day, left)})
    if rule.level == AlertLevel.YELLOW:
        by_left: dict[int, list[int]] = defaultdict(list)
        for total in totals:
            if total > 0:
                by_left[yellow_days_left(total, rule.threshold_percent or 100)].append(total)
        clause = Q(pk__in=[])
        for left, group in sorted(by_left.items()):
            clause |= Q(promised_total__in=group, **{due: _cutoff(calendar, day, left)})
        return timed & clause
    return Q(pk__in=[])


def _condition(
    rule: AlertRule,
    calendars: _Calendars,
    day: datetime.date,
    totals: list[int],
    prefix: str = "",
) -> Q:
    national = _condition_on(rule, calendars.national, day, totals, prefix)
    own: dict[int, Q] = {}
    for center_id, calendar in calendars.special.items():
        clause = _condition_on(rule, calendar, day, totals, prefix)
        if clause != national:  # e.g. a closure day long past: the same cutoffs
            own[center_id] = clause
    center = f"{prefix}center_id"
    result = ~Q(**{f"{center}__in": list(own)}) & national if own else national
    for center_id, clause in own.items():
        result |= Q(**{center: center_id}) & clause
    return result


def _running_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": CLOCK_RUNNING_STATUSES,
            f"{prefix}promised_due_on__isnull": False,
        }
    )


def _running() -> QuerySet[Case]:
    return Case.objects.filter(_running_q()).annotate(
        promised_total=F("promised_days") + F("extension_days")
    )


def _promised_totals(only: QuerySet[Any] | None = None) -> list[int]:
    """The distinct promised totals (promised + extension days) of running timed cases (of the
    cases `only` names, when given)."""
    cases = Case.objects.filter(_running_q()).exclude(kind=CaseKind.IMMEDIATE)
    if only is not None:
        cases = cases.filter(pk__in=only)
    pairs = cases.order_by().values_list("promised_days", "extension_days").distinct()
    return sorted({promised + extension for promised, extension in pairs})


def _changed_case_ids(since: datetime.datetime) -> QuerySet[Any]:
    """Cases with an event since `since` (every action on a case writes one)."""
    return (
        Event.objects.filter(at__gte=since, object_type=Case._meta.label_lower)
        .annotate(case_pk=Cast("object_id", BigIntegerField()))
        .values("case_pk")
    )


def _withdraw(
    rules: list[AlertRule],
    calendars: _Calendars,
    today: datetime.date,
    totals: list[int],
    changed: QuerySet[Any] | None,
    moment: datetime.datetime,
) -> int:
    """Withdraw the live alerts (of the changed cases) whose case no longer meets its rule: one
    pass over the alerts of every rule joined to their cases, the reason read from the case's
    status. A rule switched off loses all its live alerts."""
    withdrawn = 0
    for rule in rules:
        if not rule.is_active:
            off = Alert.objects.live().filter(rule=rule)
            withdrawn += withdraw_alerts(rule, off, reason=WithdrawalReason.RULE_OFF, moment=moment)
    active = {rule.pk: rule for rule in rules if rule.is_active}
    if not active:
        return withdrawn
    holds = Q(pk__in=[])
    for rule in active.values():
        holds |= Q(rule=rule) & _condition(rule, calendars, today, totals, "case__")
    live = Alert.objects.live().filter(rule__in=list(active), case__isnull=False)
    if changed is not None:
        live = live.filter(case_id__in=changed)
    gone = (
        live.annotate(promised_total=F("case__promised_days") + F("case__extension_days"))
        .exclude(_running_q("case__") & holds)
        .order_by()
        .values_list("pk", "rule_id", "case__status")
    )
    stale: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, rule_id, status in gone:
        if status not in UNDECIDED_STATUSES:
            stale[rule_id, WithdrawalReason.FINISHED].append(pk)
        elif status == CaseStatus.SUSPENDED:
            stale[rule_id, WithdrawalReason.SUSPENDED].append(pk)
        else:
            stale[rule_id, WithdrawalReason.DEADLINE_MOVED].append(pk)
    for (rule_id, reason), ids in sorted(stale.items()):
        for start in range(0, len(ids), WITHDRAW_BATCH):
            chunk = Alert.objects.live().filter(pk__in=ids[start : start + WITHDRAW_BATCH])
            withdrawn += withdraw_alerts(active[rule_id], chunk, reason=reason, moment=moment)
    return withdrawn


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
    """The holding cases without a live alert of the rule: all of them, or (incremental) those
    that changed and those that crossed the threshold since the last scan's day — two queries
    rather than one with an OR, so that each can use its index."""
    without = holding.filter(
        ~Exists(Alert.objects.filter(rule=rule, case_id=OuterRef("pk"), withdrawn_at__isnull=True))
    )
    parts = [without]
    if changed is not None:
        parts = [without.filter(pk__in=changed)]
        if crossed is not None:
            parts.append(without.filter(crossed))
    rows: dict[int, tuple[Any, ...]] = {}
    for part in parts:
        for row in part.order_by().values_list(
            "pk",
            "center_id",
            "window_id",
            "received_by_id",
            "promised_due_on",
            "department_id",
            "number",
        ):
            rows[row[0]] = row
    return list(rows.values())


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
        # Same day as the last scan: no case crossed a threshold (the conditions are dates), so
        # only the changed cases are looked at, and only their promised totals matter.
        same_day = incremental and state.last_day == today
        calendars = _calendars()
        totals = _promised_totals(changed if same_day else None)
        batch = uuid.uuid4().hex
        rules = list(AlertRule.objects.filter(subject=AlertSubject.CASE_DEADLINE).order_by("id"))
        withdrawn = _withdraw(rules, calendars, today, totals, changed, moment)
        raised = 0
        for rule in rules:
            if not rule.is_active:
                continue
            holding = _running().filter(_condition(rule, calendars, today, totals))
            crossed = None
            if incremental and not same_day:
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
