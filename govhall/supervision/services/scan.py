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

from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES, UNDECIDED_STATUSES
from govhall.cases.models import Case
from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.supervision.models import (
    Alert,
    AlertLevel,
    AlertRule,
    AlertSubject,
    WithdrawalReason,
)
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts_each,
    withdraw_case_alerts,
    withdraw_switched_off,
)
from govhall.supervision.services.responsibility import case_responsible
from govhall.supervision.services.scanning import (
    Calendars,
    ScanResult,
    changed_ids,
    forget_state,
    locked_state,
    mark_scanned,
    may_go_incremental,
    scan_calendars,
)
from govhall.workdays.queries.calendar import current_revision
from govhall.workdays.queries.work_calendar import CalendarRangeError, WorkCalendar

SCAN_NAME = AlertSubject.CASE_DEADLINE.value
CHUNK = 5000  # ids per IN (…)


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
    calendars: Calendars,
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


def _holds(
    rule: AlertRule,
    calendars: Calendars,
    day: datetime.date,
    case: _Changed,
    cutoffs: dict[tuple[int | None, int], datetime.date],
) -> bool:
    """`_condition` for one case already read (the incremental scan reads each changed case
    once): the same cutoffs, compared in Python."""
    if case.status not in CLOCK_RUNNING_STATUSES or case.due is None:
        return False
    if rule.level == AlertLevel.RED:
        return case.due < day
    if case.kind == CaseKind.IMMEDIATE:
        return False
    if rule.level == AlertLevel.REMINDER:
        left = rule.threshold_days or 0
    elif rule.level == AlertLevel.YELLOW:
        total = case.promised_days + case.extension_days
        if total <= 0:
            return False
        left = yellow_days_left(total, rule.threshold_percent or 100)
    else:
        return False
    own = case.center_id if case.center_id in calendars.special else None
    key = (own, left)
    if key not in cutoffs:
        calendar = calendars.special[own] if own is not None else calendars.national
        cutoffs[key] = _cutoff(calendar, day, left)
    return case.due < cutoffs[key]


@dataclass(frozen=True)
class _Changed:
    """A changed case as the incremental scan reads it (once)."""

    pk: int
    status: str
    kind: str
    due: datetime.date | None
    promised_days: int
    extension_days: int
    center_id: int
    window_id: int | None
    received_by_id: int | None
    department_id: int | None
    number: str
    live: frozenset[int]  # the rules with a live alert on it


_CHANGED_FIELDS = (
    "pk",
    "status",
    "kind",
    "promised_due_on",
    "promised_days",
    "extension_days",
    "center_id",
    "window_id",
    "received_by_id",
    "department_id",
    "number",
)


def _read_changed(changed: QuerySet[Any], rules: list[AlertRule]) -> list[_Changed]:
    """The changed cases, each with the rules it has a live alert of: one query."""
    live = {
        f"live_{rule.pk}": Exists(
            Alert.objects.filter(rule=rule, case_id=OuterRef("pk"), withdrawn_at__isnull=True)
        )
        for rule in rules
    }
    rows = Case.objects.filter(pk__in=changed).annotate(**live).values_list(*_CHANGED_FIELDS, *live)
    width = len(_CHANGED_FIELDS)
    cases = []
    for row in rows.order_by():
        pk, status, kind, due, promised, extension, center, window, by, department, number = row[
            :width
        ]
        flags = row[width:]
        cases.append(
            _Changed(
                pk=pk,
                status=status,
                kind=kind,
                due=due,
                promised_days=promised,
                extension_days=extension,
                center_id=center,
                window_id=window,
                received_by_id=by,
                department_id=department,
                number=number,
                live=frozenset(r.pk for r, flag in zip(rules, flags, strict=True) if flag),
            )
        )
    return cases


def _withdraw_changed(
    rules: list[AlertRule],
    calendars: Calendars,
    today: datetime.date,
    cases: list[_Changed],
    cutoffs: dict[tuple[int | None, int], datetime.date],
    moment: datetime.datetime,
) -> int:
    """Withdraw the live alerts of the changed cases whose rule no longer holds: an UPDATE per
    (rule, reason) on the cases' ids, the reason from the case's status."""
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for case in cases:
        if case.status not in UNDECIDED_STATUSES:
            reason = WithdrawalReason.FINISHED.value
        elif case.status == CaseStatus.SUSPENDED:
            reason = WithdrawalReason.SUSPENDED.value
        else:
            reason = WithdrawalReason.DEADLINE_MOVED.value
        for rule in rules:
            if rule.pk in case.live and not _holds(rule, calendars, today, case, cutoffs):
                groups[rule.pk, reason].append(case.pk)
    return withdraw_case_alerts(groups, moment=moment)


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


def _promised_totals() -> list[int]:
    """The distinct promised totals (promised + extension days) of running timed cases."""
    cases = Case.objects.filter(_running_q()).exclude(kind=CaseKind.IMMEDIATE)
    pairs = cases.order_by().values_list("promised_days", "extension_days").distinct()
    return sorted({promised + extension for promised, extension in pairs})


