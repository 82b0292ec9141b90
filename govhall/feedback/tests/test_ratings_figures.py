"""Rating figures: the satisfaction rate's definition, and the monthly rankings of windows and
staff (counting ratings only, best first, the month's local bounds, one query each)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.feedback.models import Rating
from govhall.feedback.queries.rating_figures import (
    monthly_rankings,
    rating_counts,
    satisfaction_rate,
)
from govhall.testing.cases import local
from govhall.testing.factories import PostFactory, WindowFactory
from govhall.testing.rating_occasions import delivered_case
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.django_db


def test_satisfaction_rate_is_the_share_at_basically_satisfied_or_better():
    assert satisfaction_rate(3, 4) == 75.0
    assert satisfaction_rate(2, 3) == 66.7
    assert satisfaction_rate(0, 0) is None


@pytest.fixture
def hall(county, department, case_item, hall_window, clerk, clerk_b):  # type: ignore[no-untyped-def]
    window_2 = WindowFactory(center=county, number=2, name="社保窗口")
    PostFactory(window=window_2, a_staff=clerk_b)
    clerk.full_name = "王小明"
    clerk.save()

    def rate(window, staff, level, *, day=10, **fields):  # type: ignore[no-untyped-def]
        case = delivered_case(case_item, window, delivered=local(2026, 11, day))
        return make_rating(
            case, level=level, window=window, staff=staff, rated_at=local(2026, 11, day), **fields
        )

    return {"w1": hall_window, "w2": window_2, "rate": rate}


def test_monthly_rankings_best_first_counting_only(hall, clerk, clerk_b, county):
    rate, w1, w2 = hall["rate"], hall["w1"], hall["w2"]
    # window 1 / clerk: 5, 4, 1 → 2 of 3 good; window 2 / clerk_b: 5, 3 → all good
    rate(w1, clerk, 5)
    rate(w1, clerk, 4)
    rate(w1, clerk, 1, reason="attitude")
    rate(w2, clerk_b, 5)
    rate(w2, clerk_b, 3)
    # not counting: excluded on appeal, superseded by a re-rating (which counts), other months
    rate(w2, clerk_b, 1, excluded=True)
    replaced = rate(w2, clerk_b, 2, reason="slow")
    again = make_rating(
        replaced.case,
        level=4,
        window=w2,
        staff=clerk_b,
        rated_at=local(2026, 11, 20),
        supersedes=replaced,
        occasion=replaced.occasion,
    )
    assert again.supersedes == replaced
    rate(w1, clerk, 1, day=1, reason="slow")  # 11-01 counts (local month)
    october = rate(w1, clerk, 1, day=30, reason="slow")
    Rating.objects.filter(pk=october.pk).update(rated_at=local(2026, 10, 31, 23))  # last month
    with CaptureQueriesContext(connection) as queries:
        rankings = monthly_rankings(county, 2026, 11)
    assert len(queries.captured_queries) == 2
    windows = rankings["windows"]
    assert [row["id"] for row in windows] == [w2.pk, w1.pk]
    assert (windows[0]["count"], windows[0]["rate"], windows[0]["bad"]) == (3, 100.0, 0)
    assert (windows[1]["count"], windows[1]["rate"], windows[1]["bad"]) == (4, 50.0, 2)
    assert windows[0]["name"] == "2号 社保窗口" and windows[0]["rank"] == 1
    staff = rankings["staff"]
    assert [row["id"] for row in staff] == [clerk_b.pk, clerk.pk]
    assert staff[1]["name"] == "王小明"
    assert "phone" not in staff[1]


def test_rating_counts(hall, clerk):
    hall["rate"](hall["w1"], clerk, 5)
    hall["rate"](hall["w1"], clerk, 2, reason="slow")
    counts = rating_counts(Rating.objects.all())
    assert (counts.total, counts.good, counts.bad, counts.rate) == (2, 1, 1, 50.0)
