"""The API's one error policy (govhall/api/schemas.py): 422 refused input with the fields, 409
conflicts, 404 missing or forbidden, 429 rate limited — every router, one body shape."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from govhall.api.main import api as ninja_api
from govhall.api.schemas import field_refusal, rate_limited, service_refusal
from govhall.cases.services.errors import CaseConflict
from govhall.core.ratelimit import RateLimited
from govhall.core.validation import Conflict
from govhall.frontdesk.services.tickets import TicketConflict
from govhall.testing.source import parse_source

ROUTERS = Path(__file__).resolve().parents[1] / "routers"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JSON = "application/json"

# What an operation may answer: its successes, the policy's codes, and the codes that come
# before any operation (400 NUL, 401, 403 CSRF, 413, 415).
SUCCESS = {200, 201, 202, 204}
POLICY = {404, 409, 422, 429}
BEFORE_ANY_VIEW = {400, 401, 403, 413, 415}
# What a router itself may answer with a literal status code.
ROUTER_CODES = SUCCESS | POLICY


def test_every_declared_code_is_in_the_policy_with_the_error_body():
    schema = json.loads(json.dumps(ninja_api.get_openapi_schema()))
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for code, response in operation["responses"].items():
                status = int(code)
                assert status in SUCCESS | POLICY | BEFORE_ANY_VIEW, (where, status)
                if status >= 400:
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOut", (where, status)


def _literal_statuses(tree: ast.AST) -> list[tuple[int, int]]:
    """(line, code) of every `Status(<int>, …)`, `HttpError(<int>, …)` and `status=<int>`."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in {"Status", "HttpError"} and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, int):
                found.append((node.lineno, first.value))
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg == "status" and isinstance(value, ast.Constant):
                found += [(node.lineno, value.value)] if isinstance(value.value, int) else []
    return found


def test_routers_answer_only_the_policys_codes():
    """No router answers 400 or 403 for refused input or a forbidden operation."""
    wrong = []
    for module in sorted(ROUTERS.glob("*.py")):
        for line, code in _literal_statuses(parse_source(module.read_text())):
            if code not in ROUTER_CODES:
                wrong.append(f"{module.name}:{line}: {code}")
    assert wrong == []


def test_the_shared_refusals():
    refused = service_refusal(ValidationError({"name": ["Too long."]}))
    assert (refused.status_code, refused.value) == (
        422,
        {"detail": "Too long.", "errors": {"name": ["Too long."]}},
    )
    whole = service_refusal(ValidationError("Not now."))
    assert (whole.status_code, whole.value) == (422, {"detail": "Not now."})
    for conflict in (Conflict("Reload."), CaseConflict("Reload."), TicketConflict("Reload.")):
        assert service_refusal(conflict).status_code == 409
    field = field_refusal("month", "Give the month as YYYY-MM.")
    assert field.status_code == 422 and field.value["errors"] == {
        "month": ["Give the month as YYYY-MM."]
    }
    response = HttpResponse()
    limited = rate_limited(response, RateLimited("Slow down.", 30))
    assert (limited.status_code, limited.value, response["Retry-After"]) == (
        429,
        {"detail": "Slow down."},
        "30",
    )


# --- representative refusals, one or more per router -------------------------------------------


def _refused_input(client: Any, county: Any) -> list[tuple[str, Any, str]]:
    """(what, response, field at fault) of refused input across the routers."""
    return [
        (
            "calendar: a date out of the calendar",
            client.get("/api/v1/calendar/is-workday", {"date": "1999-12-31"}, **EN),
            "date",
        ),
        (
            "calendar: an unknown center code",
            client.get("/api/v1/calendar/is-workday", {"date": "2025-10-01", "center": "NO"}),
            "center",
        ),
        (
            "cases: an unknown status",
            client.get("/api/v1/cases/", {"status": "nonsense"}),
            "status",
        ),
        (
            "queue: a reversed period",
            client.get(
                "/api/v1/frontdesk/queue/stats",
                {"center": county.pk, "first": "2026-06-10", "last": "2026-06-01"},
            ),
            "first",
        ),
        (
            "inquiries: an answered matter without the answer",
            client.post(
                "/api/v1/frontdesk/inquiries/",
                {"center": county.pk, "channel": "visit", "matter": "x", "outcome": "answered"},
                content_type=JSON,
            ),
            "answer",
        ),
        (
            "appointments: a period over the limit",
            client.get(
                "/api/v1/frontdesk/appointments/rates",
                {"first": "2020-01-01", "last": "2026-01-01"},
            ),
            "last",
        ),
        (
            "org: a malformed id",
            client.get("/api/v1/org/departments", {"center": "x"}),
            "center",
        ),
    ]


@pytest.mark.django_db
def test_refused_input_is_422_with_the_field(client_as, director, county):
    client = client_as(director)
    for what, response, field in _refused_input(client, county):
        assert response.status_code == 422, (what, response.content)
        body = response.json()
        assert isinstance(body["detail"], str) and body["detail"], what
        assert field in body["errors"], (what, body)


@pytest.mark.django_db
def test_missing_and_forbidden_are_the_same_404(client_as, director, guide, county, other_county):
    director_client = client_as(director)
    missing = [
        director_client.get("/api/v1/cases/999999"),
        director_client.get("/api/v1/catalog/items/NO-SUCH-ITEM"),
        director_client.get("/api/v1/org/centers/999999/windows"),
        director_client.get("/api/v1/frontdesk/inquiries/999999"),
        director_client.get("/api/v1/frontdesk/queue/tickets/999999"),
        director_client.get("/api/v1/frontdesk/appointments/999999"),
    ]
    forbidden = [director_client.get(f"/api/v1/org/centers/{other_county.pk}/windows")]
    guide_client = client_as(guide)
    forbidden += [
        guide_client.get("/api/v1/frontdesk/queue/stats", {"center": county.pk}),
        guide_client.get("/api/v1/frontdesk/inquiries/rates"),
    ]
    for response in missing + forbidden:
        assert response.status_code == 404, (response.request["PATH_INFO"], response.content)
        assert set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_a_role_without_the_operation_gets_404_not_422(client_as, reviewer, county):
    """Reviewers receive transferred inquiries but do not log them: forbidden answers 404."""
    response = client_as(reviewer).post(
        "/api/v1/frontdesk/inquiries/",
        {
            "center": county.pk,
            "channel": "visit",
            "matter": "x",
            "outcome": "answered",
            "answer": "y",
        },
        content_type=JSON,
    )
    assert response.status_code == 404
