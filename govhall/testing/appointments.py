"""A fixed working week for appointments made through the services, people to book, and the
group they book at (group A of the queue hall, `queue_hall.py`).

`group` is a pytest fixture: a test module that needs it imports it by name."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from govhall.core.idnumbers import id_check_character
from govhall.frontdesk.models import ServiceGroup

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Mon 8 June 2026, 10:00; its Tuesday and Saturday.
MONDAY = datetime.datetime(2026, 6, 8, 10, 0, tzinfo=SHANGHAI)
TUE = datetime.date(2026, 6, 9)
SAT = datetime.date(2026, 6, 13)


def id_number(n: int) -> str:
    """The n-th test person's ID number, with a correct check character."""
    first17 = f"11010119900307{n:03d}"
    return first17 + id_check_character(first17)


@pytest.fixture
def group(queue_groups: dict[str, ServiceGroup]) -> ServiceGroup:
    return queue_groups["A"]
