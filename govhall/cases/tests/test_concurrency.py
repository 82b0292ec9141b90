"""Cases under concurrency, with real transactions on PostgreSQL (SQLite serializes writers, so
these run in the PostgreSQL pass of CI): two clerks on one case, many intakes at once, the same
idempotency key twice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from govhall.cases.models import Applicant, Case, CaseNumberCounter
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.intake import ApplicantData, Outcome, case_receive, case_submit_online
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import PostFactory, make_staff
from govhall.testing.parallel import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
    ),
]


def person(n: int) -> ApplicantData:
    from govhall.core.idnumbers import id_check_character

    first17 = f"11010119900307{n:03d}"
    return ApplicantData(
        kind="person",
        name=f"申请人{n}",
        id_number=first17 + id_check_character(first17),
        phone=f"138{n:08d}",
    )


def test_two_clerks_on_one_case_one_wins_the_other_gets_a_conflict(
    clerk, county, department, hall_window, case_item, applicant_data, all_received
):
    second = make_staff(Role.CLERK, county, department, username="clerk2", window_staff=True)
    PostFactory(window=hall_window, name="受理岗2", a_staff=second)
    case = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(case_item),
        outcome=Outcome.PROMISED,
    )
    version = case.version

    def act(actor, action, params):  # type: ignore[no-untyped-def]
        fresh = Case.objects.get(pk=case.pk)
        return case_act(
            actor=actor,
            case=fresh,
            action=action,
            params=action_params(action, params),
            expected_version=version,
        )

    results = run_at_once(
        [
            lambda: act(clerk, "review", {}),
            lambda: act(second, "suspend", {"reason": "现场核查"}),
        ]
    )
    wins = [r for r in results if isinstance(r, Case)]
    conflicts = [r for r in results if isinstance(r, CaseConflict)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    assert "reload the page" in conflicts[0].messages[0]
    case.refresh_from_db()
    assert case.version == version + 1
    assert case.status == wins[0].status
    assert Event.objects.filter(action__in=["case.review", "case.suspend"]).count() == 1


def test_fifty_intakes_at_once_get_fifty_distinct_numbers(
    clerk, hall_window, case_item, all_received
):
    materials = all_received(case_item)

    def receive(n: int) -> Case:
        # Half of them for the same applicant: the applicant row is shared, not duplicated.
        return case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=person(n if n % 2 else 0),
            materials=materials,
            outcome=Outcome.PROMISED,
        )

    results = run_at_once([lambda n=n: receive(n) for n in range(50)])
    errors = [r for r in results if not isinstance(r, Case)]
    assert not errors, errors[:3]
    numbers = {case.number for case in results}
    assert len(numbers) == 50
    assert Case.objects.count() == 50
    serials = sorted(int(number[-5:]) for number in numbers)
    assert serials == list(range(1, 51))  # never skipped, never reused
    assert CaseNumberCounter.objects.get().last == 50
    assert Applicant.objects.count() == 26


def test_same_idempotency_key_twice_at_once_makes_one_case(
    clerk, hall_window, case_item, applicant_data, all_received
):
    materials = all_received(case_item)
    case_item.online_available = True
    case_item.save(update_fields=["online_available"])

    def online() -> tuple[Case, bool]:
        return case_submit_online(
            actor=clerk,
            item=case_item,
            applicant=applicant_data,
            materials=materials,
            idempotency_key="portal-42",
        )

    results = run_at_once([online, online])
    assert all(isinstance(r, tuple) for r in results), results
    assert {case.pk for case, _created in results} == {Case.objects.get().pk}
    assert sorted(created for _case, created in results) == [False, True]
    assert Event.objects.filter(action="case.submit").count() == 1

    def window() -> Case:
        return case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=applicant_data,
            materials=materials,
            outcome=Outcome.PROMISED,
            idempotency_key="desk-7",
        )

    results = run_at_once([window, window, window])
    assert all(isinstance(r, Case) for r in results), results
    assert len({case.pk for case in results}) == 1
    assert Case.objects.filter(idempotency_key="desk-7").count() == 1
    assert Event.objects.filter(action="case.receive").count() == 1


def test_a_refused_intake_under_load_leaves_nothing(clerk, hall_window, case_item):
    bad = ApplicantData(
        kind="person", name="x", id_number="110101199003074478", phone="13800000000"
    )

    def receive() -> Case:
        return case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=bad,
            materials=[],
            outcome=Outcome.PROMISED,
        )

    results = run_at_once([receive, receive])
    assert all(isinstance(r, ValidationError) for r in results)
    assert not Case.objects.exists() and not CaseNumberCounter.objects.exists()
