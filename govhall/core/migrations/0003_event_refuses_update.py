"""Schema: the database itself refuses UPDATE on the event log (append-only)."""

from django.db import migrations

from govhall.core import event_log_migrations as trigger


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(trigger.SQLITE_TRIGGER_UP)
    elif vendor == "postgresql":
        schema_editor.execute(trigger.POSTGRES_TRIGGER_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(trigger.SQLITE_TRIGGER_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(trigger.POSTGRES_TRIGGER_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_role_groups")]
    operations = [migrations.RunPython(forwards, backwards)]
