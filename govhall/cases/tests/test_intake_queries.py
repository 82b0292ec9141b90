"""Issue 20 item 3: a window intake costs a bounded number of queries, whatever the number of
materials (read once with the item, inserted in one statement; the events in one INSERT)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from govhall.cases.models import ApplicantMaterial, CaseMaterial, Notice
from govhall.cases.services.intake import case_receive
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event, OutboundMessage
from govhall.testing.factories import MaterialFactory

pytestmark = pytest.mark.django_db

FRIDAY = datetime.datetime(2025, 9, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
# The intake's own transaction on a warm process (the day's number counter there, the clerk's
# roles known): item and materials 1, cover 3, applicant 1, number 1, case 1, departments 1,
# materials 1, calendar revision check 1, acceptance 1, library 1, notice 1, events 1 = 14;
# the test's transaction adds the intake's savepoint and its release (BEGIN and COMMIT in a
# real run). About 45 before issue 20.
INTAKE_QUERIES = 16


def test_promised_intake_costs_a_fixed_number_of_queries(
    clerk,
    hall_window,
    case_item,
    applicant_data,
    all_received,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    for position in range(4, 12):  # eleven materials: none costs a query of its own
        MaterialFactory(item=case_item, name=f"附件{position}", is_main=False, position=position)
    item = ServiceItem.objects.select_related("center", "department").get(pk=case_item.pk)
    checks = all_received(item)
    # Warm the process as a running hall is: the calendar, the day's counter, the roles.
    with django_capture_on_commit_callbacks(execute=True):
        case_receive(
            actor=clerk,
            item=item,
            window=hall_window,
            applicant=applicant_data,
            materials=checks,
            outcome="promised",
            at=FRIDAY,
        )
    other = applicant_data.__class__(
        kind="person", name="李四", id_number="11010519491231002X", phone="13900001111"
    )
    with (
        django_assert_max_num_queries(INTAKE_QUERIES),
        django_capture_on_commit_callbacks(execute=False) as after_commit,
    ):
        case = case_receive(
            actor=clerk,
            item=item,
            window=hall_window,
            applicant=other,
            materials=checks,
            outcome="promised",
            at=FRIDAY,
        )
    # Every fact is still written, one event each, and the SMS waits for the commit.
    assert case.status == CaseStatus.ACCEPTED
    assert CaseMaterial.objects.filter(case=case, received=True).count() == 11
    assert ApplicantMaterial.objects.filter(verified_on_case=case).count() == 11
    assert list(Notice.objects.filter(case=case).values_list("kind", flat=True)) == ["acceptance"]
    assert list(Event.objects.for_object(case).order_by("id").values_list("action", flat=True)) == [
        "case.receive",
        "case.accept",
        "library.keep",
        "case.issue_notice",
    ]
    assert after_commit
    for callback in after_commit:
        callback()
    assert OutboundMessage.objects.filter(purpose="case.accepted", to="13900001111").count() == 1
