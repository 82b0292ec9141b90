"""The front-desk event names in one tense (issue 13): rewrite the names of old event-log rows.

The mapping is written out here, not imported, so the migration keeps meaning what it meant
when the names change again. Backward restores the old names.
"""

from django.db import migrations

from govhall.core.event_log_migrations import rename_event_actions

RENAMED = {
    "ticket.no_show": "ticket.mark_no_show",
    "queue.group_create": "queue.create_group",
    "queue.group_update": "queue.update_group",
    "queue.group_build": "queue.build_group",
    "appointment.reject": "appointment.decline",
    "appointment.no_show": "appointment.mark_no_show",
    "appointment.personal_data_viewed": "appointment.view_personal_data",
    "inquiry.logged": "inquiry.log",
    "inquiry.acknowledged": "inquiry.acknowledge",
    "inquiry.finished": "inquiry.finish",
    "inquiry.contact_viewed": "inquiry.view_contact",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_user_password_changed_at"),
        ("frontdesk", "0002_phone_code_priority_requested"),
    ]

    operations = [rename_event_actions(RENAMED)]
