"""Waiting and service times per group, window and hour (issue #4 point 6) on a constructed day:
the figures are exact, the hours are Asia/Shanghai hours (not UTC), other days and centers are
left out, and each table is one query."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from govhall.frontdesk.queries.queue import queue_stats
from govhall.frontdesk.services.groups import group_create
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take

pytestmark = pytest.mark.usefixtures("hall_open")
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 12, 7)  # a Monday


def at(hour: int, minute: int, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def day(queue_groups, clerk, clerk_two, guide, hall_window, second_window, other_county, outsider):
    a, b = queue_groups["A"], queue_groups["B"]
    early = ticket_take(group=a, at=at(8, 45))  # 00:45 UTC: counts in the 08:00 hour
    a1 = ticket_take(group=a, at=at(9, 10))
    a2 = ticket_take(group=a, at=at(9, 40))
    b1 = ticket_take(group=b, at=at(10, 15))
    b2 = ticket_take(group=b, at=at(10, 30))
    # The early ticket is cancelled at the desk before anyone calls.
    ticket_act(actor=guide, ticket=early, action="cancel", at=at(9, 0))
    # Window 1 calls A001… in order of the line: a1 waits 10 minutes, is served for 10.
    assert ticket_call_next(actor=clerk, window=hall_window, at=at(9, 20)) == a1
    ticket_act(actor=clerk, ticket=a1, action="start", at=at(9, 21))
    ticket_act(actor=clerk, ticket=a1, action="finish", at=at(9, 31))
    # a2 waits 20 minutes and does not come.
    assert ticket_call_next(actor=clerk, window=hall_window, at=at(10, 0)) == a2
    ticket_act(actor=clerk, ticket=a2, action="no_show", at=at(10, 5))
    # Window 2 calls b1 after 5 minutes and serves it for 30.
    assert ticket_call_next(actor=clerk_two, window=second_window, at=at(10, 20)) == b1
    ticket_act(actor=clerk_two, ticket=b1, action="start", at=at(10, 20))
    ticket_act(actor=clerk_two, ticket=b1, action="finish", at=at(10, 50))
    ticket_act(actor=guide, ticket=b2, action="cancel", at=at(10, 40))
    # Another day and another center: not counted.
    ticket_take(group=a, at=at(9, 0, DAY + datetime.timedelta(days=1)))
    far = group_create(actor=outsider, center=other_county, letter="A", name="别县")
    ticket_take(group=far, at=at(9, 30))
    return {"a": a, "b": b}


def test_figures_per_group(day, county):
    stats = queue_stats(county, DAY, DAY)
    rows = {row.key: row for row in stats.by_group}
    a, b = rows[day["a"].pk], rows[day["b"].pk]
    assert [row.key for row in stats.by_group] == [day["a"].pk, day["b"].pk]
    assert (a.label, a.taken, a.called, a.served, a.no_shows) == ("A 市场监管", 3, 2, 1, 1)
    assert (a.wait_avg, a.wait_max, a.service_avg, a.service_max) == (900, 1200, 600, 600)
    assert (b.taken, b.called, b.served, b.no_shows) == (2, 1, 1, 0)
    assert (b.wait_avg, b.wait_max, b.service_avg, b.service_max) == (300, 300, 1800, 1800)
    assert a.wait_avg_minutes == 15.0 and b.service_max_minutes == 30.0
    total = stats.total
    assert (total.taken, total.called, total.served, total.no_shows) == (5, 3, 2, 1)
    assert total.wait_max == 1200 and total.service_avg == 1200


def test_figures_per_window(day, county, hall_window, second_window):
    rows = {row.key: row for row in queue_stats(county, DAY, DAY).by_window}
    assert set(rows) == {hall_window.pk, second_window.pk}
    one, two = rows[hall_window.pk], rows[second_window.pk]
    assert (one.taken, one.called, one.served, one.no_shows) == (2, 2, 1, 1)
    assert (one.wait_avg, one.service_max) == (900, 600)
    assert (two.taken, two.served, two.wait_avg, two.service_avg) == (1, 1, 300, 1800)
    assert one.label == "1 市场准入窗口"


def test_hours_are_local_hours(day, county):
    rows = {row.key: row for row in queue_stats(county, DAY, DAY).by_hour}
    # Shanghai is UTC+8: in UTC these would be the hours 0, 1 and 2.
    assert sorted(rows) == [8, 9, 10]
    assert rows[8].taken == 1 and rows[8].called == 0 and rows[8].wait_avg is None
    assert (rows[9].taken, rows[9].served, rows[9].no_shows, rows[9].wait_avg) == (2, 1, 1, 900)
    assert (rows[10].taken, rows[10].called, rows[10].service_avg) == (2, 1, 1800)
    assert rows[9].label == "09:00"


def test_range_and_department(day, county, department):
    assert (
        queue_stats(
            county, DAY + datetime.timedelta(days=1), DAY + datetime.timedelta(days=1)
        ).total.taken
        == 1
    )
    assert queue_stats(county, DAY, DAY + datetime.timedelta(days=1)).total.taken == 6
    narrowed = queue_stats(county, DAY, DAY, department_id=department.pk)
    assert [row.key for row in narrowed.by_group] == [day["a"].pk]
    assert narrowed.total.taken == 3


def test_one_query_per_table(day, county, django_assert_num_queries):
    with django_assert_num_queries(4):
        queue_stats(county, DAY, DAY)
