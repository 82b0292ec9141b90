"""Case numbers: center code + yyyyMMdd + a 5-digit serial, unique and never reused (SPEC §6).

The serial comes from `CaseNumberCounter`, one row per prefix and day, bumped by an UPDATE that
holds the row lock until the caller's transaction ends: two intakes at once get consecutive
serials, and a rolled-back intake gives its serial back with its case, so no committed number
is ever handed out twice.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction

from govhall.cases.models import CaseNumberCounter
from govhall.org.models import Center

SERIAL_DIGITS = 5


def _bump(prefix: str, day: datetime.date) -> int | None:
    """The day's counter plus one, or None when the day has no row yet: one UPDATE … RETURNING
    (PostgreSQL, SQLite ≥ 3.35), which holds the row lock until our transaction ends."""
    table = connection.ops.quote_name(CaseNumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND day = %s RETURNING last",
            [prefix, connection.ops.adapt_datefield_value(day)],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_serial(*, prefix: str, day: datetime.date) -> int:
    """The next serial of `prefix` on `day`; call inside the transaction that uses it."""
    serial = _bump(prefix, day)
    if serial is not None:
        return serial
    try:
        with transaction.atomic():  # a savepoint: a concurrent first insert must not spoil ours
            CaseNumberCounter.objects.create(prefix=prefix, day=day, last=1)
        return 1
    except IntegrityError:
        # Someone else created the day's row first; their insert committed, so bump it.
        serial = _bump(prefix, day)
        if serial is None:  # pragma: no cover - the row exists: the insert just said so
            raise
        return serial


def format_number(prefix: str, day: datetime.date, serial: int) -> str:
    return f"{prefix}{day:%Y%m%d}{serial:0{SERIAL_DIGITS}d}"


def next_case_number(*, center: Center, day: datetime.date) -> str:
    """A new case number of `center` for `day`, e.g. 3301002025100900042."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_case_number must run inside the transaction creating the case")
    serial = next_serial(prefix=center.code, day=day)
    return format_number(center.code, day, serial)
