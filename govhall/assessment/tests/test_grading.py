"""Grades on the exact score (94.5 passes, 89.5 fails) and the 30/40/30 tiers at least 1 point
apart (whoever is within 1 point of the tier above moves up)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govhall.assessment.grading import Grade, grade_of
from govhall.assessment.queries.sheets import tier_cuts

SCORES = st.integers(min_value=0, max_value=1100).map(lambda n: Decimal(n) / 10)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("95", Grade.EXCELLENT),
        ("95.0", Grade.EXCELLENT),
        ("94.9", Grade.PASS),
        ("94.5", Grade.PASS),
        ("94", Grade.PASS),
        ("90", Grade.PASS),
        ("89.9", Grade.FAIL),
        ("89.5", Grade.FAIL),
        ("0", Grade.FAIL),
    ],
)
def test_grade_boundaries(score: str, grade: Grade) -> None:
    assert grade_of(Decimal(score)) == grade


@given(SCORES)
def test_grade_is_taken_on_the_exact_score(score: Decimal) -> None:
    grade = grade_of(score)
    assert (grade == Grade.EXCELLENT) == (score >= 95)
    assert (grade == Grade.FAIL) == (score < 90)
    # Half-points between the seeds' whole numbers never round up into the better grade.
    if score % 1 == Decimal("0.5"):
        assert grade_of(score) == grade_of(score - Decimal("0.5"))


def tiers(scores: list[str]) -> list[list[Decimal]]:
    values = sorted((Decimal(s) for s in scores), reverse=True)
    first, second = tier_cuts(values)
    return [values[:first], values[first:second], values[second:]]


def test_thirty_forty_thirty_when_far_apart() -> None:
    scores = [str(100 - 2 * i) for i in range(10)]
    assert [len(t) for t in tiers(scores)] == [3, 4, 3]


def test_within_one_point_of_the_tier_above_moves_up() -> None:
    # 10 people: the cut after 3 would split 96 / 95.5 (half a point): 95.5 joins the top.
    top, middle, bottom = tiers(["100", "99", "96", "95.5", "93", "92", "91", "88", "87", "80"])
    assert top == [Decimal(s) for s in ("100", "99", "96", "95.5")]
    assert min(top) - max(middle) >= 1
    # The cut before the bottom falls between 91 and 88 (3 points apart): it holds.
    assert bottom == [Decimal("88"), Decimal("87"), Decimal("80")]


def test_everyone_equal_shares_the_top_tier() -> None:
    assert [len(t) for t in tiers(["100"] * 7)] == [7, 0, 0]


@given(st.lists(SCORES, min_size=1, max_size=40))
def test_tiers_are_at_least_one_point_apart(scores: list[Decimal]) -> None:
    values = sorted(scores, reverse=True)
    first, second = tier_cuts(values)
    top, middle, bottom = values[:first], values[first:second], values[second:]
    assert top, "someone is always in the top tier"
    assert len(top) >= max(1, len(values) * 3 // 10)
    higher = top
    for lower in (middle, bottom):
        if lower:
            assert min(higher) - max(lower) >= 1
            higher = lower
    assert len(top) + len(middle) + len(bottom) == len(values)
