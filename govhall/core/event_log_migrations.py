"""What migrations need to touch the append-only event log (one home for the trigger's SQL).

`core/migrations/0003` installs the trigger that refuses UPDATE on `core_event`. Renaming event
names (issue 13: one tense) is the one sanctioned rewrite: `rename_event_actions` lifts the
trigger, rewrites the names and puts the trigger back, all in the migration's transaction, and
reverses the mapping when migrated backward so no history is lost either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import migrations

SQLITE_TRIGGER_UP = """
CREATE TRIGGER core_event_no_update BEFORE UPDATE ON core_event
BEGIN SELECT RAISE(ABORT, 'core_event is append-only'); END;
"""
SQLITE_TRIGGER_DOWN = "DROP TRIGGER IF EXISTS core_event_no_update;"

POSTGRES_TRIGGER_UP = """
CREATE OR REPLACE FUNCTION core_event_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'core_event is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_no_update BEFORE UPDATE ON core_event
FOR EACH ROW EXECUTE FUNCTION core_event_refuse_update();
"""
POSTGRES_TRIGGER_DOWN = """
DROP TRIGGER IF EXISTS core_event_no_update ON core_event;
DROP FUNCTION IF EXISTS core_event_refuse_update();
"""


def _rewrite(schema_editor: Any, mapping: Mapping[str, str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER_DOWN)
    elif vendor == "postgresql":
        # No ALTER TABLE while deferred foreign-key checks of rows written earlier are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE;")
        schema_editor.execute("ALTER TABLE core_event DISABLE TRIGGER core_event_no_update;")
    for old, new in mapping.items():
        schema_editor.execute(
            "UPDATE core_event SET action = %s WHERE action = %s", params=[new, old]
        )
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER_UP)
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_event ENABLE TRIGGER core_event_no_update;")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED;")


def rename_event_actions(
    renamed: Mapping[str, str], *, also_forward: Mapping[str, str] | None = None
) -> migrations.RunPython:
    """A migration operation renaming old event rows; `also_forward` maps extra old spellings
    forward only (their backward name is ambiguous)."""
    forward_map = {**renamed, **(also_forward or {})}
    backward_map = {new: old for old, new in renamed.items()}

    def forward(apps: Any, schema_editor: Any) -> None:
        _rewrite(schema_editor, forward_map)

    def backward(apps: Any, schema_editor: Any) -> None:
        _rewrite(schema_editor, backward_map)

    return migrations.RunPython(forward, backward)
