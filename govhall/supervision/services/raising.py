"""Raising and withdrawing alerts: the one way every scan writes them (SPEC §9).

Entry points:
def raise_alerts(rule, drafts, *, moment, batch) -> int
def withdraw_alerts(rule, alerts, *, reason, moment) -> int

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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.models import Event, User
from govhall.core.notify import send_sms
from govhall.core.roles import Role
from govhall.supervision.events import SupervisionEvent
from govhall.supervision.models import Alert, AlertLevel, AlertQuerySet, AlertRule

BATCH_SIZE = 1000


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


def _events(action: str, rows: Iterable[tuple[int, int, str]], data: dict[str, Any]) -> None:
    """One event per alert (pk, center_id, repr), written in bulk (the names are registered
    constants of `SupervisionEvent`)."""
    Event.objects.bulk_create(
        [
            Event(
                actor=None,
                action=str(action),
                object_type=Alert._meta.label_lower,
                object_id=str(pk),
                object_repr=text[:200],
                center_id=center_id,
                data=data,
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
    """Withdraw the live ones of `alerts` (they no longer hold), each with its event."""
    rows = list(alerts.live().values_list("pk", "center_id", "subject_key"))
    if not rows:
        return 0
    count = Alert.objects.filter(
        pk__in=[pk for pk, _c, _s in rows], withdrawn_at__isnull=True
    ).update(withdrawn_at=moment, withdrawal_reason=reason)
    _events(
        SupervisionEvent.ALERT_WITHDRAW,
        rows,
        {"rule": rule.code, "reason": str(reason)},
    )
    return count


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
