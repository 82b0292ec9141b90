"""Public progress inquiry API: right and wrong digits, no oracle, rate limit per address, lock
per case number, what is shown (masked name, public steps, no staff names or notes)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone, translation

from govhall.cases.models import ProgressLookup
from govhall.cases.statuses import CaseStatus
from govhall.core.events import record_event
from govhall.core.models import RateCounter
from govhall.testing.cases import PERSON_ID, PHONE, bare_case

pytestmark = pytest.mark.django_db
URL = "/api/v1/progress/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    # English msgids in answers, whatever the translations say later.
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.GOVHALL_PROGRESS_WINDOW_MINUTES = 15
    settings.GOVHALL_PROGRESS_MAX_FAILURES_PER_CLIENT = 4
    settings.GOVHALL_PROGRESS_MAX_FAILURES_PER_CASE = 3


@pytest.fixture
def case(county, department, clerk, approver):
    case = bare_case(
        county=county,
        department=department,
        accepted_at=timezone.now(),
        promised_due_on=timezone.localdate() + datetime.timedelta(days=14),
        legal_due_on=timezone.localdate() + datetime.timedelta(days=40),
        clock_started_on=timezone.localdate(),
    )
    for action, actor, note in [
        ("case.receive", clerk, "窗口内部备注"),
        ("case.view_personal_data", clerk, "核对身份"),
        ("case.accept", clerk, "材料齐全"),
        ("case.record_fee", clerk, "收费"),
    ]:
        record_event(actor=actor, action=action, obj=case, center_id=case.center_id, note=note)
    return case


def ask(client, number: str, last4: str, address: str = "10.0.0.1"):
    return client.get(URL, {"number": number, "last4": last4}, REMOTE_ADDR=address)


def test_right_digits_by_phone_or_id(client, case, clerk):
    by_phone = ask(client, case.number, PHONE[-4:])
    assert by_phone.status_code == 200, by_phone.content
    body = by_phone.json()
    assert body["number"] == case.number and body["status"] == "accepted"
    assert body["national_code"] == "05" and body["national_label"] == "受理"
    assert body["item"] == "食品经营许可" and body["kind"] == "promised"
    assert body["applicant_name"] == "张*丰"
    assert body["promised_due_on"] == case.promised_due_on.isoformat()
    assert isinstance(body["working_days_left"], int) and body["working_days_left"] > 0
    assert [step["name"] for step in body["steps"]] == ["Received at the window", "Accepted"]
    assert body["outcome"] == ""
    text = by_phone.content.decode()
    for secret in (PHONE, PERSON_ID, "张三丰", clerk.username, "窗口内部备注", "材料齐全", "收费"):
        assert secret not in text
    by_id = ask(client, case.number, PERSON_ID[-4:])
    assert by_id.status_code == 200 and by_id.json()["number"] == case.number
    assert ProgressLookup.objects.filter(succeeded=True).count() == 2


def test_id_number_ending_in_x(client, county, department):
    case = bare_case(
        county=county, department=department, number="N-X", id_number="11010519491231002X"
    )
    assert ask(client, "n-x", "002x").status_code == 200
    assert ask(client, case.number, "002X").json()["number"] == "N-X"


def test_wrong_digits_and_wrong_number_look_the_same(client, case):
    wrong_digits = ask(client, case.number, "0000")
    wrong_number = ask(client, "33010020990101000009", PHONE[-4:])
    assert wrong_digits.status_code == wrong_number.status_code == 404
    assert wrong_digits.json() == wrong_number.json()
    assert "No case matches" in wrong_digits.json()["detail"]
    assert ProgressLookup.objects.filter(succeeded=False).count() == 2


def test_malformed_input_is_422_and_not_counted(client, case):
    for number, last4 in [("", "5678"), (case.number, "56"), (case.number, "abcd")]:
        response = ask(client, number, last4)
        assert response.status_code == 422
        assert response.json()["detail"]
    assert ProgressLookup.objects.count() == 0


def test_too_many_failures_from_one_address(client, case, county, department):
    other = bare_case(
        county=county, department=department, number="OTHER-1", id_number="11010519491231002X"
    )
    # Four failures from one address, spread so that no case number reaches its own limit.
    for number, digits in [(case.number, "0001"), (case.number, "0002"), (other.number, "1111")]:
        assert ask(client, number, digits).status_code == 404
    assert ask(client, "NO-SUCH-CASE", "1111").status_code == 404
    limited = ask(client, case.number, PHONE[-4:])
    assert limited.status_code == 429
    assert "Too many wrong entries" in limited.json()["detail"]
    assert 0 < int(limited["Retry-After"]) <= 15 * 60 + 1
    # Another address is not affected, and the right digits work there.
    assert ask(client, case.number, PHONE[-4:], address="10.0.0.2").status_code == 200


def test_failures_leave_the_window(client, case):
    for digits in ["0001", "0002", "0003", "0004"]:
        ask(client, "NOPE", digits)
    assert ask(client, case.number, PHONE[-4:]).status_code == 429
    # The failures are counted in windows of the atomic rate counter: move them 16 minutes
    # into the past, as if the window had ended.
    shift = 16 * 60
    RateCounter.objects.update(
        window_start=F("window_start") - shift, window_end=F("window_end") - shift
    )
    assert ask(client, case.number, PHONE[-4:]).status_code == 200


def test_case_number_locked_even_with_right_digits(client, case):
    # Guesses spread over many addresses still lock the number.
    for n, digits in enumerate(["0001", "0002", "0003"]):
        assert ask(client, case.number, digits, address=f"10.1.0.{n}").status_code == 404
    locked = ask(client, case.number, PHONE[-4:], address="10.9.9.9")
    assert locked.status_code == 429
    assert "locked" in locked.json()["detail"]
    assert not ProgressLookup.objects.filter(succeeded=True).exists()


def test_unknown_number_locks_the_same_way(client, case):
    """No oracle: an unknown number answers and locks exactly like a known one."""
    answers: dict[str, list[tuple[int, str]]] = {}
    for number in [case.number, "33010020990101000009"]:
        seen = []
        for n, digits in enumerate(["0001", "0002", "0003", "0004"]):
            response = ask(client, number, digits, address=f"10.{len(answers)}.0.{n}")
            seen.append((response.status_code, response.json()["detail"]))
        answers[number] = seen
    known, unknown = answers.values()
    assert known == unknown
    assert [code for code, _detail in known] == [404, 404, 404, 429]


def test_outcome_of_a_denied_and_delivered_case(client, county, department, approver):
    case = bare_case(
        county=county,
        department=department,
        status=CaseStatus.DELIVERED,
        completed_at=timezone.now(),
    )
    for action in ["case.receive", "case.accept", "case.deny", "case.deliver"]:
        record_event(actor=approver, action=action, obj=case, center_id=case.center_id)
    body = ask(client, case.number, PHONE[-4:]).json()
    assert body["outcome"] == "denied" and body["national_code"] == "10"
    assert body["working_days_left"] is None
    assert [s["name"] for s in body["steps"]][-2:] == ["Denied", "Delivered"]


def test_progress_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/progress/" in paths
    operation = paths["/api/v1/progress/"]["get"]
    assert operation["summary"] and "429" in operation["responses"]
    assert not operation.get("security")