def _withdraw_off(rules: list[AlertRule], moment: datetime.datetime) -> int:
    """A rule switched off loses all its live alerts."""
    withdrawn = 0
    for rule in rules:
        if not rule.is_active:
            withdrawn += withdraw_switched_off(rule, moment=moment)
    return withdrawn


def _withdraw(
    rules: list[AlertRule],
    calendars: Calendars,
    today: datetime.date,
    totals: list[int],
    moment: datetime.datetime,
) -> int:
    """Withdraw the live alerts whose case no longer meets its rule, the reason read from the
    case's status: per rule, an anti-join of its live alerts (rule, case) with the cases that
    meet it — both read from index only (`alert_live_case_idx`, `case_running_due_idx`) —,
    then the few that go. A rule switched off loses all its live alerts."""
    withdrawn = _withdraw_off(rules, moment)
    reason = DbCase(
        When(
            ~Q(case__status__in=UNDECIDED_STATUSES),
            then=Value(WithdrawalReason.FINISHED.value),
        ),
        When(case__status=CaseStatus.SUSPENDED, then=Value(WithdrawalReason.SUSPENDED.value)),
        default=Value(WithdrawalReason.DEADLINE_MOVED.value),
        output_field=CharField(),
    )
    for rule in rules:
        if not rule.is_active:
            continue
        holding = _running().filter(_condition(rule, calendars, today, totals))
        gone = list(
            Alert.objects.live()
            .filter(rule=rule, case__isnull=False)
            .filter(~Exists(holding.filter(pk=OuterRef("case_id"))))
            .order_by()
            .values_list("case_id", flat=True)
        )
        for start in range(0, len(gone), CHUNK):
            alerts = Alert.objects.filter(rule=rule, case_id__in=gone[start : start + CHUNK])
            withdrawn += withdraw_alerts_each(alerts, reason=reason, moment=moment)
    return withdrawn


def _missing(rule: AlertRule, holding: QuerySet[Case]) -> list[tuple[Any, ...]]:
    """The holding cases without a live alert of the rule: their ids from an anti-join that
    reads only indexes (`case_running_due_idx` and the live alerts' `alert_live_case_idx`), then
    what the alerts need of those few."""
    without = holding.filter(
        ~Exists(Alert.objects.filter(rule=rule, case_id=OuterRef("pk"), withdrawn_at__isnull=True))
    )
    ids = list(without.order_by().values_list("pk", flat=True))
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), CHUNK):
        rows.extend(
            Case.objects.filter(pk__in=ids[start : start + CHUNK])
            .order_by()
            .values_list(
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
    people = case_responsible([row[:5] for row in rows], moment)
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
    with locked_state(SCAN_NAME) as state:
        revision = current_revision()
        incremental = may_go_incremental(state, full=full, today=today, revision=revision)
        changed = changed_ids(Case, state.last_scan_at) if incremental else None  # type: ignore[arg-type]
        # Same day as the last scan: no case crossed a threshold (the conditions are dates), so
        # only the changed cases are looked at, and only their promised totals matter.
        same_day = incremental and state.last_day == today
        calendars = scan_calendars()
        batch = uuid.uuid4().hex
        rules = list(AlertRule.objects.filter(subject=AlertSubject.CASE_DEADLINE).order_by("id"))
        active = [rule for rule in rules if rule.is_active]
        raised = 0
        if changed is None:
            totals = _promised_totals()
            withdrawn = _withdraw(rules, calendars, today, totals, moment)
            for rule in active:
                holding = _running().filter(_condition(rule, calendars, today, totals))
                raised += _raise(rule, _missing(rule, holding), moment, batch)
        else:
            # Each changed case is read once; its rules are decided in Python on the same
            # cutoffs. Cases that did not change can only have crossed a threshold since the
            # last scan's day (none, on the same day): SQL on the running cases for those.
            withdrawn = _withdraw_off(rules, moment)
            cases = _read_changed(changed, active)
            cutoffs: dict[tuple[int | None, int], datetime.date] = {}
            withdrawn += _withdraw_changed(active, calendars, today, cases, cutoffs, moment)
            totals = [] if same_day else _promised_totals()
            for rule in active:
                rows = {
                    case.pk: (
                        case.pk,
                        case.center_id,
                        case.window_id,
                        case.received_by_id,
                        case.due,
                        case.department_id,
                        case.number,
                    )
                    for case in cases
                    if rule.pk not in case.live and _holds(rule, calendars, today, case, cutoffs)
                }
                if not same_day:
                    assert state.last_day is not None
                    crossed = ~_condition(rule, calendars, state.last_day, totals)
                    holding = _running().filter(_condition(rule, calendars, today, totals))
                    for row in _missing(rule, holding.filter(crossed)):
                        rows[row[0]] = row
                raised += _raise(rule, list(rows.values()), moment, batch)
        mark_scanned(state, started=started, today=today, revision=revision)
    return ScanResult(day=today, full=not incremental, raised=raised, withdrawn=withdrawn)


def forget_scan_state() -> None:
    """Make the next scan a full one (after a rule changed)."""
    forget_state(SCAN_NAME)
