"""The core event names in one tense (issue 13): rewrite the names of old event-log rows.

The mapping is written out here, not imported, so the migration keeps meaning what it meant
when the names change again. Backward restores the old names.
"""

from django.db import migrations

from govhall.core.event_log_migrations import rename_event_actions

RENAMED = {
    "user.password_change": "user.change_password",
    "user.otp_enroll": "user.enroll_otp",
    "user.otp_reset": "user.reset_otp",
    "api_token.created": "api_token.create",
    "api_token.revoked": "api_token.revoke",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_user_password_changed_at"),
    ]

    operations = [rename_event_actions(RENAMED)]
