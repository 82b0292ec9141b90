"""Joint meetings of the departments stationed in a center (驻厅单位联席会议, seeds/000… 篇3 四):
the agenda, who came for each department, the minutes, and the decisions followed to done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel
from govhall.org.models import Center, Department


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    PUBLISHED = "published", _("Minutes published")
    CANCELLED = "cancelled", _("Cancelled")


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent without excuse")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class JointMeeting(TimeStampedModel):
    """One joint meeting of a center's stationed departments."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField(_("meeting time"))
    place = models.CharField(_("meeting place"), max_length=100)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("meeting minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        indexes = [models.Index(fields=["center", "held_at"], name="joint_meeting_center_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held", "published", "cancelled"]),
                name="joint_meeting_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.held_at:%Y-%m-%d}"


class MeetingAttendance(models.Model):
    """Who came to a meeting for one stationed department."""

    meeting = models.ForeignKey(
        JointMeeting,
        verbose_name=_("joint meeting"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    attendee_name = models.CharField(_("attendee"), max_length=50, blank=True)
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendee account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presence = models.CharField(_("presence"), max_length=8, choices=Presence.choices)

    class Meta:
        ordering = ["meeting_id", "department__code"]
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"], name="meeting_attendance_once"
            ),
            models.CheckConstraint(
                condition=Q(presence__in=["present", "excused", "absent"]),
                name="meeting_presence_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.department}"


class MeetingDecision(TimeStampedModel):
    """A decision of a meeting, owned by a department, followed until it is done (or dropped)."""

    meeting = models.ForeignKey(
        JointMeeting,
        verbose_name=_("joint meeting"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    text = models.CharField(_("decision"), max_length=500)
    department = models.ForeignKey(
        Department,
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        indexes = [
            models.Index(fields=["status", "due_on"], name="meeting_decision_due_idx"),
            models.Index(fields=["department", "status"], name="meeting_decision_dept_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "dropped"]),
                name="meeting_decision_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]
