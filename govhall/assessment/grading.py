"""Grades of the 100-point assessment (seeds/000… 篇1 七(六)).

"成绩在95分以上的为优秀，成绩在90-94分之内的为合格，90(不含90)以下的为不合格":
a score of 95 or more is excellent, 90 up to (not including) 95 is a pass, below 90 is a fail.

The rounding choice for the scores between the seeds' whole numbers (89.5, 94.5): scores are kept
exactly (to 0.1, as the points of the rules; manual entries in steps of 0.5) and the grade is taken
on the exact score, never on a rounded one. So 94.5 is a pass (it is not "95分以上") and 89.5 is a
fail (it is "90以下"); 90 is a pass and 95 excellent.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

START_SCORE = Decimal("100")
EXCELLENT_FROM = Decimal("95")
PASS_FROM = Decimal("90")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


def grade_of(score: Decimal | int | float | str) -> Grade:
    """The grade of an exact score (no rounding: 94.5 passes, 89.5 fails)."""
    value = Decimal(str(score))
    if value >= EXCELLENT_FROM:
        return Grade.EXCELLENT
    if value >= PASS_FROM:
        return Grade.PASS
    return Grade.FAIL
