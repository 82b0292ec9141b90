"""Social supervisors (issue 15 item 6): appointments with terms, recording only while a term
runs, their own records only, management's response."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.feedback.access.supervisors import (
    access_supervisor_visit,
    can_record_as_supervisor,
    current_appointment,
    supervisor_visits_in_scope,
)
from govhall.feedback.models import SupervisorVisit
from govhall.feedback.services.supervisors import (
    supervisor_appoint,
    supervisor_end_early,
    supervisor_visit_record,
    supervisor_visit_respond,
)
from govhall.testing.factories import WindowFactory, make_staff
from govhall.testing.voice import appoint

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_only_management_appoints_a_holder_of_the_role(
    county, director, supervisor, social_supervisor, clerk, outsider
):
    today = timezone.localdate()
    for actor in (supervisor, outsider):
        with pytest.raises(ValidationError):
            appoint(actor, social_supervisor, county)
    with pytest.raises(ValidationError) as refused:
        supervisor_appoint(
            actor=director, user=clerk, center=county, starts_on=today, ends_on=today - DAY
        )
    assert {"user", "ends_on"} <= set(refused.value.message_dict)
    appointment = appoint(director, social_supervisor, county)
    assert appointment.appointed_by == director
    with pytest.raises(Conflict):
        appoint(director, social_supervisor, county, starts_on=today, ends_on=today + 10 * DAY)


def test_an_expired_or_ended_supervisor_cannot_record(county, director, social_supervisor):
    today = timezone.localdate()
    appoint(director, social_supervisor, county, starts_on=today - 60 * DAY, ends_on=today - DAY)
    assert current_appointment(social_supervisor) is None
    with pytest.raises(ValidationError):
        supervisor_visit_record(
            actor=social_supervisor, kind="visit", visited_on=today, findings="窗口秩序良好"
        )
    assert not SupervisorVisit.objects.exists()
    # a new term, then ended early today: no recording from today on
    term = appoint(director, social_supervisor, county, starts_on=today, ends_on=today + 90 * DAY)
    assert can_record_as_supervisor(social_supervisor)
    with pytest.raises(ValidationError) as no_reason:
        supervisor_end_early(actor=director, appointment=term, on=today, reason="")
    assert "reason" in no_reason.value.message_dict
    supervisor_end_early(actor=director, appointment=term, on=today, reason="工作调动")
    social_supervisor.refresh_from_db()
    assert current_appointment(social_supervisor) is None
    with pytest.raises(Conflict):
        supervisor_end_early(actor=director, appointment=term, on=today, reason="again")


def test_records_mystery_shopping_names_a_window_of_the_center(
    county, other_county, director, social_supervisor
):
    appoint(director, social_supervisor, county)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        supervisor_visit_record(
            actor=social_supervisor, kind="mystery", visited_on=today + DAY, findings=""
        )
    assert {"window", "visited_on", "findings"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError):
        supervisor_visit_record(
            actor=social_supervisor,
            kind="mystery",
            visited_on=today,
            findings="x",
            window=WindowFactory(center=other_county),
        )
    window = WindowFactory(center=county)
    visit = supervisor_visit_record(
        actor=social_supervisor,
        kind="mystery",
        visited_on=today,
        findings="3号窗口工作人员玩手机",
        window=window,
    )
    assert visit.window == window and visit.appointment.user == social_supervisor


def test_scope_and_response(county, director, supervisor, social_supervisor, outsider):
    appoint(director, social_supervisor, county)
    other = make_staff(Role.SOCIAL_SUPERVISOR, county, username="social2")
    appoint(director, other, county)
    today = timezone.localdate()
    mine = supervisor_visit_record(
        actor=social_supervisor, kind="opinion", visited_on=today, findings="建议增加引导员"
    )
    theirs = supervisor_visit_record(
        actor=other, kind="visit", visited_on=today, findings="秩序良好"
    )
    assert list(supervisor_visits_in_scope(social_supervisor)) == [mine]
    with pytest.raises(Http404):
        access_supervisor_visit(social_supervisor, theirs.pk)
    with pytest.raises(Http404):
        access_supervisor_visit(outsider, mine.pk)
    assert set(supervisor_visits_in_scope(supervisor)) == {mine, theirs}
    # supervisors read, only management responds
    with pytest.raises(Http404):
        access_supervisor_visit(supervisor, mine.pk, for_write=True)
    for actor in (supervisor, social_supervisor, outsider):
        with pytest.raises(ValidationError):
            supervisor_visit_respond(actor=actor, visit=mine, response="x")
    answered = supervisor_visit_respond(actor=director, visit=mine, response="已增设引导岗")
    assert answered.responded_by == director
    with pytest.raises(Conflict):
        supervisor_visit_respond(actor=director, visit=mine, response="again")
    assert access_supervisor_visit(social_supervisor, mine.pk).response == "已增设引导岗"
