"""Register numbers of complaints (TS…) and petitions (XF…): a letter prefix, the center's code,
yyyyMMdd and a serial from the same never-reused counter as case numbers (SPEC §6)."""

from __future__ import annotations

import datetime

from django.db import transaction

from govhall.cases.services.numbers import format_number, next_serial
from govhall.org.models import Center

COMPLAINT_PREFIX = "TS"
PETITION_PREFIX = "XF"


def next_register_number(*, letters: str, center: Center, day: datetime.date) -> str:
    """A new number such as TS3301002026120700003; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_register_number must run inside the creating transaction")
    prefix = f"{letters}{center.code}"
    return format_number(prefix, day, next_serial(prefix=prefix, day=day))
