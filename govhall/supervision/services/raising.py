"""Raising and withdrawing alerts: the one way every scan writes them (SPEC §9).

Entry points:
def raise_alerts(rule, drafts, *, moment, batch) -> int
def withdraw_alerts(rule, alerts, *, reason, moment) -> int
def withdraw_alerts_each(alerts, *, reason, moment) -> int
def withdraw_switched_off(rule, *, moment, alerts=None) -> int
def withdraw_case_alerts(groups, *, moment) -> int

A scan decides *what* holds (in SQL) and hands drafts here. Raising is idempotent and safe with
two scans at once: the database keeps one live alert per rule and subject
(`alert_live_unique`), inserts skip conflicts, and only the rows of this scan's batch are
announced (event and messages). Who is told follows the rule's flags: the person responsible
(resolved by the scan through A/B cover), the window head, the department's leaders and the
center's hall directors — in the workbench (their inboxes read the alerts) and by SMS through
the notification adapter after commit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Expression, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import Event, User
from govhall.core.notify import send_sms
from govhall.core.roles import Role
from govhall.supervision.events import SupervisionEvent
from govhall.supervision.models import (
    Alert,
    AlertLevel,
    AlertQuerySet,
    AlertRule,
    WithdrawalReason,
)

BATCH_SIZE = 1000
WITHDRAW_BATCH = 5000


@dataclass(frozen=True)
class AlertDraft:
    """What a scan found: one subject the rule holds for."""

    subject_key: str
    center_id: int
    occurred_on: datetime.date
    detail: str = ""
    case_id: int | None = None
    department_id: int | None = None
    window_id: int | None = None
    responsible_id: int | None = None
    due_on: datetime.date | None = None


def _events(
    action: str,
    rows: Iterable[tuple[int, int, str]],
    data: dict[str, Any] | Callable[[int], dict[str, Any]],
) -> None:
    """One event per alert (pk, center_id, repr), written in bulk (the names are registered
    constants of `SupervisionEvent`); `data` the same for all, or by the alert's pk."""
    Event.objects.bulk_create(
        [
            Event(
                actor=None,
                action=str(action),
                object_type=Alert._meta.label_lower,
                object_id=str(pk),
                object_repr=text[:200],
                center_id=center_id,
                data=data(pk) if callable(data) else data,
            )
            for pk, center_id, text in rows
        ],
        batch_size=BATCH_SIZE,
    )


