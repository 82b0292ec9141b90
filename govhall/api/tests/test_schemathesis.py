"""schemathesis over every operation of /api/v1/openapi.json (issue 12 item 4).

Generated requests, valid and invalid, go to the app in process (WSGI) as a hall director with
an API token, and without credentials to the public operations; the run fails on any 5xx, an
undeclared status code, a response that does not match its declared schema, or a wrong content
type. The director's and the public runs on PostgreSQL (the database that refuses NUL bytes and
out-of-range numbers; SQLite accepts them); the refusal probes by other callers on SQLite.
Deterministic: hypothesis derandomized, a bounded number of examples per operation, no
example database, so CI sees the same requests on every run.

Run just this: `pytest -m schemathesis`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from govhall.api.main import api
from govhall.cases.services.intake import case_receive
from govhall.core.roles import Role
from govhall.core.tokens import api_token_create
from govhall.testing.factories import make_staff

MAX_EXAMPLES = 6
# schemathesis's own check for 5xx.
not_a_server_error = schemathesis.checks.not_a_server_error
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]


def _schema(*, phases: list[str]):  # type: ignore[no-untyped-def]
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()
    loaded.config.generation.update(deterministic=True, max_examples=MAX_EXAMPLES, database="none")
    loaded.config.phases.update(phases=phases)
    return loaded


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


# Each pass builds only the tests it runs (building one takes ~15 ms per operation): the
# director's and the public runs on PostgreSQL, the database that refuses NUL bytes and
# out-of-range numbers where SQLite lets them through; the refusal probes (other callers, no
# credentials) judge permissions, not how strict the database is, so they run on the SQLite pass,
# beside the PostgreSQL one, and the two passes of the test command take about as long.
ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def kept_open() -> Iterator[None]:
    # Like Django's test client: keep the test's connection (and transaction) open across the
    # requests, which would otherwise close it when each one finishes.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def hall(kept_open, county, town, director, clerk, case_item, hall_window, applicant_data,
         all_received):  # fmt: skip
    """A small hall with one case, so that lists and details have something to answer."""
    case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(case_item),
        outcome="promised",
    )
    return director


def _is_public(ctx) -> bool:  # type: ignore[no-untyped-def]
    return not ctx.operation.definition.raw.get("security")


if ON_POSTGRESQL:
    # The director's and the public runs add schemathesis's coverage phase: the boundary values
    # of every parameter (empty, too long, NUL bytes, out of range), where a missing check shows
    # as a 5xx.
    schema = _schema(phases=["examples", "coverage", "fuzzing"])

    @pytest.fixture
    def director_token(hall) -> str:
        _token, key = api_token_create(actor=None, user=hall, name="schemathesis")
        return key

    @schema.parametrize()
    @HYPOTHESIS
    def test_api_as_director(case, director_token):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {director_token}"},
            checks=CHECKS,
        )

    @schema.include(_is_public).parametrize()
    @HYPOTHESIS
    def test_public_api_without_credentials(case, hall):
        if case.headers:
            case.headers.pop("Authorization", None)
        case.call_and_validate(checks=CHECKS)

else:
    # The probe's other callers, with fewer examples each: a clerk of another department and a
    # town's director (both may read little of the county and change nothing of it), and nobody
    # at all on the operations that need credentials (every one answers 401 in the declared
    # shape).
    FEWER = settings(HYPOTHESIS, max_examples=3)
    # The refusal probes judge who may do what, not input checks (the director's run does
    # those): generated requests only, without the boundary values, which more than halved
    # their time.
    probe_schema = _schema(phases=["examples", "fuzzing"])

    @pytest.fixture
    def other_clerk_token(hall, county, other_department) -> str:
        other = make_staff(Role.CLERK, county, other_department, username="bdc-clerk")
        return api_token_create(actor=None, user=other, name="schemathesis")[1]

    @pytest.fixture
    def town_director_token(hall, town) -> str:
        town_director = make_staff(Role.DIRECTOR, town, username="town-director")
        return api_token_create(actor=None, user=town_director, name="schemathesis")[1]

    @probe_schema.parametrize()
    @FEWER
    def test_api_as_a_clerk_of_another_department(case, other_clerk_token):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {other_clerk_token}"}, checks=CHECKS
        )

    @probe_schema.parametrize()
    @FEWER
    def test_api_as_a_town_director(case, town_director_token):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {town_director_token}"}, checks=CHECKS
        )

    # Credentials are checked before the input: one request per operation shows the 401.
    @probe_schema.include(lambda ctx: not _is_public(ctx)).parametrize()
    @settings(HYPOTHESIS, max_examples=1)
    def test_private_api_without_credentials(case, hall):
        if case.headers:
            case.headers.pop("Authorization", None)
        response = case.call_and_validate(checks=CHECKS)
        # Refused, whatever the input: nothing is read or changed without credentials.
        assert response.status_code >= 400, response.status_code
