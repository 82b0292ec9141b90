import pytest
from django.http import Http404

from govhall.workbench.request_input import month_from_query, month_neighbours


def test_month_from_query_reads_year_and_month():
    assert month_from_query("2026-02") == (2026, 2)


@pytest.mark.parametrize(
    "raw", ["2026-13", "2026-2", "26-02", "1999-12", "2101-01", "x", "2026-02-01"]
)
def test_month_from_query_refuses_anything_else(raw):
    with pytest.raises(Http404):
        month_from_query(raw)


def test_month_from_query_defaults_to_this_month():
    from django.utils import timezone

    today = timezone.localdate()
    assert month_from_query(None) == (today.year, today.month)


def test_month_neighbours_cross_year_ends():
    assert month_neighbours(2026, 1) == ("2025-12", "2026-02")
    assert month_neighbours(2026, 12) == ("2026-11", "2027-01")
