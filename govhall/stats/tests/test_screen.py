"""The big screen's state (大屏, issue 18 item 3): each figure against hand-counted fixtures,
names masked in the feed, and a fixed number of queries whatever the amount of data."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govhall.cases.statuses import CaseStatus
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketStatus
from govhall.org.models import Center
from govhall.org.models.centers import CenterLevel
from govhall.stats.queries.screen import screen_state
from govhall.stats.services.rollups import rebuild
from govhall.testing.cases import bare_case
from govhall.testing.factories import CenterFactory, WindowFactory
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)  # a Tuesday
NOW = timezone.make_aware(datetime.datetime(2026, 3, 10, 16, 30))
serials = itertools.count(1)


def at(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def ticket(center: Center, taken: datetime.datetime, status: str = TicketStatus.DONE) -> Ticket:
    group, _ = ServiceGroup.objects.get_or_create(
        center=center, letter="A", defaults={"name": "综合"}
    )
    n = next(serials)
    return Ticket.objects.create(
        center=center,
        group=group,
        service_date=timezone.localtime(taken).date(),
        serial=n,
        number=f"A{n:03d}",
        token=f"tok{n:020d}",
        taken_at=taken,
        queued_at=taken,
        status=status,
    )


def case(center, department, received: datetime.datetime, **fields):
    n = next(serials)
    return bare_case(
        county=center,
        department=department,
        number=f"33010020260310{n:06d}",
        received_at=received,
        id_number="110101199003077777",
        **fields,
    )


@pytest.fixture
def hall(county, town, department, other_department, other_county):
    village = CenterFactory(
        code="330101001", name="示例村便民服务室", level=CenterLevel.VILLAGE, parent=town
    )
    quiet = CenterFactory(
        code="330102", name="安静镇便民服务中心", level=CenterLevel.TOWN, parent=county
    )
    # Tickets of the hall today: 09:15, 09:40 (waiting), 14:05; yesterday's and the town's are
    # not the hall's.
    ticket(county, at(9, 15))
    ticket(county, at(9, 40), TicketStatus.WAITING)
    ticket(county, at(14, 5))
    ticket(county, at(9, 0, DAY - datetime.timedelta(days=1)))
    ticket(town, at(10, 0), TicketStatus.WAITING)
    ticket(town, at(10, 5), TicketStatus.WAITING)
    ticket(village, at(11, 0), TicketStatus.WAITING)
    ticket(village, at(11, 5), TicketStatus.DONE)
    # Cases of the hall received today: 09:20, 16:10, 20:30 (online, late: the hours widen).
    case(county, department, at(9, 20))
    case(county, department, at(16, 10))
    case(county, other_department, at(20, 30))
    case(county, department, at(9, 0, DAY - datetime.timedelta(days=1)))
    town_department = town.departments.create(code="T", name="镇窗口")
    case(town, town_department, at(10, 0))
    case(town, town_department, at(10, 30))
    case(village, town_department, at(11, 0))
    far = other_county.departments.create(code="X", name="别县部门")
    case(other_county, far, at(10, 0))
    ticket(other_county, at(10, 0), TicketStatus.WAITING)
    # Decided this month: department 2 of 3 on time (one decided on its due day); the other
    # department 0 of 1; a voided case does not count. Two of them decided today.
    first = DAY.replace(day=1)
    case(
        county,
        department,
        at(9, 0, first),
        status=CaseStatus.APPROVED,
        decided_at=at(10, 0, DAY),
        promised_due_on=DAY,
    )
    case(
        county,
        department,
        at(9, 0, first),
        status=CaseStatus.APPROVED,
        decided_at=at(10, 0, DAY - datetime.timedelta(days=2)),
        promised_due_on=DAY,
    )
    case(
        county,
        department,
        at(9, 0, first),
        status=CaseStatus.APPROVED,
        decided_at=at(10, 0, DAY - datetime.timedelta(days=2)),
        promised_due_on=DAY - datetime.timedelta(days=3),
    )
    case(
        county,
        other_department,
        at(9, 0, first),
        status=CaseStatus.APPROVED,
        decided_at=at(11, 0, DAY),
        promised_due_on=DAY - datetime.timedelta(days=1),
    )
    case(
        county,
        other_department,
        at(9, 0, first),
        status=CaseStatus.VOIDED,
        decided_at=at(11, 0, DAY),
        promised_due_on=DAY - datetime.timedelta(days=1),
    )
    # Ratings this month at two windows of the hall: window 1: 2 good of 2; window 2: 1 of 2.
    w1 = WindowFactory(center=county, number=1, name="综合受理")
    w2 = WindowFactory(center=county, number=2, name="不动产")
    rated = case(county, department, at(9, 0, first))
    make_rating(rated, window=w1, level=5, rated_at=at(9, 30), rater_name="张三丰")
    make_rating(rated, window=w1, level=4, rated_at=at(15, 0), rater_name="李四", occasion="x:2")
    make_rating(
        rated,
        window=w2,
        level=1,
        rated_at=at(15, 30),
        rater_name="",
        occasion="x:3",
        rater_phone="13800001234",
    )
    make_rating(
        rated, window=w2, level=5, rated_at=at(9, 0, first), occasion="x:4", rater_name="王五"
    )
    rebuild(center_ids=[county.pk])  # the worker keeps the rollups current
    return {"village": village, "quiet": quiet}


def test_figures_match_hand_counts(county, town, department, other_department, hall):
    state = screen_state(county, NOW)
    assert state["date"] == "2026-03-10"
    # Tickets taken 3, waiting 1; cases received today 3 (the five decided cases and the rated
    # one were received on the 1st); decided today 2 (the voided one does not count).
    assert state["totals"] == {"tickets": 3, "waiting": 1, "cases": 3, "decided": 2}
    hourly = state["hourly"]
    # Opening hours 08:30–17:30 → 08..17, widened to 20 by the online case.
    assert hourly["hours"][0] == "08:00" and hourly["hours"][-1] == "20:00"
    by_hour = dict(
        zip(hourly["hours"], zip(hourly["tickets"], hourly["cases"], strict=True), strict=True)
    )
    assert by_hour["09:00"] == (2, 1)
    assert by_hour["14:00"] == (1, 0)
    assert by_hour["16:00"] == (0, 1)
    assert by_hour["20:00"] == (0, 1)
    assert sum(hourly["tickets"]) == 3 and sum(hourly["cases"]) == 3
    # On time this month: decided on the due day is on time.
    on_time = {row["name"]: row for row in state["on_time"]}
    assert on_time[department.name]["finished"] == 3
    assert on_time[department.name]["on_time"] == 2
    assert on_time[department.name]["rate"] == 66.7
    assert on_time[other_department.name]["rate"] == 0.0
    assert [row["name"] for row in state["on_time"]] == [department.name, other_department.name]
    # Ranking: window 1 (100%) before window 2 (50%).
    assert [(r["rank"], r["rate"], r["count"]) for r in state["ranking"]] == [
        (1, 100.0, 2),
        (2, 50.0, 2),
    ]
    assert state["ranking"][0]["name"].startswith("1号")
    # Rooms: the town (2 waiting, 2 cases), the village (1 waiting, 1 case), the quiet town.
    rooms = state["rooms"]
    assert (rooms["count"], rooms["towns"], rooms["villages"], rooms["busy"]) == (3, 2, 1, 2)
    assert [(r["name"], r["waiting"], r["cases"]) for r in rooms["rows"]] == [
        (town.name, 2, 2),
        (hall["village"].name, 1, 1),
        (hall["quiet"].name, 0, 0),
    ]
    # Feed: the last seven days (not the 1st), newest first, names masked, no phone anywhere.
    feed = state["feed"]
    assert [(r["level"], r["name"], r["window"], r["at"]) for r in feed] == [
        (1, "", 2, "15:30"),
        (4, "李*", 1, "15:00"),
        (5, "张*丰", 1, "09:30"),
    ]
    text = str(state)
    assert "张三丰" not in text and "13800001234" not in text and "1234" not in text


def test_a_town_screen_shows_its_own_rooms(town, hall):
    state = screen_state(town, NOW)
    assert [r["name"] for r in state["rooms"]["rows"]] == [hall["village"].name]
    assert state["totals"]["waiting"] == 2


def test_fixed_query_count(county, hall, department, settings):
    with CaptureQueriesContext(connection) as few:
        screen_state(county, NOW)
    for _ in range(30):
        ticket(county, at(10, 0), TicketStatus.WAITING)
        case(county, department, at(11, 0))
    for n in range(5):
        CenterFactory(code=f"3301{n:02d}9", name=f"镇{n}", level=CenterLevel.TOWN, parent=county)
    with CaptureQueriesContext(connection) as many:
        state = screen_state(county, NOW)
    assert state["totals"]["tickets"] == 33
    assert len(many) == len(few) <= 14, [q["sql"] for q in many.captured_queries]


def test_feed_and_ranking_are_capped(county, department, settings):
    settings.GOVHALL_SCREEN_FEED = 2
    settings.GOVHALL_SCREEN_RANKING = 1
    rated = case(county, department, at(9, 0))
    for n in range(4):
        window = WindowFactory(center=county, number=n + 1)
        make_rating(rated, window=window, occasion=f"x:{n}", rated_at=at(9, n))
    state = screen_state(county, NOW)
    assert len(state["feed"]) == 2 and len(state["ranking"]) == 1
