"""Schema: the database itself refuses UPDATE on the event log (append-only)."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER core_event_no_update BEFORE UPDATE ON core_event
BEGIN SELECT RAISE(ABORT, 'core_event is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_event_no_update;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION core_event_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'core_event is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_no_update BEFORE UPDATE ON core_event
FOR EACH ROW EXECUTE FUNCTION core_event_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS core_event_no_update ON core_event;
DROP FUNCTION IF EXISTS core_event_refuse_update();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_role_groups")]
    operations = [migrations.RunPython(forwards, backwards)]
