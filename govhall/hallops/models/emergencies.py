"""Emergencies in the hall (处理大厅内发生的突发事件, seeds/002… 六6): each center's emergency
plan, one section per kind of emergency with its duty people and phone, and the log of incidents
and drills."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel
from govhall.org.models import Center


class EmergencyKind(models.TextChoices):
    OUTAGE = "outage", _("Power or network outage")
    CROWDING = "crowding", _("Crowding")
    WINDOW_CONFLICT = "conflict", _("Conflict at a window")
    ILLNESS = "illness", _("Sudden illness")
    OTHER = "other", _("Other emergency")


# The kinds a plan has a section for (every kind but "other").
PLAN_KINDS: tuple[str, ...] = (
    EmergencyKind.OUTAGE,
    EmergencyKind.CROWDING,
    EmergencyKind.WINDOW_CONFLICT,
    EmergencyKind.ILLNESS,
)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class EmergencyPlan(TimeStampedModel):
    """A revision of a center's emergency plan. At most one is in force and at most one draft is
    being written per center; publishing a draft supersedes the plan in force."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(_("revision"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["center_id", "-revision"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "revision"], name="emergency_plan_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["center"],
                condition=Q(status="published"),
                name="emergency_plan_one_in_force",
            ),
            models.UniqueConstraint(
                fields=["center"], condition=Q(status="draft"), name="emergency_plan_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "superseded"]),
                name="emergency_plan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} #{self.revision}"


class EmergencyPlanSection(models.Model):
    """What the plan says for one kind of emergency: the measures, the duty people, a phone."""

    plan = models.ForeignKey(
        EmergencyPlan,
        verbose_name=_("emergency plan"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EmergencyKind.choices)
    measures = models.TextField(_("measures"), blank=True)
    phone = models.CharField(_("duty phone"), max_length=32, blank=True)
    duty_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("duty people"),
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("emergency plan section")
        verbose_name_plural = _("emergency plan sections")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="emergency_section_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["outage", "crowding", "conflict", "illness"]),
                name="emergency_section_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_kind_display()}"


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECORDED = "recorded", _("Recorded in the log")
    CANCELLED = "cancelled", _("Cancelled")


class EmergencyEvent(TimeStampedModel):
    """An incident or a drill in a center. A drill may be planned first, then recorded."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EmergencyKind.choices)
    is_drill = models.BooleanField(_("drill"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.RECORDED
    )
    planned_for = models.DateTimeField(_("planned for"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    what_happened = models.TextField(_("what happened"))
    actions_taken = models.TextField(_("actions taken"), blank=True)
    people_involved = models.CharField(_("people involved"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-occurred_at", "-planned_for", "-id"]
        verbose_name = _("emergency or drill")
        verbose_name_plural = _("emergencies and drills")
        indexes = [
            models.Index(fields=["center", "status", "occurred_at"], name="emergency_event_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["outage", "crowding", "conflict", "illness", "other"]),
                name="emergency_event_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "recorded", "cancelled"]),
                name="emergency_event_status_valid",
            ),
            # Only a drill is planned ahead; a recorded event has its moment.
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(is_drill=True),
                name="emergency_event_only_drills_planned",
            ),
            models.CheckConstraint(
                condition=~Q(status="recorded") | Q(occurred_at__isnull=False),
                name="emergency_event_recorded_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.get_kind_display()}"
