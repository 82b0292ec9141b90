from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.models import TimeStampedModel


class AbsenceStatus(models.TextChoices):
    AWAY = "away", _("Away")
    RETURNED = "returned", _("Returned")


class Absence(TimeStampedModel):
    """A temporary absence from the post, shown as a where-and-until sign (去向牌).

    Over 20 minutes needs the window head's approval and a cover (seeds/002…); unapproved
    absence over 2 hours counts as half a day's absenteeism.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences"
    )
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="absences"
    )
    whereabouts = models.CharField(_("where"), max_length=100)
    starts_at = models.DateTimeField(_("since"))
    until = models.DateTimeField(_("back by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AbsenceStatus.choices, default=AbsenceStatus.AWAY
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cover = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counted_as_half_day_absenteeism = models.BooleanField(
        _("half a day's absenteeism"), default=False
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("temporary absence")
        verbose_name_plural = _("temporary absences")
        indexes = [
            models.Index(fields=["user", "status", "starts_at"], name="absence_user_idx"),
            models.Index(fields=["center", "status"], name="absence_center_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["away", "returned"]), name="absence_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(until__gt=models.F("starts_at")), name="absence_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.whereabouts}"


class DelegationReason(models.TextChoices):
    LEAVE = "leave", _("A staff on leave")
    ABSENCE = "absence", _("A staff temporarily absent")
    BOTH_AWAY = "both_away", _("A and B staff both away")
    # Issue 16 item 2: the cover the approver named when granting a leave that would otherwise
    # leave the post empty (seeds/000… 篇5 考勤 4: 及时确定顶岗人员，方可准假).
    NAMED = "named", _("Cover named when the leave was approved")


class Delegation(TimeStampedModel):
    """A cover period (AB岗责任制委托书): who serves a post for whom, from when to when."""

    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="delegations")
    absent_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cover_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=DelegationReason.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    leave = models.ForeignKey(
        "staffing.Leave", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    absence = models.ForeignKey(
        "staffing.Absence", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("delegation record")
        verbose_name_plural = _("delegation records")
        indexes = [models.Index(fields=["post", "starts_at"], name="delegation_post_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=["leave", "absence", "both_away", "named"]),
                name="delegation_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(absent_user=models.F("cover_user")), name="delegation_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post}: {self.absent_user} → {self.cover_user}"


class PostVacancy(TimeStampedModel):
    """An empty post (空岗) during service hours: nobody can serve it. The hall director is told
    at once; the row stays open until somebody can serve again."""

    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="vacancies")
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("since"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("empty post")
        verbose_name_plural = _("empty posts")
        indexes = [models.Index(fields=["center", "ended_at"], name="vacancy_open_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(ended_at__isnull=True),
                name="vacancy_one_open_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} @ {self.started_at:%Y-%m-%d %H:%M}"
