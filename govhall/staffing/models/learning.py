"""Study and training (issue 21 item 2; seeds/001… 华蓥 中心组学习, seeds/000… 篇3 五, seeds/002…
二2): the hall's study sessions every two weeks (monthly in holidays), at least two hours, with
plan, attendance, register, discussion notes and archive; training courses, skill contests and
study visits with attendance and results in each person's file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class AttendanceMark(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused (on leave)")
    ABSENT = "absent", _("Absent without leave")


class StudySession(TimeStampedModel):
    """One study session (集中学习) of a center's staff."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    plan = models.TextField(_("plan"), blank=True)
    host = models.CharField(_("host"), max_length=50, blank=True)
    discussion_notes = models.TextField(_("discussion notes"), blank=True)
    # Archived: the register and notes are closed and kept (归档); no more changes.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-starts", "-id"]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        indexes = [models.Index(fields=["center", "held_on"], name="study_center_day_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="study_times")
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class StudyAttendance(models.Model):
    """One person's line in a session's register (签到)."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="register")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mark = models.CharField(_("attendance"), max_length=10, choices=AttendanceMark.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["session", "user"]
        verbose_name = _("study attendance")
        verbose_name_plural = _("study attendance")
        indexes = [models.Index(fields=["user", "mark"], name="study_attendance_user_idx")]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="study_attendance_once"),
            models.CheckConstraint(
                condition=Q(mark__in=["present", "excused", "absent"]),
                name="study_attendance_mark_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.user} {self.get_mark_display()}"


class TrainingKind(models.TextChoices):
    COURSE = "course", _("Training course")
    CONTEST = "contest", _("Skill contest")
    VISIT = "visit", _("Study visit")


class TrainingEvent(TimeStampedModel):
    """A training course, skill contest or study visit (业务培训、技能比武、考察学习)."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    organizer = models.CharField(_("organizer"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    description = models.TextField(_("content"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [models.Index(fields=["center", "starts_on"], name="training_center_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="training_dates"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["course", "contest", "visit"]), name="training_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingParticipation(models.Model):
    """One person at a training: attended or not, and the result (score, prize, certificate)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mark = models.CharField(_("attendance"), max_length=10, choices=AttendanceMark.choices)
    result = models.CharField(_("result"), max_length=200, blank=True)

    class Meta:
        ordering = ["event", "user"]
        verbose_name = _("training participation")
        verbose_name_plural = _("training participation")
        indexes = [models.Index(fields=["user"], name="training_user_idx")]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="training_participation_once"),
            models.CheckConstraint(
                condition=Q(mark__in=["present", "excused", "absent"]),
                name="training_mark_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.user}"
