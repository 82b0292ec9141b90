"""The staffing event names in one tense (issue 13): rewrite the names of old event-log rows.

The mapping is written out here, not imported, so the migration keeps meaning what it meant
when the names change again. Backward restores the old names.
"""

from django.db import migrations

from govhall.core.event_log_migrations import rename_event_actions

RENAMED = {
    "leave.head_approve": "leave.endorse",
    "absence.started": "absence.start",
    "absence.approved": "absence.approve",
    "absence.returned": "absence.return",
    "absence.half_day_absenteeism": "absence.mark_half_day_absenteeism",
    "delegation.opened": "delegation.open",
    "post.vacant": "post_vacancy.open",
    "post.vacancy_closed": "post_vacancy.close",
    "attendance.signed_in": "attendance.sign_in",
    "attendance.signed_out": "attendance.sign_out",
    "attendance.day_closed": "attendance.close_day",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_user_password_changed_at"),
        ("staffing", "0001_initial"),
    ]

    operations = [rename_event_actions(RENAMED)]
