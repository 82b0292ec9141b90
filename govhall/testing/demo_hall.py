"""The demo hall (`govhall demo`), built once per test run for every test module that reads it.

Building the demo takes tens of seconds; the demo's test modules (govhall/cli/tests/test_demo*.py)
each built it again. The session fixture `demo_hall` loads it once in a transaction that stays
open while the tests using it run, each test's own transaction nesting inside it as a savepoint:
a test still sees exactly the freshly loaded demo and none of another test's changes.

So that no other test runs inside that transaction (and sees the demo's rows), the tests using the
fixture run as one block where the first of them was collected (`pytest_collection_modifyitems`),
and the transaction is rolled back as soon as the last of them is torn down
(`pytest_runtest_teardown`), before any other test, in particular before pytest-django's
transactional tests, which run after every other database test.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import ExitStack
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from govhall.core.roles import Role

# The production hasher is slow by design; the demo makes a user per role and tests log in.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FIXTURE = "demo_hall"
_open: list[ExitStack] = []  # the demo's open transaction (and what surrounds it), if any


@dataclass(frozen=True)
class DemoHall:
    output: str  # what `govhall demo` printed when it loaded the hall


def _roll_back() -> None:
    while _open:
        stack = _open.pop()
        transaction.set_rollback(True)
        stack.close()  # leaves the transaction (rolled back), then the settings and the blocker


@pytest.fixture(scope="session")
def demo_hall(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> DemoHall:
    """The demo hall with its cases, loaded once and rolled back after the last test using it."""
    request.addfinalizer(_roll_back)  # when the run stops inside the block (-x, ^C)
    stack = ExitStack()
    stack.enter_context(django_db_blocker.unblock())
    stack.enter_context(override_settings(PASSWORD_HASHERS=FAST_HASHERS))
    stack.enter_context(transaction.atomic())
    _open.append(stack)
    try:
        for role in Role:  # made by a migration; tests may run without migrations
            Group.objects.get_or_create(name=role.value)
        out = StringIO()
        call_command("load_demo", stdout=out)
    except BaseException:
        _roll_back()
        raise
    return DemoHall(out.getvalue())


def _uses_demo(item: pytest.Item | None) -> bool:
    return item is not None and FIXTURE in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests reading the demo hall run as one block, where the first of them was."""
    demo = [item for item in items if _uses_demo(item)]
    if demo:
        first = items.index(demo[0])
        chosen = set(demo)
        rest = [item for item in items if item not in chosen]
        items[:] = rest[:first] + demo + rest[first:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, None, None]:
    """After the last test of the block (its own transaction already rolled back), roll back the
    demo before the next test starts."""
    try:
        return (yield)
    finally:
        if _open and not _uses_demo(nextitem):
            _roll_back()
