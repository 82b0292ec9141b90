"""Bad ratings under follow-up for tests (issue 15 item 1): a window headed by the window head,
a case the clerk received there, and a 差评 of it with its deadlines as `rating_give` sets them
(the closing time of the N-th working day after the day of the rating)."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from govhall.cases.models import Case
from govhall.core.models import User
from govhall.feedback.models import FollowUpStatus, Rating
from govhall.org.models import Center, Department, Window
from govhall.testing.cases import make_case
from govhall.testing.factories import ServiceItemFactory, WindowFactory
from govhall.testing.ratings import make_rating
from govhall.workdays.queries.calendar import deadline_at

RATER_NAME = "李小明"
RATER_PHONE = "13900001111"


def rated_window(center: Center, department: Department, head: User | None) -> Window:
    window = WindowFactory(center=center, head=head)
    window.departments.add(department)
    return window  # type: ignore[no-any-return]


def rated_case(window: Window, department: Department, clerk: User | None) -> Case:
    item = ServiceItemFactory(center=window.center, department=department, name="个体工商户登记")
    return make_case(item, window, received_by=clerk)


def bad_rating(
    case: Case,
    *,
    level: int = 1,
    rated_at: datetime.datetime,
    follow_up: str = FollowUpStatus.OPEN,
    **fields: Any,
) -> Rating:
    """A bad rating of `case` given at `rated_at`, with the deadlines of the settings."""
    center = case.center
    day = timezone.localdate(rated_at)
    values: dict[str, Any] = {
        "rated_at": rated_at,
        "follow_up": follow_up,
        "rater_name": RATER_NAME,
        "rater_phone": RATER_PHONE,
        "reason": "attitude",
        "comment": "态度不好",
        "call_back_due_at": deadline_at(
            center.pk, day, settings.GOVHALL_RATING_CALL_BACK_WORKDAYS, center.closing_time
        ),
        "rectify_due_at": deadline_at(
            center.pk, day, settings.GOVHALL_RATING_RECTIFY_WORKDAYS, center.closing_time
        ),
    }
    values.update(fields)
    return make_rating(case, level=level, **values)


def ensure_feedback_rules() -> None:
    """Put back the feedback rules of supervision's data migration 0006 (a transactional test
    elsewhere in the session flushes them); idempotent."""
    seeds = importlib.import_module("govhall.supervision.migrations.0006_feedback_subjects")
    seeds.seed(apps, None)
