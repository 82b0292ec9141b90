"""Data: the case event names written in the past tense become imperative (issue 13).

`core_event` refuses UPDATE (core 0003, a trigger): the trigger is lifted for the rename and put
back in the same transaction. Forward and backward, so no history is lost either way.
"""

from django.db import migrations

from govhall.core.event_log_migrations import rename_event_actions

RENAMED = {
    "case.supplement_received": "case.receive_supplement",
    "case.pending_received": "case.receive_pending",
    "case.notice_issued": "case.issue_notice",
    "case.notice_override": "case.override_notice",
    "case.notice_confirmed": "case.confirm_notice",
    "case.joint_task_done": "case.complete_joint_task",
    "case.joint_meeting": "case.record_joint_meeting",
    "case.fee_recorded": "case.record_fee",
    "case.personal_data_viewed": "case.view_personal_data",
}
# An older spelling of the meeting event, read by the timeline until now.
ALSO_FORWARD = {"case.joint_meeting_recorded": "case.record_joint_meeting"}


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("core", "0006_user_password_changed_at"),
    ]

    operations = [rename_event_actions(RENAMED, also_forward=ALSO_FORWARD)]
