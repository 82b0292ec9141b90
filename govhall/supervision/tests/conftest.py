"""The default rules come from a data migration; a transactional test elsewhere flushes them, so
every supervision test that uses the database puts them back first (idempotent)."""

from __future__ import annotations

import pytest

from govhall.testing.supervision import ensure_default_rules


@pytest.fixture(autouse=True)
def default_rules(request: pytest.FixtureRequest) -> None:
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    ensure_default_rules()
