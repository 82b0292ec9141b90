"""The case lists read a page ids first (`govhall.core.pagination.IdsFirst`, issue 20 item 5):
the same rows in the same order as the one-query read, every page, with their related columns
in two queries whatever the page size."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.cases.queries.cases import STATE_ALL, CaseFilters, case_list
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.core.pagination import IdsFirst
from govhall.org.models import Window
from govhall.testing.cases import accepted_case

pytestmark = pytest.mark.django_db


def test_pages_read_ids_first_match_the_plain_list(
    case_item: ServiceItem, hall_window: Window, director: User
) -> None:
    rng = random.Random(5)
    today = datetime.date(2025, 10, 13)
    for n in range(23):
        accepted_case(
            case_item,
            hall_window,
            status=CaseStatus.IN_REVIEW,
            # Ties on the due date and the green channel: the order's last keys decide.
            promised_due_on=today + datetime.timedelta(days=rng.randint(-2, 2)),
            green_channel=n % 7 == 0,
        )
    cases = case_list(director, CaseFilters(state=STATE_ALL), today)
    expected = list(cases.values_list("pk", flat=True))
    assert len(expected) == 23

    pages = Paginator(IdsFirst(cases), 10)
    assert pages.count == 23 and pages.num_pages == 3
    seen: list[int] = []
    for number in pages.page_range:
        with CaptureQueriesContext(connection) as queries:
            rows = list(pages.page(number).object_list)
            # The case's related columns came with the rows: reading them costs nothing.
            assert all(row.item.name and row.applicant.name for row in rows)
        assert len(queries) == 2  # the page's ids, then those rows with their related columns
        seen.extend(row.pk for row in rows)
    assert seen == expected
    assert IdsFirst(cases)[3].pk == expected[3]
    assert IdsFirst(cases)[30:40] == []
