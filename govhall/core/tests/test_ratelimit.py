"""The atomic rate counter of the public doors (govhall/core/ratelimit.py): exactly `limit` hits
per window, a refused hit changes nothing, windows end, keys hold no personal data, old
windows are pruned; and under real parallelism on PostgreSQL exactly `limit` hits pass."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from govhall.core.models import RateCounter
from govhall.core.ratelimit import (
    DAY,
    RateLimited,
    RateRule,
    local_day_offset,
    rate_counters_prune,
    rate_hit,
    rate_key,
    rate_limit,
    rate_refund,
)
from govhall.testing.parallel import run_at_once

NOON = datetime.datetime(2026, 6, 8, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
class TestCounter:
    def test_exactly_limit_hits_pass_and_a_refusal_changes_nothing(self):
        decisions = [rate_hit(key="k", limit=3, window_seconds=60, at=NOON) for _n in range(5)]
        assert [d.allowed for d in decisions] == [True, True, True, False, False]
        assert [d.count for d in decisions[:3]] == [1, 2, 3]
        assert decisions[3].retry_after == 60  # the window started at NOON
        assert RateCounter.objects.get(key="k").count == 3

    def test_the_next_window_starts_afresh(self):
        for _n in range(2):
            rate_hit(key="k", limit=2, window_seconds=60, at=NOON)
        assert not rate_hit(key="k", limit=2, window_seconds=60, at=NOON).allowed
        later = NOON + datetime.timedelta(seconds=45)
        refused = rate_hit(key="k", limit=2, window_seconds=60, at=later)
        assert not refused.allowed and refused.retry_after == 15
        assert rate_hit(
            key="k", limit=2, window_seconds=60, at=NOON + datetime.timedelta(minutes=1)
        ).allowed

    def test_keys_are_independent(self):
        assert rate_hit(key="a", limit=1, window_seconds=60, at=NOON).allowed
        assert rate_hit(key="b", limit=1, window_seconds=60, at=NOON).allowed
        assert not rate_hit(key="a", limit=1, window_seconds=60, at=NOON).allowed

    def test_refund_gives_a_hit_back(self):
        first = rate_hit(key="k", limit=1, window_seconds=60, at=NOON)
        rate_refund(first)
        assert rate_hit(key="k", limit=1, window_seconds=60, at=NOON).allowed

    def test_rate_limit_gives_back_earlier_hits_when_a_later_rule_refuses(self):
        rules = [RateRule("wide", 10, 60, "wide"), RateRule("narrow", 1, 60, "narrow")]
        rate_limit(rules, at=NOON)
        with pytest.raises(RateLimited) as refused:
            rate_limit(rules, at=NOON)
        assert refused.value.message == "narrow" and refused.value.retry_after == 60
        assert RateCounter.objects.get(key="wide").count == 1

    def test_day_windows_follow_local_midnight(self, settings):
        settings.TIME_ZONE = "Asia/Shanghai"
        # 15:59 UTC is 23:59 in Shanghai; 16:01 UTC is the next local day.
        before = datetime.datetime(2026, 6, 8, 15, 59, tzinfo=datetime.UTC)
        after = before + datetime.timedelta(minutes=2)
        offset = local_day_offset(before)
        assert offset == 8 * 3600
        first = rate_hit(key="d", limit=1, window_seconds=DAY, offset_seconds=offset, at=before)
        refused = rate_hit(key="d", limit=1, window_seconds=DAY, offset_seconds=offset, at=before)
        assert first.allowed and not refused.allowed and refused.retry_after == 60
        assert rate_hit(
            key="d", limit=1, window_seconds=DAY, offset_seconds=offset, at=after
        ).allowed

    def test_keys_hold_no_personal_data(self):
        key = rate_key("booking.id", "110101199003074477")
        assert key.startswith("booking.id:") and "110101" not in key
        assert key == rate_key("booking.id", "110101199003074477")
        assert key != rate_key("booking.id", "110101199003074478")

    def test_prune_deletes_ended_windows_only(self):
        rate_hit(key="old", limit=5, window_seconds=60, at=NOON)
        rate_hit(key="new", limit=5, window_seconds=3600, at=NOON)
        assert rate_counters_prune(at=NOON + datetime.timedelta(minutes=5)) == 1
        assert list(RateCounter.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL and real parallelism"
)
def test_parallel_hits_on_one_key_let_exactly_limit_through():
    limit, callers = 7, 40

    def hit() -> bool:
        return rate_hit(key="race", limit=limit, window_seconds=3600, at=NOON).allowed

    results = run_at_once([hit] * callers)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sum(1 for r in results if r is True) == limit
    assert RateCounter.objects.get(key="race").count == limit
