"""Ratings built directly for tests of what follows a rating (follow-up, rankings, screens)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from govhall.cases.models import Case
from govhall.feedback.models import Rating, RatingChannel


def make_rating(case: Case, *, level: int = 5, **fields: Any) -> Rating:
    """A first rating of `case` (its item, department, window and the clerk who received it),
    built without the rating service; `fields` override anything."""
    values: dict[str, Any] = {
        "center": case.center,
        "occasion": f"case:{case.pk}",
        "case": case,
        "item": case.item,
        "department": case.department,
        "window": case.window,
        "staff": case.received_by,
        "channel": RatingChannel.QR_CODE,
        "level": level,
        "rated_at": timezone.now(),
    }
    values.update(fields)
    return Rating.objects.create(**values)
