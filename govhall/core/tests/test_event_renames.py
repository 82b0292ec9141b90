"""Renaming event names (issue 13: one tense) rewrites old rows both ways and keeps the log
append-only; every app's renaming migration maps old names onto registered ones."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from govhall.core.event_log_migrations import rename_event_actions
from govhall.core.events import is_registered
from govhall.core.models import Event


class _Editor:
    """What the RunPython needs of a schema editor, on the test's own connection (SQLite's real
    editor refuses to open inside the test's transaction)."""

    connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _renaming_migrations() -> list[tuple[str, Mapping[str, str]]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (label, name), migration in loader.disk_migrations.items():
        module = importlib.import_module(migration.__module__)
        renamed = getattr(module, "RENAMED", None)
        if renamed is not None:
            found.append((f"{label}.{name}", renamed))
    return found


def test_every_renaming_migration_maps_old_names_onto_registered_ones() -> None:
    migrations = _renaming_migrations()
    assert {name.split(".")[0] for name, _ in migrations} >= {
        "core",
        "org",
        "workdays",
        "cases",
        "staffing",
        "frontdesk",
    }
    for name, renamed in migrations:
        for old, new in renamed.items():
            assert is_registered(new), f"{name}: {new} is not a registered name"
            assert not is_registered(old), f"{name}: the old name {old} is still registered"


@pytest.mark.django_db
def test_renaming_rewrites_old_rows_both_ways_and_the_log_stays_append_only(
    county: Any, director: Any
) -> None:
    operation = rename_event_actions(
        {"center.updated": "center.update", "window.created": "window.create"},
        also_forward={"center.changed": "center.update"},
    )
    written = ["center.updated", "window.created", "center.changed", "staff.create"]
    rows = [
        Event.objects.create(actor=director, action=action, object_type="org.center", object_id="1")
        for action in written
    ]
    mine = Event.objects.filter(pk__in=[row.pk for row in rows]).order_by("id")
    if connection.vendor == "postgresql":
        # A migration starts with no deferred checks pending; the rows above left some.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    operation.code(None, _Editor())
    assert list(mine.values_list("action", flat=True)) == [
        "center.update",
        "window.create",
        "center.update",
        "staff.create",
    ]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_event SET note = 'x'")

    assert operation.reverse_code is not None
    operation.reverse_code(None, _Editor())
    # Back to the old names; the extra spelling comes back as the main old name.
    assert list(mine.values_list("action", flat=True)) == [
        "center.updated",
        "window.created",
        "center.updated",
        "staff.create",
    ]
    assert [row.at for row in mine] == [row.at for row in rows]  # nothing else changed
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_event SET note = 'x'")
