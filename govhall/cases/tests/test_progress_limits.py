"""The public progress inquiry's failure budget is counted atomically (issue 12 item 3): the
address and the case-number budgets hold in parallel on PostgreSQL (today's row count could be
raced past), and a right answer gives its hit back."""

from __future__ import annotations

import pytest
from django.db import connection

from govhall.cases.models import ProgressLookup
from govhall.cases.services.progress import ProgressLimited, progress_lookup
from govhall.core.models import RateCounter
from govhall.testing.parallel import run_at_once

CALLERS = 24


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.GOVHALL_PROGRESS_WINDOW_MINUTES = 15
    settings.GOVHALL_PROGRESS_MAX_FAILURES_PER_CLIENT = 4
    settings.GOVHALL_PROGRESS_MAX_FAILURES_PER_CASE = 3


@pytest.mark.django_db
def test_failures_are_counted_and_refused_at_the_budget():
    for n in range(4):
        assert progress_lookup(number=f"NO-{n}", last4="0000", client="10.0.0.1") is None
    with pytest.raises(ProgressLimited):
        progress_lookup(number="NO-9", last4="0000", client="10.0.0.1")
    assert ProgressLookup.objects.count() == 4  # the refused one is not even recorded
    assert progress_lookup(number="NO-9", last4="0000", client="10.0.0.2") is None


pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL and real parallelism"
)


def _outcomes(results: list[object]) -> tuple[int, int]:
    errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, ProgressLimited)]
    assert not errors, errors
    looked_up = sum(1 for r in results if r is None)
    limited = sum(1 for r in results if isinstance(r, ProgressLimited))
    return looked_up, limited


@pg_only
@pytest.mark.django_db(transaction=True)
def test_racing_inquiries_from_one_address_cannot_exceed_its_budget():
    calls = [
        lambda n=n: progress_lookup(number=f"NO-{n}", last4="0000", client="10.0.0.1")
        for n in range(CALLERS)
    ]
    looked_up, limited = _outcomes(run_at_once(calls))
    assert (looked_up, limited) == (4, CALLERS - 4)
    assert ProgressLookup.objects.filter(succeeded=False).count() == 4


@pg_only
@pytest.mark.django_db(transaction=True)
def test_racing_inquiries_on_one_number_cannot_exceed_its_budget():
    calls = [
        lambda n=n: progress_lookup(
            number="33010020250101000001", last4="0000", client=f"10.1.{n}.1"
        )
        for n in range(CALLERS)
    ]
    looked_up, limited = _outcomes(run_at_once(calls))
    assert (looked_up, limited) == (3, CALLERS - 3)
    assert ProgressLookup.objects.filter(case_number="33010020250101000001").count() == 3
    assert RateCounter.objects.filter(key__startswith="progress.case:").get().count == 3
