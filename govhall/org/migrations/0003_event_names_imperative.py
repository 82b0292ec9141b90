"""The org event names in one tense (issue 13): rewrite the names of old event-log rows.

The mapping is written out here, not imported, so the migration keeps meaning what it meant
when the names change again. Backward restores the old names.
"""

from django.db import migrations

from govhall.core.event_log_migrations import rename_event_actions

RENAMED = {
    "staff.roles": "staff.set_roles",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_user_password_changed_at"),
        ("org", "0002_post_one_a_post_early_arrival_max"),
    ]

    operations = [rename_event_actions(RENAMED)]
