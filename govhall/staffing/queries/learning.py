"""Reading study sessions and trainings (issue 21 item 2; seeds/001… 华蓥 中心组学习,
seeds/000… 篇3 五, seeds/002… 二2).

`missed_study_sessions` and `training_records` feed the person's assessment file: the sessions a
person missed (marked absent in a session held in the period) and the trainings in their file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, QuerySet

from govhall.staffing.models.learning import (
    AttendanceMark,
    StudyAttendance,
    TrainingParticipation,
)


def missed_study_sessions(
    *, user_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """The number of sessions held in [start, end] where each user was marked absent (one query).

    Users without an absence are left out of the answer (read it with `.get(user_id, 0)`).
    """
    ids = list(user_ids)
    if not ids:
        return {}
    rows = (
        StudyAttendance.objects.filter(
            user_id__in=ids,
            mark=AttendanceMark.ABSENT,
            session__held_on__gte=start,
            session__held_on__lte=end,
        )
        .values("user_id")
        .annotate(n=Count("session_id", distinct=True))
        .order_by()
    )
    return {row["user_id"]: row["n"] for row in rows}


def training_records(*, user_id: int) -> QuerySet[TrainingParticipation]:
    """A person's trainings (courses, contests, visits) with the event, newest first."""
    return (
        TrainingParticipation.objects.filter(user_id=user_id)
        .select_related("event")
        .order_by("-event__starts_on", "-event_id")
    )
