"""The step scan (每个环节的办理时限, issue 14 item 2): a case in one step longer than its limit.

Entry points:
def scan_case_steps(*, now=None, full=False) -> ScanResult
def over_limit_condition(calendars, day, limits, *, steps=None) -> Q   (timeout default too)

Each step of a case has its own limit in working days (`govhall.catalog.step_limits`: the item's
own, else the setting), counted from `Case.step_started_at` by the center's calendar
(`govhall.cases.steps`). Two more limits are dates on the case: escalation forwarding (an
escalated case still waiting after its `forward_by`) and pending materials — green channel, or
attachments the applicant promised — still missing after `pending_due_on`.

One alert per step taken, never twice: subject_key "case:<id>:<status>:<step_started_at as epoch
seconds>" (a case entering the same status again is a new subject), and for pending materials
"case:<id>:pending:<pending_due_on>". The alert is withdrawn when the case left the step
(finished) or the limit no longer holds (the item's limit raised, a calendar change).

Every condition is one SQL clause: per step, per distinct limit (the default and the items' own
values) and per calendar one cutoff moment, so Python work grows with steps × limits × calendars,
never with cases. Incremental like the deadline scan: after a full scan only cases that crossed a
cutoff since the last scan's day, or changed since (their events, or their item's), are looked
at; a calendar revision makes the next scan full. The scan state row is locked FOR UPDATE, the
database keeps one live alert per rule and subject.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.case_transitions import OPEN_STATUSES
from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.cases.steps import STEP_OF_STATUS, step_cutoff
from govhall.catalog.models import ServiceItem
from govhall.catalog.step_limits import LIMIT_FIELDS, Step, default_step_limit, limit_field
from govhall.core.models import User
from govhall.core.roles import BACK_OFFICE_ROLES, Role
from govhall.supervision.models import Alert, AlertRule, AlertSubject, WithdrawalReason
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts,
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

SCAN_NAME = AlertSubject.CASE_STEP.value
PENDING = "pending"
# Back-office steps: answered by the department's reviewer or approver.
BACK_OFFICE_ROLE = {
    CaseStatus.IN_REVIEW: Role.REVIEWER,
    CaseStatus.AWAITING_APPROVAL: Role.APPROVER,
    CaseStatus.JOINT_REVIEW: Role.APPROVER,
}


def _statuses_by_step() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for status, step in STEP_OF_STATUS.items():
        grouped[step].append(status)
    return grouped


def limits_in_use() -> dict[str, set[int]]:
    """Per step, the distinct limits that apply: the default and the items' own (one query)."""
    found: dict[str, set[int]] = {step: {default_step_limit(step)} for step in Step}
    for row in ServiceItem.objects.order_by().values_list(*LIMIT_FIELDS).distinct():
        for step, value in zip(Step, row, strict=True):
            if value is not None:
                found[step].add(int(value))
    return found


def _started_before(calendars: Calendars, day: datetime.date, days: int) -> Q:
    """The case's step began before the cutoff of a `days` limit on `day` (its center's
    calendar)."""

    def before(cutoff: datetime.datetime | None) -> Q:
        return Q(step_started_at__lt=cutoff) if cutoff is not None else Q(pk__in=[])

    special = list(calendars.special)
    clause = ~Q(center_id__in=special) & before(step_cutoff(calendars.national, day, days))
    for center_id, calendar in calendars.special.items():
        clause |= Q(center_id=center_id) & before(step_cutoff(calendar, day, days))
    return clause


def over_limit_condition(
    calendars: Calendars,
    day: datetime.date,
    limits: dict[str, set[int]],
    *,
    steps: Iterable[str] | None = None,
) -> Q:
    """Cases in a step (of `steps`, default all) longer than its limit on `day`."""
    wanted = set(steps) if steps is not None else set(Step)
    clause = Q(pk__in=[])
    for step, statuses in _statuses_by_step().items():
        if step not in wanted:
            continue
        field = f"item__{limit_field(step)}"
        default = default_step_limit(step)
        for days in sorted(limits[step]):
            own = Q(**{field: days})
            if days == default:
                own |= Q(**{f"{field}__isnull": True})
            clause |= Q(status__in=statuses) & own & _started_before(calendars, day, days)
    return clause


