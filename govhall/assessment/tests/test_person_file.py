"""A person's assessment file (issue 21 item 1b): every section read for the period, in a fixed
number of queries; the half-yearly figures agree with it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.assessment.grading import Grade
from govhall.assessment.queries.person_file import people_summaries, person_file
from govhall.core.models import User
from govhall.org.models import Window
from govhall.staffing.models import StaffFact
from govhall.staffing.models.assignment import StaffFactKind
from govhall.testing.cases import local
from govhall.testing.person_files import YEAR, complaint, finding, full_file, notice

pytestmark = pytest.mark.django_db
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
TODAY = datetime.date(YEAR, 12, 31)


def test_the_file_shows_every_section(window: Window, clerk: User, director: User) -> None:
    full_file(clerk, window, director)
    found = person_file(clerk, START, END, today=TODAY)
    assert [s.month.month for s in found.sheets] == [4, 3]
    assert found.average == Decimal("95.0") and found.grade == Grade.EXCELLENT
    assert len(found.notices) == 1
    assert len(found.findings) == 1 and found.findings[0].finding.note == "离岗未挂去向牌"
    assert [c.found_true for c in found.complaints] == [False, True]
    assert found.complaints_found_true == 1
    assert {level: n for level, _label, n in found.ratings} == {5: 2, 4: 0, 3: 0, 2: 0, 1: 1}
    assert found.bad_ratings == 1
    assert found.missed_study == 1
    assert [t.result for t in found.trainings] == ["合格"]
    assert (found.lapses.late, found.lapses.half_days, found.lapses.total) == (1, 1, 2)
    assert len(found.facts) == 1
    # Outside the period nothing shows.
    empty = person_file(clerk, datetime.date(YEAR + 1, 1, 1), datetime.date(YEAR + 1, 12, 31))
    assert not (empty.sheets or empty.notices or empty.findings or empty.complaints)
    assert empty.average is None


def test_the_file_reads_in_a_fixed_number_of_queries(
    window: Window, clerk: User, director: User
) -> None:
    full_file(clerk, window, director)
    with CaptureQueriesContext(connection) as few:
        person_file(clerk, START, END, today=TODAY)
    for day in range(1, 6):
        moment = local(YEAR, 8, day)
        notice(clerk, window, director, moment)
        finding(clerk, window, director, moment)
        complaint(clerk, window.center, director, moment, true=True)
        StaffFact.objects.create(
            user=clerk, kind=StaffFactKind.VERIFIED_COMPLAINT, occurred_on=moment.date()
        )
    with CaptureQueriesContext(connection) as many:
        found = person_file(clerk, START, END, today=TODAY)
    assert len(found.notices) == 6 and len(found.findings) == 6
    assert len(many) == len(few) <= 16
    # Verified complaints recorded as staff facts: the return warning shows in the file.
    assert found.warning is not None


def test_summaries_agree_with_the_file(window: Window, clerk: User, director: User) -> None:
    full_file(clerk, window, director)
    one = person_file(clerk, START, END, today=TODAY)
    summary = people_summaries([clerk, director], START, END)
    row = summary[clerk.pk]
    assert (row.average, row.months, row.notices, row.findings) == (one.average, 2, 1, 1)
    assert (row.complaints_found_true, row.ratings, row.bad_ratings) == (1, 3, 1)
    assert (row.missed_study, row.trainings, row.lapses.total) == (1, 1, 2)
    assert summary[director.pk].months == 0
