"""The absence state machine (staffing/absence_transitions.py) walked through every reachable
state, actor and action: the buttons `absence_actions` offers are exactly what the services
accept, a refused step changes nothing and every accepted one follows a row of the table."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.absence_transitions import ABSENCE_TRANSITIONS, AbsenceAction
from govhall.staffing.models import Absence
from govhall.staffing.models.presence import AbsenceStatus
from govhall.staffing.services.presence import (
    absence_actions,
    absence_approve,
    absence_return,
    absence_start,
)
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db
NINE = timezone.make_aware(datetime.datetime(2025, 11, 3, 9, 0))  # Monday, service hours


def snapshot(pk: int) -> dict[str, Any]:
    row = Absence.objects.filter(pk=pk).values().get()
    row.pop("updated_at")
    return row


def test_offered_actions_are_what_the_services_accept(
    county, department, other_county, clerk, window_head, director
):
    b_staff = make_staff(Role.CLERK, county, department, username="bstaff", window_staff=True)
    other_director = make_staff(Role.DIRECTOR, other_county, username="far_director")
    window = WindowFactory(center=county, head=window_head)
    PostFactory(window=window, a_staff=clerk, b_staff=b_staff)
    actors = {
        "person": clerk,
        "head": window_head,
        "director": director,
        "colleague": b_staff,
        "far_director": other_director,
    }

    def away(minutes: int) -> Absence:
        return absence_start(
            actor=clerk,
            whereabouts="档案室",
            until=NINE + datetime.timedelta(minutes=minutes),
            at=NINE,
        )

    def approved() -> Absence:
        return absence_approve(actor=window_head, absence=away(60), cover=b_staff, at=NINE)

    def returned() -> Absence:
        return absence_return(
            actor=clerk, absence=away(10), at=NINE + datetime.timedelta(minutes=5)
        )

    situations = {
        "short": lambda: away(10),
        "long": lambda: away(60),
        "approved": approved,
        "returned": returned,
    }
    accepted: set[tuple[str, str, str]] = set()
    later = NINE + datetime.timedelta(minutes=30)
    for situation, make in situations.items():
        for who, user in actors.items():
            for action in AbsenceAction.values:
                with transaction.atomic():
                    absence = make()
                    fresh = Absence.objects.select_related("window").get(pk=absence.pk)
                    offered = {row.action for row in absence_actions(user, fresh)}
                    before = snapshot(absence.pk)
                    try:
                        with transaction.atomic():
                            if action == AbsenceAction.APPROVE:
                                absence_approve(actor=user, absence=fresh, cover=b_staff, at=later)
                            else:
                                absence_return(actor=user, absence=fresh, at=later)
                    except ValidationError as refusal:
                        if action in offered:
                            pytest.fail(f"{situation} {who} {action}: {refusal.messages}")
                        assert snapshot(absence.pk) == before
                    else:
                        assert action in offered, (situation, who, action)
                        row = ABSENCE_TRANSITIONS.row(before["status"], action)
                        assert row is not None
                        assert snapshot(absence.pk)["status"] == row.next_state
                        accepted.add((situation, who, action))
                    transaction.set_rollback(True)
    assert ("long", "head", AbsenceAction.APPROVE) in accepted
    assert ("long", "director", AbsenceAction.APPROVE) in accepted
    assert ("approved", "person", AbsenceAction.RETURN) in accepted
    assert not {row for row in accepted if row[1] in ("colleague", "far_director")}
    assert not {row for row in accepted if row[0] == "returned"}
    assert ("approved", "head", AbsenceAction.APPROVE) not in accepted
    assert ("long", "person", AbsenceAction.APPROVE) not in accepted


def test_the_table_names_every_status_and_action():
    assert {row.action for row in ABSENCE_TRANSITIONS} == set(AbsenceAction.values)
    assert not ABSENCE_TRANSITIONS.rows_from(AbsenceStatus.RETURNED)
