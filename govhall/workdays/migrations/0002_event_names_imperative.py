"""The workdays event names in one tense (issue 13): rewrite the names of old event-log rows.

The mapping is written out here, not imported, so the migration keeps meaning what it meant
when the names change again. Backward restores the old names.
"""

from django.db import migrations

from govhall.core.event_log_migrations import rename_event_actions

RENAMED = {
    "calendar.schedule_import": "schedule.import",
    "calendar.schedule_remove": "schedule.remove",
    "calendar.center_day_set": "center_day.set",
    "calendar.center_day_remove": "center_day.remove",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_user_password_changed_at"),
        ("workdays", "0001_initial"),
    ]

    operations = [rename_event_actions(RENAMED)]
