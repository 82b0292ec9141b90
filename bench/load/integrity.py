"""Database checks after a load or fault run (issue 20 items 6, 7): nothing lost, nothing twice.

`check_integrity` reads through Django's connection (set DATABASE_URL to the stack's database)
with plain SQL over the tables the load touched, given what the clients were acknowledged:

- cases: every idempotency key answered 200/201 has exactly one case; a key sent but never
  acknowledged (the answer was lost in an outage) has at most one; no case number twice;
- tickets: every ticket token a kiosk got with 201 exists; no ticket number twice in a day; no
  ticket handed out by call-next twice, and none called at two windows;
- alerts: at most one live alert per rule and subject; no alert SMS sent twice to one person;
- SMS: no outbox message written twice (same purpose, object, recipient and text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Findings:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def ok(self, line: str) -> None:
        self.lines.append(f"  ok   {line}")

    def bad(self, line: str) -> None:
        self.lines.append(f"  FAIL {line}")
        self.problems.append(line)

    def check(self, good: bool, line: str) -> None:
        (self.ok if good else self.bad)(line)


def _rows(sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def _in_chunks(sql: str, values: list[str], size: int = 5000) -> list[tuple[Any, ...]]:
    """Run `sql` (with one `IN (%s…)` placeholder written as {in}) over `values` in chunks."""
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        found += _rows(sql.format(marks=", ".join(["%s"] * len(chunk))), chunk)
    return found


def check_integrity(
    *,
    keys_sent: Iterable[str] = (),
    keys_acked: dict[str, str] | None = None,
    tickets_acked: Iterable[str] = (),
    called: Iterable[int] = (),
) -> Findings:
    from govhall.cases.models import Case
    from govhall.core.models import OutboundMessage
    from govhall.frontdesk.models import Ticket
    from govhall.frontdesk.models.queue import TicketCall
    from govhall.supervision.models import Alert

    findings = Findings()
    acked = dict(keys_acked or {})
    sent = sorted(set(keys_sent) | set(acked))
    case_table = Case._meta.db_table
    if sent:
        counts = dict(
            _in_chunks(
                f"SELECT idempotency_key, count(*) FROM {case_table} "
                "WHERE idempotency_key IN ({marks}) GROUP BY idempotency_key",
                sent,
            )
        )
        numbers = dict(
            _in_chunks(
                f"SELECT idempotency_key, number FROM {case_table} "
                "WHERE idempotency_key IN ({marks})",
                sorted(acked),
            )
        )
        lost = [key for key in acked if counts.get(key, 0) == 0]
        twice = [key for key, n in counts.items() if n > 1]
        other = [key for key, number in acked.items() if key in numbers and numbers[key] != number]
        unacked = [key for key in sent if key not in acked]
        made = sum(1 for key in unacked if counts.get(key, 0))
        findings.check(
            not lost and not other,
            f"cases: {len(acked):,} keys acknowledged, {len(acked) - len(lost):,} found "
            f"(lost {len(lost)}, answered with another case {len(other)})",
        )
        findings.check(not twice, f"cases: keys with more than one case: {len(twice)}")
        findings.ok(
            f"cases: {len(unacked):,} keys sent but never acknowledged, {made:,} of them made "
            "a case (the answer was lost; the retry would get it)"
        )
    dup_numbers = _rows(
        f"SELECT number FROM {case_table} GROUP BY number HAVING count(*) > 1 LIMIT 10"
    )
    findings.check(not dup_numbers, f"cases: case numbers used twice: {len(dup_numbers)}")

    ticket_table = Ticket._meta.db_table
    tokens = sorted(set(tickets_acked))
    if tokens:
        found = _in_chunks(f"SELECT token FROM {ticket_table} WHERE token IN ({{marks}})", tokens)
        findings.check(
            len(found) == len(tokens),
            f"tickets: {len(tokens):,} issued to kiosks, {len(found):,} found "
            f"(lost {len(tokens) - len(found)})",
        )
    dup_tickets = _rows(
        f"SELECT center_id, service_date, number FROM {ticket_table} "
        "GROUP BY center_id, service_date, number HAVING count(*) > 1 LIMIT 10"
    )
    findings.check(not dup_tickets, f"tickets: numbers issued twice in a day: {len(dup_tickets)}")
    handed = Counter(called)
    twice_called = [pk for pk, n in handed.items() if n > 1]
    if handed:
        findings.check(
            not twice_called,
            f"tickets: {len(handed):,} handed out by call-next, twice: {len(twice_called)}",
        )
    two_windows = _rows(
        f"SELECT ticket_id FROM {TicketCall._meta.db_table} GROUP BY ticket_id "
        "HAVING count(DISTINCT window_id) > 1 LIMIT 10"
    )
    findings.check(not two_windows, f"tickets: called at two windows: {len(two_windows)}")

    alert_table = Alert._meta.db_table
    live_twice = _rows(
        f"SELECT rule_id, subject_key FROM {alert_table} WHERE withdrawn_at IS NULL "
        "GROUP BY rule_id, subject_key HAVING count(*) > 1 LIMIT 10"
    )
    live = _rows(f"SELECT count(*) FROM {alert_table} WHERE withdrawn_at IS NULL")[0][0]
    findings.check(
        not live_twice, f"alerts: {live:,} live, rule+subject live twice: {len(live_twice)}"
    )
    outbox = OutboundMessage._meta.db_table
    sms_twice = _rows(
        f"SELECT purpose, object_type, object_id, {_quoted('to')}, count(*) FROM {outbox} "
        f"WHERE object_id <> '' GROUP BY purpose, object_type, object_id, {_quoted('to')}, text "
        "HAVING count(*) > 1 LIMIT 10"
    )
    total = _rows(f"SELECT count(*) FROM {outbox}")[0][0]
    findings.check(
        not sms_twice,
        f"SMS: {total:,} in the outbox, written twice: {len(sms_twice)}"
        + (f" e.g. {sms_twice[0][:4]}" if sms_twice else ""),
    )
    return findings


def _quoted(name: str) -> str:
    from django.db import connection

    return str(connection.ops.quote_name(name))