def _escalation_condition(day: datetime.date) -> Q:
    return Q(status=CaseStatus.ESCALATED, forward_by__lt=day)


def _pending_condition(day: datetime.date) -> Q:
    # Green-channel materials and attachments accepted on the applicant's promise alike
    # (issue 16 item 5): `pending_due_on` is set only while some material is pending.
    return Q(status__in=OPEN_STATUSES, pending_due_on__lt=day)


def _changed_case_ids(since: datetime.datetime) -> Q:
    """Cases with an event since `since`, or whose item changed (its limits may have)."""
    return Q(pk__in=changed_ids(Case, since)) | Q(item_id__in=changed_ids(ServiceItem, since))


def _epoch(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def _step_key(pk: int, status: str, started: datetime.datetime) -> str:
    return f"case:{pk}:{status}:{_epoch(started)}"


def _pending_key(pk: int, due: datetime.date) -> str:
    return f"case:{pk}:{PENDING}:{due.isoformat()}"


ROW_FIELDS = (
    "pk",
    "center_id",
    "window_id",
    "received_by_id",
    "department_id",
    "number",
    "status",
    "step_started_at",
    "forward_by",
    "pending_due_on",
    *[f"item__{name}" for name in LIMIT_FIELDS],
)


def _back_office_people(rows: list[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """(department, role) → the first active reviewer or approver of that department (the
    case records no reviewer or approver until it is decided)."""
    departments = {row["department_id"] for row in rows if row["status"] in BACK_OFFICE_ROLE}
    if not departments:
        return {}
    found: dict[tuple[int, str], int] = {}
    people = (
        User.objects.filter(
            is_active=True,
            groups__name__in=[role.value for role in BACK_OFFICE_ROLES],
            staff__department_id__in=departments,
        )
        .order_by("pk")
        .values_list("staff__department_id", "groups__name", "pk")
    )
    for department, role, pk in people:
        found.setdefault((department, role), pk)
    return found


def _detail(row: dict[str, Any], pending: bool) -> str:
    if pending:
        return _("Case %(number)s: pending materials were due on %(due)s.") % {
            "number": row["number"],
            "due": row["pending_due_on"].isoformat(),
        }
    status = row["status"]
    if status == CaseStatus.ESCALATED:
        return _("Case %(number)s: forwarding to the higher level was due on %(due)s.") % {
            "number": row["number"],
            "due": row["forward_by"].isoformat(),
        }
    step = STEP_OF_STATUS[status]
    own = row[f"item__{limit_field(step)}"]
    return _(
        "Case %(number)s: the %(step)s step (since %(since)s) is over its limit of %(days)d "
        "working days."
    ) % {
        "number": row["number"],
        "step": Step(step).label,
        "since": timezone.localtime(row["step_started_at"]).strftime("%Y-%m-%d %H:%M"),
        "days": own if own is not None else default_step_limit(step),
    }


def _drafts(
    rows: list[dict[str, Any]], pending: bool, moment: datetime.datetime, live: set[str]
) -> list[AlertDraft]:
    fresh = []
    for row in rows:
        key = (
            _pending_key(row["pk"], row["pending_due_on"])
            if pending
            else _step_key(row["pk"], row["status"], row["step_started_at"])
        )
        if key not in live:
            fresh.append((key, row))
    if not fresh:
        return []
    day = timezone.localdate(moment)
    window_people = case_responsible(
        [
            (row["pk"], row["center_id"], row["window_id"], row["received_by_id"], day)
            for _key, row in fresh
        ],
        moment,
    )
    office = _back_office_people([row for _key, row in fresh])
    drafts = []
    for key, row in fresh:
        role = None if pending else BACK_OFFICE_ROLE.get(row["status"])
        person = office.get((row["department_id"], role)) if role else None
        drafts.append(
            AlertDraft(
                subject_key=key,
                center_id=row["center_id"],
                occurred_on=day,
                detail=_detail(row, pending),
                case_id=row["pk"],
                department_id=row["department_id"],
                window_id=row["window_id"],
                responsible_id=person or window_people[row["pk"]],
                due_on=row["pending_due_on"] if pending else row["forward_by"],
            )
        )
    return drafts


def _live_keys(rule: AlertRule, case_ids: list[int]) -> set[str]:
    if not case_ids:
        return set()
    return set(
        Alert.objects.live()
        .filter(rule=rule, case_id__in=case_ids)
        .values_list("subject_key", flat=True)
    )


def _withdraw(
    rule: AlertRule,
    step_holding: QuerySet[Case],
    pending_holding: QuerySet[Case],
    changed: Q | None,
    moment: datetime.datetime,
) -> int:
    live = Alert.objects.live().filter(rule=rule)
    if not rule.is_active:
        return withdraw_switched_off(rule, moment=moment, alerts=live)
    if changed is not None:
        live = live.filter(case_id__in=Case.objects.filter(changed).values("pk"))
    rows = list(
        live.values_list(
            "pk", "subject_key", "case_id", "case__status", "case__step_started_at",
            "case__pending_due_on",
        )
    )  # fmt: skip
    if not rows:
        return 0
    ids = {case_id for _pk, _key, case_id, *_rest in rows}
    over = set(step_holding.filter(pk__in=ids).values_list("pk", flat=True))
    pending_over = set(pending_holding.filter(pk__in=ids).values_list("pk", flat=True))
    stale: dict[str, list[int]] = defaultdict(list)
    for pk, key, case_id, status, started, pending_due in rows:
        if f":{PENDING}:" in key:
            if pending_due is None or _pending_key(case_id, pending_due) != key:
                stale[WithdrawalReason.FINISHED].append(pk)
            elif case_id not in pending_over:
                stale[WithdrawalReason.NO_LONGER_HOLDS].append(pk)
        elif _step_key(case_id, status, started) != key:
            stale[WithdrawalReason.FINISHED].append(pk)  # the case left the step
        elif case_id not in over:
            stale[WithdrawalReason.NO_LONGER_HOLDS].append(pk)
    return sum(
        withdraw_alerts(rule, Alert.objects.filter(pk__in=pks), reason=reason, moment=moment)
        for reason, pks in stale.items()
    )


def scan_case_steps(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise the missing step alerts and withdraw those that no longer hold."""
    started = timezone.now()  # the wall clock: what "changed since" compares with
    moment = now or started
    today = timezone.localdate(moment)
    with locked_state(SCAN_NAME) as state:
        revision = current_revision()
        incremental = may_go_incremental(state, full=full, today=today, revision=revision)
        changed = _changed_case_ids(state.last_scan_at) if incremental else None  # type: ignore[arg-type]
        calendars = scan_calendars()
        limits = limits_in_use()
        batch = uuid.uuid4().hex
        raised = withdrawn = 0

        def step_holds(day: datetime.date) -> Q:
            return over_limit_condition(calendars, day, limits) | _escalation_condition(day)

        parts = ((False, step_holds), (True, _pending_condition))
        step_holding = Case.objects.filter(step_holds(today))
        pending_holding = Case.objects.filter(_pending_condition(today))
        for rule in AlertRule.objects.filter(subject=AlertSubject.CASE_STEP).order_by("id"):
            withdrawn += _withdraw(rule, step_holding, pending_holding, changed, moment)
            if not rule.is_active:
                continue
            for pending, holds in parts:
                qs = Case.objects.filter(holds(today))
                if incremental:
                    assert state.last_day is not None and changed is not None
                    qs = qs.filter(~holds(state.last_day) | changed)
                rows = list(qs.order_by().values(*ROW_FIELDS))
                live = _live_keys(rule, [row["pk"] for row in rows])
                drafts = _drafts(rows, pending, moment, live)
                raised += raise_alerts(rule, drafts, moment=moment, batch=batch)
        mark_scanned(state, started=started, today=today, revision=revision)
    return ScanResult(day=today, full=not incremental, raised=raised, withdrawn=withdrawn)


def forget_scan_state() -> None:
    """Make the next scan a full one (after a rule or a limit setting changed)."""
    forget_state(SCAN_NAME)
