"""The demo's study and training (issue 21 item 2): three archived sessions two weeks apart with
registers (the demo clerk absent once), one planned, a course and a contest; loading twice adds
nothing."""

from __future__ import annotations

import pytest

from govhall.cli.demo.learning import load_demo_learning
from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.models.learning import (
    StudyAttendance,
    StudySession,
    TrainingEvent,
    TrainingParticipation,
)

pytestmark = pytest.mark.django_db


def test_demo_learning(county: Center, director: User, clerk: User, window_head: User) -> None:
    assert load_demo_learning() == 4
    assert load_demo_learning() == 0
    assert StudySession.objects.filter(archived_at__isnull=False).count() == 3
    assert StudySession.objects.filter(archived_at__isnull=True).count() == 1
    absent = StudyAttendance.objects.filter(mark="absent")
    assert [line.user for line in absent] == [clerk]
    assert sorted(TrainingEvent.objects.values_list("kind", flat=True)) == ["contest", "course"]
    assert TrainingParticipation.objects.filter(result="一等奖").count() == 1
