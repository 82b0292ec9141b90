"""Issue 16 item 9: a closure cascaded from the county moves the open deadlines of every center
it reaches, through the same calendar-change hook as a single center's closure, and no
other center's."""

from __future__ import annotations

import datetime

import pytest

from govhall.cases.models import Case
from govhall.org.models.centers import CenterLevel
from govhall.testing.cases import accepted_case
from govhall.testing.factories import CenterFactory
from govhall.workdays.services.center_days import center_day_cascade

D = datetime.date


@pytest.fixture
def village(town):
    return CenterFactory(code="33010102", name="示例村", level=CenterLevel.VILLAGE, parent=town)


@pytest.mark.django_db
def test_cascaded_closure_recomputes_deadlines_of_every_touched_center(
    county,
    town,
    village,
    other_county,
    director,
    case_item,
    hall_window,
    django_capture_on_commit_callbacks,
):
    cases = [accepted_case(case_item, hall_window) for _ in range(4)]
    _at_county, at_town, at_village, elsewhere = cases
    # The same clock kept by other centers (a case follows its own center's calendar).
    for case, center in ((at_town, town), (at_village, village), (elsewhere, other_county)):
        Case.objects.filter(pk=case.pk).update(center_id=center.pk)
    assert {case.promised_due_on for case in cases} == {D(2025, 10, 14)}
    with django_capture_on_commit_callbacks(execute=True):
        center_day_cascade(
            actor=director, center_id=county.pk, date=D(2025, 10, 9), kind="closed", reason="台风"
        )
    for case in cases:
        case.refresh_from_db()
    # 9 Oct closed: 10, 11 (make-up Saturday), 13, 14, 15 Oct.
    assert [c.promised_due_on for c in cases] == [D(2025, 10, 15)] * 3 + [D(2025, 10, 14)]