def raise_alerts(
    rule: AlertRule,
    drafts: list[AlertDraft],
    *,
    moment: datetime.datetime,
    batch: str,
) -> int:
    """Insert the drafts not already live for the rule; announce and tell about the new ones.
    Returns how many this call raised."""
    if not drafts or not rule.is_active:
        return 0
    Alert.objects.bulk_create(
        [
            Alert(
                rule=rule,
                level=rule.level,
                subject_key=draft.subject_key,
                case_id=draft.case_id,
                center_id=draft.center_id,
                department_id=draft.department_id,
                window_id=draft.window_id,
                responsible_id=draft.responsible_id,
                occurred_on=draft.occurred_on,
                due_on=draft.due_on,
                detail=draft.detail[:300],
                raised_at=moment,
                points=rule.points,
                is_violation=rule.counts_as_violation,
                batch=batch,
            )
            for draft in drafts
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    new = list(
        Alert.objects.filter(batch=batch, rule=rule).values_list(
            "pk",
            "center_id",
            "department_id",
            "detail",
            "case__number",
            "responsible__phone",
            "window__head__phone",
        )
    )
    _events(
        SupervisionEvent.ALERT_RAISE,
        [(pk, center, number or detail) for pk, center, _d, detail, number, *_r in new],
        {"rule": rule.code, "level": rule.level},
    )
    _notify(rule, new)
    return len(new)


def withdraw_alerts(
    rule: AlertRule,
    alerts: AlertQuerySet,
    *,
    reason: str,
    moment: datetime.datetime,
) -> int:
    """Withdraw the live ones of `alerts` (of `rule`; they no longer hold), each with its
    event."""
    return withdraw_alerts_each(alerts, reason=reason, moment=moment)


def withdraw_alerts_each(
    alerts: AlertQuerySet,
    *,
    reason: str | Expression,
    moment: datetime.datetime,
) -> int:
    """Withdraw the live ones of `alerts` (of any rules), each with its event: one SELECT of
    what to withdraw, an UPDATE … RETURNING per reason (only the rows it withdrew, whatever runs
    at once) and one bulk insert of their events. `reason` a `WithdrawalReason`, or an
    expression over the alert (and its joins, e.g. a `Case`/`When` on `case__status`) giving
    one per alert. (The SELECT first: a planner cannot tell that few alerts go, and an UPDATE
    joined to the query would hash every live alert.)"""
    why = reason if isinstance(reason, Expression) else Value(str(reason))
    groups: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for pk, text in alerts.live().order_by().annotate(why=why).values_list("pk", "why"):
        groups[None, text].append(pk)
    return _withdraw_rows(alerts.db, "id", groups.items(), moment)


def withdraw_case_alerts(
    groups: dict[tuple[int, str], list[int]], *, moment: datetime.datetime
) -> int:
    """Withdraw the live alerts of each (rule id, reason) group's cases (by case id), each with
    its event: what a scan that already knows the cases and reasons calls."""
    return _withdraw_rows("default", "case_id", groups.items(), moment)


def _withdraw_rows(
    db: str,
    column: str,
    groups: Iterable[tuple[tuple[int | None, str], list[int]]],
    moment: datetime.datetime,
) -> int:
    """Withdraw the live alerts whose `column` ("id" or "case_id") is among each group's
    values (of the group's rule, when given) with the group's reason; announce exactly the rows
    each UPDATE … RETURNING withdrew. On PostgreSQL the events are written by the same
    statement (a data-modifying WITH, values as one array): nothing per row in Python."""
    connection = connections[db]
    quote = connection.ops.quote_name
    table = quote(Alert._meta.db_table)
    when = Alert._meta.get_field("withdrawn_at").get_db_prep_value(moment, connection)
    returning = "RETURNING id, center_id, subject_key, rule_id, withdrawal_reason"
    withdrawn = 0
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for (rule_id, reason), values in sorted(groups, key=str):
            by_rule, rule_params = ("AND rule_id = %s", [rule_id]) if rule_id else ("", [])
            if connection.vendor == "postgresql":
                at = Event._meta.get_field("at").get_db_prep_value(timezone.now(), connection)
                cursor.execute(
                    f"WITH gone AS (UPDATE {table} SET withdrawn_at = %s, withdrawal_reason = %s "
                    f"WHERE {column} = ANY(%s) {by_rule} AND withdrawn_at IS NULL {returning}) "
                    f"INSERT INTO {quote(Event._meta.db_table)} (at, actor_id, action, "
                    "object_type, object_id, object_repr, center_id, note, data) "
                    "SELECT %s, NULL, %s, %s, gone.id::text, left(gone.subject_key, 200), "
                    "gone.center_id, '', jsonb_build_object('rule', rule.code, 'reason', "
                    f"gone.withdrawal_reason) FROM gone JOIN {quote(AlertRule._meta.db_table)} "
                    "AS rule ON rule.id = gone.rule_id",
                    [
                        when,
                        reason,
                        values,
                        *rule_params,
                        at,
                        str(SupervisionEvent.ALERT_WITHDRAW),
                        Alert._meta.label_lower,
                    ],
                )
                withdrawn += cursor.rowcount
                continue
            for start in range(0, len(values), WITHDRAW_BATCH):
                chunk = values[start : start + WITHDRAW_BATCH]
                cursor.execute(
                    f"UPDATE {table} SET withdrawn_at = %s, withdrawal_reason = %s "
                    f"WHERE {column} IN ({', '.join(['%s'] * len(chunk))}) {by_rule} "
                    f"AND withdrawn_at IS NULL {returning}",
                    [when, reason, *chunk, *rule_params],
                )
                rows.extend(cursor.fetchall())
    if not rows:
        return withdrawn
    codes = dict(
        AlertRule.objects.using(db)
        .filter(pk__in={row[3] for row in rows})
        .values_list("pk", "code")
    )
    data = {pk: {"rule": codes[rule_id], "reason": why} for pk, _c, _s, rule_id, why in rows}
    _events(
        SupervisionEvent.ALERT_WITHDRAW,
        [(pk, center, subject) for pk, center, subject, _r, _w in rows],
        data.__getitem__,
    )
    return withdrawn + len(rows)


def withdraw_switched_off(
    rule: AlertRule, *, moment: datetime.datetime, alerts: AlertQuerySet | None = None
) -> int:
    """A rule switched off loses all its live alerts (or those of `alerts`, its live ones)."""
    live = alerts if alerts is not None else Alert.objects.live().filter(rule=rule)
    return withdraw_alerts(rule, live, reason=WithdrawalReason.RULE_OFF, moment=moment)


def _managers(role: Role, field: str, ids: set[int]) -> dict[int, list[str]]:
    """Phones of the staff with `role` by their department or center id."""
    if not ids:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        User.objects.filter(is_active=True, groups__name=role.value, **{f"staff__{field}__in": ids})
        .exclude(phone="")
        .values_list(f"staff__{field}", "phone")
    )
    for key, phone in rows:
        found[key].append(phone)
    return found


# Public for the peers in layer 4 that tell the same people at once (feedback: a bad rating's
# department leaders): phones of the staff with a role by department or center id.
manager_phones = _managers


def _notify(rule: AlertRule, new: list[tuple[Any, ...]]) -> None:
    """Tell the people of each new alert by SMS, after commit."""
    if not new:
        return
    leaders = (
        _managers(Role.DEPT_LEADER, "department_id", {row[2] for row in new if row[2]})
        if rule.notify_department_leader
        else {}
    )
    directors = (
        _managers(Role.DIRECTOR, "center_id", {row[1] for row in new})
        if rule.notify_director
        else {}
    )
    level = AlertLevel(rule.level).label
    messages: list[tuple[str, str, int, int]] = []
    for pk, center, department, detail, _number, responsible_phone, head_phone in new:
        phones: list[str] = []
        if rule.notify_responsible and responsible_phone:
            phones.append(responsible_phone)
        if rule.notify_window_head and head_phone:
            phones.append(head_phone)
        phones.extend(leaders.get(department, []))
        phones.extend(directors.get(center, []))
        text = _("Supervision %(level)s: %(detail)s") % {"level": level, "detail": detail}
        seen: set[str] = set()
        for phone in phones:
            phone = phone.strip()
            if phone and phone not in seen:
                seen.add(phone)
                messages.append((phone, text, pk, center))
    if not messages:
        return

    def send() -> None:
        for phone, text, pk, center in messages:
            send_sms(
                to=phone, text=text, purpose="supervision.alert", obj=Alert(pk=pk), center_id=center
            )

    transaction.on_commit(send)
