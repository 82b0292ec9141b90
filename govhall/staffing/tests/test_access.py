"""Fetching staffing objects by id (`govhall/staffing/access/`): missing and forbidden are both
404; `for_write` asks for the relation that may act, reading for the one that may see."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.access.leave import access_leave, access_team_calendar
from govhall.staffing.access.presence import access_absence, access_delegation
from govhall.staffing.access.rosters import access_duty
from govhall.staffing.models import Delegation
from govhall.staffing.models.leave import LeaveKind
from govhall.staffing.models.roster import DutyAssignment
from govhall.staffing.services.errors import StaleDecision
from govhall.staffing.services.leave import leave_approve, leave_request
from govhall.staffing.services.presence import absence_approve, absence_start
from govhall.testing.factories import PostFactory, UserFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)
NOW = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=TZ)


def moment(day: str, clock: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


@pytest.fixture
def hall(county, department, window_head, clerk):
    b = make_staff(Role.CLERK, county, department, username="bstaff", window_staff=True)
    window = WindowFactory(center=county, head=window_head)
    window.departments.add(department)
    return PostFactory(window=window, a_staff=clerk, b_staff=b), b


def long_leave(user):
    return leave_request(
        actor=user,
        kind=LeaveKind.ANNUAL,
        starts_at=moment("2026-09-07", "08:30"),
        ends_at=moment("2026-09-09", "17:30"),
        reason="年休",
        at=NOW,
    )


def test_leave_reach_for_reading_and_acting(hall, clerk, window_head, director, outsider):
    leave = long_leave(clerk)
    for user in (clerk, window_head, director):
        assert access_leave(user, leave.pk) == leave
        assert access_leave(user, str(leave.pk), for_write=True) == leave
    leave_approve(actor=window_head, leave=leave, at=NOW)  # the head endorses it
    # The head still sees it, and still reaches it to act: a second click is refused by the
    # service as decided already (409), never a silent 404 (issue 17 item 5).
    assert access_leave(window_head, leave.pk) == leave
    assert access_leave(window_head, leave.pk, for_write=True) == leave
    with pytest.raises(StaleDecision):
        leave_approve(actor=window_head, leave=leave, at=NOW)
    assert access_leave(director, leave.pk, for_write=True) == leave
    for for_write in (False, True):
        for user, leave_id in ((outsider, leave.pk), (director, 10**9), (director, "x")):
            with pytest.raises(Http404):
                access_leave(user, leave_id, for_write=for_write)


def test_team_calendar_center(county, clerk, outsider):
    assert access_team_calendar(clerk, None)[0] == county
    assert access_team_calendar(clerk, str(county.pk))[0] == county
    assert access_team_calendar(outsider, None)[0] != county
    with pytest.raises(Http404):
        access_team_calendar(outsider, county.pk)
    with pytest.raises(Http404):
        access_team_calendar(UserFactory(), None)  # no center at all


def test_absence_is_read_by_its_parties_and_decided_by_deciders_only(
    hall, clerk, window_head, director, county, department
):
    _post, b = hall
    absence = absence_start(
        actor=clerk, whereabouts="档案室", until=timezone.now() + datetime.timedelta(minutes=45)
    )
    assert access_absence(clerk, absence.pk) == absence
    with pytest.raises(Http404):
        access_absence(clerk, absence.pk, for_write=True)  # nobody approves their own
    for decider in (window_head, director):
        assert access_absence(decider, absence.pk, for_write=True) == absence
    # Approved and ended, it stays in reach: the service answers that it is too late.
    absence_approve(actor=window_head, absence=absence, cover=b)
    assert access_absence(window_head, absence.pk, for_write=True) == absence
    colleague = make_staff(Role.CLERK, county, department, username="other", window_staff=True)
    for for_write in (False, True):
        with pytest.raises(Http404):
            access_absence(colleague, absence.pk, for_write=for_write)
        with pytest.raises(Http404):
            access_absence(window_head, "nope", for_write=for_write)


def test_cover_records_are_read_only(hall, clerk, window_head, director, outsider):
    _post, b = hall
    absence = absence_start(
        actor=clerk, whereabouts="档案室", until=timezone.now() + datetime.timedelta(minutes=45)
    )
    absence_approve(actor=window_head, absence=absence, cover=b)
    record = Delegation.objects.get()
    assert access_delegation(director, record.pk) == record
    with pytest.raises(Http404):
        access_delegation(director, record.pk, for_write=True)
    with pytest.raises(Http404):
        access_delegation(outsider, record.pk)


def test_duty_is_changed_by_managers_of_its_center_only(county, director, window_head, outsider):
    duty = DutyAssignment.objects.create(
        center=county, date=datetime.date(2026, 11, 23), kind="lunch", user=window_head
    )
    assert access_duty(window_head, duty.pk) == duty
    assert access_duty(director, duty.pk, for_write=True) == duty
    with pytest.raises(Http404):
        access_duty(window_head, duty.pk, for_write=True)
    for for_write in (False, True):
        with pytest.raises(Http404):
            access_duty(outsider, duty.pk, for_write=for_write)
        with pytest.raises(Http404):
            access_duty(director, "1; drop", for_write=for_write)
