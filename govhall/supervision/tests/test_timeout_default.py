"""Timeout default (超时默认, issue 14 item 4): an overdue review or approval step of a flagged item
passes once, through the case state machine, with its event, and the directors are told."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from govhall.cases.case_transitions import Action, transition_for
from govhall.cases.events import CaseEvent
from govhall.cases.models import Case
from govhall.cases.services.actions import case_act, case_pass_by_default
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.permissions import available_actions, refusal
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event, OutboundMessage, User
from govhall.org.models import Window
from govhall.supervision.services.scans import SCANS
from govhall.supervision.services.timeout_default import scan_timeout_defaults
from govhall.testing.cases import local, make_case
from govhall.testing.parallel import run_at_once

D = datetime.date
MONDAY = local(2025, 9, 29)


def run(day: datetime.date) -> int:
    return scan_timeout_defaults(now=local(day.year, day.month, day.day, 9)).raised


@pytest.fixture
def flagged(case_item: ServiceItem) -> ServiceItem:
    case_item.overdue_defaults_to_approval = True
    case_item.save(update_fields=["overdue_defaults_to_approval"])
    return case_item


def in_step(item: ServiceItem, window: Window, status: str) -> Case:
    return make_case(item, window, status=status, received=MONDAY, step_started_at=MONDAY)


def test_the_system_rows_are_in_the_table_and_no_person_takes_them(
    flagged: ServiceItem, hall_window: Window, approver: User, admin_user: User
) -> None:
    row = transition_for(CaseStatus.AWAITING_APPROVAL, Action.PASS_BY_DEFAULT)
    assert row is not None and row.system and row.next_status == CaseStatus.APPROVED
    review = transition_for(CaseStatus.IN_REVIEW, Action.PASS_BY_DEFAULT)
    assert review is not None and review.next_status == CaseStatus.AWAITING_APPROVAL
    case = in_step(flagged, hall_window, CaseStatus.AWAITING_APPROVAL)
    admin_user.is_superuser = True
    for person in (approver, admin_user):
        assert refusal(person, case, Action.PASS_BY_DEFAULT)
        assert row not in available_actions(person, case)
        with pytest.raises(ValidationError):
            case_act(actor=person, case=case, action=Action.PASS_BY_DEFAULT)
    assert SCANS["timeout_default"].run is scan_timeout_defaults
    assert list(SCANS).index("timeout_default") < list(SCANS).index("case_step")


def test_an_overdue_approval_is_approved_once_with_its_event_and_sms(
    flagged: ServiceItem,
    hall_window: Window,
    director: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    director.phone = "13900000001"
    director.save(update_fields=["phone"])
    case = in_step(flagged, hall_window, CaseStatus.AWAITING_APPROVAL)
    assert run(D(2025, 10, 9)) == 0  # approval limit 2: Sep 30, Oct 9
    with pytest.raises(ValidationError):  # not over yet: the engine refuses too
        case_pass_by_default(case=case, at=local(2025, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert run(D(2025, 10, 10)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert case.timeout_default_at == local(2025, 10, 10, 9)
    assert case.decided_by is None and case.decided_at is not None
    event = Event.objects.for_object(case).get(action="case.pass_by_default")
    assert event.actor is None
    assert event.data["timeout_default"] is True
    assert event.data["from"] == CaseStatus.AWAITING_APPROVAL
    assert event.data["to"] == CaseStatus.APPROVED
    assert event.data["limit_days"] == 2
    assert case.notices.filter(kind="decision").exists()
    texts = list(
        OutboundMessage.objects.filter(
            to="13900000001", purpose="supervision.timeout_default"
        ).values_list("text", flat=True)
    )
    assert len(texts) == 1 and case.number in texts[0]
    # never twice
    assert run(D(2025, 10, 11)) == 0
    assert Event.objects.filter(action="case.pass_by_default").count() == 1
    with pytest.raises(CaseConflict):
        case_pass_by_default(case=case, at=local(2025, 10, 20))


def test_an_overdue_review_passes_to_approval_which_has_its_own_limit(
    flagged: ServiceItem, hall_window: Window
) -> None:
    case = in_step(flagged, hall_window, CaseStatus.IN_REVIEW)
    assert run(D(2025, 10, 10)) == 0  # review 3: Sep 30, Oct 9, Oct 10
    assert run(D(2025, 10, 11)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_APPROVAL
    assert case.step_started_at == local(2025, 10, 11, 9)
    assert run(D(2025, 10, 14)) == 0  # approval 2: Mon 13, Tue 14
    assert run(D(2025, 10, 15)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert Event.objects.filter(action="case.pass_by_default").count() == 2


def test_only_flagged_items_and_only_review_or_approval(
    case_item: ServiceItem, flagged: ServiceItem, full_item: ServiceItem, hall_window: Window
) -> None:
    plain = in_step(full_item, hall_window, CaseStatus.AWAITING_APPROVAL)
    others = [
        in_step(flagged, hall_window, status)
        for status in (CaseStatus.RECEIVED, CaseStatus.JOINT_REVIEW, CaseStatus.APPROVED)
    ]
    assert run(D(2025, 11, 3)) == 0
    plain.refresh_from_db()
    assert plain.status == CaseStatus.AWAITING_APPROVAL and plain.timeout_default_at is None
    for case in others:
        before = case.status
        case.refresh_from_db()
        assert case.status == before
    with pytest.raises(ValidationError):  # the guard: the item is not flagged
        case_pass_by_default(case=plain, at=local(2025, 11, 3))


def test_the_directors_page_lists_the_passed_cases_in_scope(
    flagged: ServiceItem,
    hall_window: Window,
    director: User,
    clerk: User,
    outsider: User,
    client_as: Any,
) -> None:
    case = in_step(flagged, hall_window, CaseStatus.AWAITING_APPROVAL)
    waiting = in_step(flagged, hall_window, CaseStatus.IN_REVIEW)
    waiting.step_started_at = local(2025, 10, 9)
    waiting.save(update_fields=["step_started_at"])
    run(D(2025, 10, 10))
    url = reverse("workbench:timeout_defaults")
    page = client_as(director).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert case.number in body and waiting.number not in body
    assert client_as(clerk).get(url).status_code == 404
    assert case.number not in client_as(outsider).get(url).content.decode()
    timeline = client_as(director).get(reverse("workbench:case", args=[case.pk]))
    assert str(CaseEvent.PASS_BY_DEFAULT.label) in timeline.content.decode()
    assert 'id="timeout-default"' in timeline.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_pass_each_step_once(flagged: ServiceItem, hall_window: Window) -> None:
    cases = [in_step(flagged, hall_window, CaseStatus.AWAITING_APPROVAL) for _ in range(3)]

    def once() -> Any:
        return run(D(2025, 10, 10))

    results = run_at_once([once, once])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 3
    assert Event.objects.filter(action="case.pass_by_default").count() == 3
    for case in cases:
        case.refresh_from_db()
        assert case.status == CaseStatus.APPROVED
