"""Two fills of the same month at once (the beat task and a page) leave one sheet per person and
one entry per alert (PostgreSQL: real parallelism and row locks)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from govhall.assessment.models import ScoreEntry, ScoreSheet
from govhall.assessment.services.fill import score_sheets_fill
from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.testing.assessment import raise_alert
from govhall.testing.parallel import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
    ),
]
MONTH = datetime.date(2025, 10, 1)


def test_two_fills_at_once(county: Center, window: Window, clerk: User, window_head: User) -> None:
    for day in (3, 9, 17):
        raise_alert(
            "post_empty.red",
            center=county,
            responsible=window_head,
            day=datetime.date(2025, 10, day),
        )
    results = run_at_once([lambda: score_sheets_fill(month=MONTH) for _ in range(3)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert ScoreSheet.objects.filter(month=MONTH).count() == 2
    assert ScoreEntry.objects.count() == 3
    assert ScoreSheet.objects.get(person=window_head).score == Decimal("94.0")
