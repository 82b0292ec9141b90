"""Every event name the hallops app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `HallOpsConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HallOpsEvent(models.TextChoices):
    # Joint meetings of the stationed departments (驻厅单位联席会议)
    MEETING_PLAN = "joint_meeting.plan", _("Joint meeting planned")
    MEETING_HOLD = "joint_meeting.hold", _("Joint meeting held")
    MEETING_PUBLISH = "joint_meeting.publish", _("Joint meeting minutes published")
    MEETING_CANCEL = "joint_meeting.cancel", _("Joint meeting cancelled")
    MEETING_RECORD_ATTENDANCE = (
        "joint_meeting.record_attendance",
        _("Joint meeting attendance recorded"),
    )
    MEETING_SAVE_MINUTES = "joint_meeting.save_minutes", _("Joint meeting minutes saved")
    DECISION_ADD = "meeting_decision.add", _("Meeting decision added")
    DECISION_DONE = "meeting_decision.done", _("Meeting decision done")
    DECISION_DROP = "meeting_decision.drop", _("Meeting decision dropped")
    # Emergencies (突发事件)
    PLAN_DRAFT = "emergency_plan.draft", _("Emergency plan revision started")
    PLAN_SAVE_SECTION = "emergency_plan.save_section", _("Emergency plan section saved")
    PLAN_PUBLISH = "emergency_plan.publish", _("Emergency plan published")
    EVENT_RECORD = "emergency_event.record", _("Emergency or drill recorded")
    EVENT_PLAN_DRILL = "emergency_event.plan_drill", _("Emergency drill planned")
    EVENT_CANCEL = "emergency_event.cancel", _("Planned drill cancelled")
