"""Daily patrols of the windows (每日巡查, seeds/002… 六3): at least one round in the morning and
one in the afternoon per center, each window checked against the six points of the checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.org.models import Center, Window
from govhall.supervision.models.alerts import Alert


class PatrolSession(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


class PatrolCheck(models.TextChoices):
    """The checklist of seeds/002… 六3 (1)–(6), in its order."""

    CONDUCT = "conduct", _("Conduct and language as the service code requires")
    POST = "post", _("Nobody left the post or swapped posts")
    DRESS = "dress", _("Dress and badge as required")
    TIDINESS = "tidiness", _("Desk and surroundings tidy")
    PHONE = "phone", _("Phone answered promptly")
    COMPLAINT = "complaint", _("No complaint from applicants on the spot")


class PatrolRound(models.Model):
    """One patrol round over a center's windows."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    session = models.CharField(_("session"), max_length=12, choices=PatrolSession.choices)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-day", "-started_at", "-id"]
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        indexes = [models.Index(fields=["center", "day", "session"], name="patrol_round_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(session__in=["morning", "afternoon"]), name="patrol_session_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.day} {self.get_session_display()}"


class PatrolVisit(models.Model):
    """One window checked on a round: every point of the checklist passed unless a finding says
    otherwise. Who served the window at that moment is kept, so a finding lands on them."""

    round = models.ForeignKey(
        PatrolRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="visits"
    )
    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="+"
    )
    visited_at = models.DateTimeField(_("checked at"))
    # The people serving the window's posts when it was checked (user ids, A/B cover honoured).
    serving = models.JSONField(_("serving then"), default=list, blank=True)

    class Meta:
        ordering = ["round_id", "window__number"]
        verbose_name = _("window checked")
        verbose_name_plural = _("windows checked")
        constraints = [
            models.UniqueConstraint(fields=["round", "window"], name="patrol_visit_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.window}"


class PatrolFinding(models.Model):
    """A point of the checklist that failed at a window, with a note and an optional photo."""

    visit = models.ForeignKey(
        PatrolVisit,
        verbose_name=_("window checked"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    point = models.CharField(_("checklist point"), max_length=16, choices=PatrolCheck.choices)
    # A line of the center's published code of conduct marked as a patrol point (issue 21 item
    # 3); the finding then counts under the point of its section (dress → dress, else conduct).
    conduct_rule = models.ForeignKey(
        "staffing.ConductRule",
        verbose_name=_("code of conduct line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("what was seen"), max_length=300)
    # Stored under MEDIA_ROOT (outside the web root); served only through an access check.
    photo = models.FileField(_("photo"), upload_to="patrol/%Y/%m/", blank=True)
    # Raise an alert (and its deduction) on the people serving the window then.
    raises_alert = models.BooleanField(_("raise an alert"), default=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["visit_id", "id"]
        verbose_name = _("patrol finding")
        verbose_name_plural = _("patrol findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    point__in=["conduct", "post", "dress", "tidiness", "phone", "complaint"]
                ),
                name="patrol_check_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit}: {self.what_failed}"

    @property
    def what_failed(self) -> str:
        """The point, or the code line when the finding names one (select_related it)."""
        if self.conduct_rule_id is not None and self.conduct_rule is not None:
            return f"{self.get_point_display()}：{self.conduct_rule.text}"
        return str(self.get_point_display())


class NoticeKind(models.TextChoices):
    CRITICISM = "criticism", _("Notice of criticism (通报批评)")
    WARNING = "warning", _("Efficiency warning (效能告诫)")


class CriticismNotice(models.Model):
    """A printable notice of criticism or efficiency warning issued by management on a person
    (and their window and department), resting on alerts."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=48, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    alerts = models.ManyToManyField(Alert, verbose_name=_("alerts"), related_name="notices")
    facts = models.TextField(_("facts"))
    decision = models.TextField(_("decision"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("criticism notice")
        verbose_name_plural = _("criticism notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["criticism", "warning"]), name="criticism_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.number
