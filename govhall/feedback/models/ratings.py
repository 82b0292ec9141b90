"""好差评: satisfaction ratings (国办发〔2019〕51号, GB/T 39735-2020; SPEC §9; issue 15 item 1).

One rating per service occasion: a finished queue ticket or a delivered case at the window
(一次一评), or a case online (一事一评). The occasion is written as `occasion` ("ticket:<id>" or
"case:<id>") and the database keeps one first rating per occasion; a citizen who rates again
after a bad rating was rectified writes a new row that `supersedes` the earlier one (one
re-rating per rating). A bad rating (差评: the bottom two levels) has a follow-up life
(`rating_transitions.py`): told → called back and verified → rectified → result told; or it is
appealed as malicious or mistaken and, if management agrees, excluded from the figures with the
reason kept.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# 差评: the bottom two levels.
BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class RatingChannel(models.TextChoices):
    WINDOW_SCREEN = "window_screen", _("Rating screen at the window")
    QR_CODE = "qr_code", _("QR code on a ticket or notice")
    SMS = "sms", _("SMS invitation")
    PROGRESS_PAGE = "progress_page", _("Progress page")
    PHONE_CALL_BACK = "phone", _("Phone call-back (entered by staff)")
    ONLINE = "online", _("Online hall")


class BadRatingReason(models.TextChoices):
    """Why a citizen gave a bad rating: the list the rating pages offer (plus free text)."""

    ATTITUDE = "attitude", _("Poor service attitude")
    SLOW = "slow", _("Too slow, waited too long")
    MORE_VISITS = "more_visits", _("Had to come again or bring papers again")
    UNCLEAR = "unclear", _("Requirements not explained clearly")
    WRONG = "wrong", _("Handled wrongly or not by the rules")
    ASKED_EXTRA = "asked_extra", _("Asked for papers or fees not required")
    FACILITIES = "facilities", _("Facilities or environment")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    """The follow-up life of a bad rating (`rating_transitions.py`); good ratings stay NONE."""

    NONE = "none", _("No follow-up needed")
    OPEN = "open", _("Told to the department, awaiting call-back")
    VERIFIED = "verified", _("Called back and verified")
    RECTIFIED = "rectified", _("Rectified")
    CLOSED = "closed", _("Result told to the citizen")
    APPEALED = "appealed", _("Appealed as malicious or mistaken")
    EXCLUDED = "excluded", _("Excluded from the figures")


class RatingQuerySet(models.QuerySet["Rating"]):
    def counting(self) -> RatingQuerySet:
        """Ratings that count in the figures: not excluded on appeal, and not replaced by a
        later rating of the same citizen (a re-rating counts instead)."""
        return self.filter(excluded=False, superseded_by__isnull=True)

    def bad(self) -> RatingQuerySet:
        return self.filter(level__in=BAD_LEVELS)


class Rating(models.Model):
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    # "ticket:<id>" or "case:<id>": the service occasion rated.
    occasion = models.CharField(_("occasion"), max_length=40)
    ticket = models.ForeignKey(
        "frontdesk.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("service item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who served (A/B cover honoured: the person who actually finished the ticket or case).
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=RatingChannel.choices)
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    reason = models.CharField(
        _("reason"), max_length=16, choices=BadRatingReason.choices, blank=True
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # Real-name ratings (实名差评) can be called back: a name and phone given, or known from the
    # case. Masked in lists; a full view is logged.
    rater_name = models.CharField(_("name"), max_length=60, blank=True)
    rater_phone = models.CharField(_("phone"), max_length=20, blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    # Given after the occasion's own moment by more than the screen's few minutes (补充评价).
    is_supplementary = models.BooleanField(_("supplementary rating"), default=False)
    # A re-rating after rectification points at the rating it replaces.
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # --- the follow-up of a bad rating -----------------------------------------------------
    follow_up = models.CharField(
        _("follow-up"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE
    )
    call_back_due_at = models.DateTimeField(_("call back by"), null=True, blank=True)
    rectify_due_at = models.DateTimeField(_("rectify by"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    call_back_note = models.CharField(_("call-back note"), max_length=1000, blank=True)
    # The verification's finding: the rating was justified (the cause lies with us).
    justified = models.BooleanField(_("justified"), null=True, blank=True)
    rectification = models.CharField(_("rectification"), max_length=2000, blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    citizen_told_at = models.DateTimeField(_("citizen told at"), null=True, blank=True)
    appeal_reason = models.CharField(_("appeal reason"), max_length=1000, blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Management's decision on an appeal; an excluded rating keeps its row and the reason.
    excluded = models.BooleanField(_("excluded from the figures"), default=False)
    appeal_decision_note = models.CharField(
        _("decision on the appeal"), max_length=1000, blank=True
    )
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[RatingQuerySet] = RatingQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [
            # Monthly figures and rankings: a center's ratings of a period.
            models.Index(fields=["center", "rated_at"], name="rating_period_idx"),
            models.Index(fields=["window", "rated_at"], name="rating_window_idx"),
            models.Index(fields=["staff", "rated_at"], name="rating_staff_idx"),
            models.Index(fields=["department", "rated_at"], name="rating_department_idx"),
            # The bad-rating inbox and the overdue scan.
            models.Index(
                fields=["follow_up", "call_back_due_at"],
                condition=Q(follow_up__in=["open", "verified"]),
                name="rating_follow_up_idx",
            ),
        ]
        constraints = [
            # 一次一评 / 一事一评: one first rating per occasion; re-ratings supersede it.
            models.UniqueConstraint(
                fields=["occasion"],
                condition=Q(supersedes__isnull=True),
                name="rating_one_per_occasion",
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level"),
            models.CheckConstraint(
                condition=Q(ticket__isnull=False) | Q(case__isnull=False),
                name="rating_has_occasion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occasion} · {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RatingInvitation(models.Model):
    """The one SMS invitation sent for a delivered case that nobody rated (SPEC §9)."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")

    def __str__(self) -> str:
        return f"{self.case} · {self.sent_at:%Y-%m-%d}"


class RatingScreen(models.Model):
    """A rating tablet (评价器) paired to one window. The tablet holds a signed cookie naming this
    row; a pairing code (shown in the workbench, valid minutes) binds a new tablet."""

    window = models.ForeignKey(
        "org.Window", verbose_name=_("window"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("label"), max_length=60, blank=True)
    # Random secret of the tablet's cookie (stored hashed) and the one-time pairing code.
    secret_hash = models.CharField(max_length=128, blank=True)
    pairing_code = models.CharField(max_length=12, blank=True)
    pairing_expires_at = models.DateTimeField(null=True, blank=True)
    paired_at = models.DateTimeField(_("paired at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        ordering = ["window", "id"]
        verbose_name = _("rating screen")
        verbose_name_plural = _("rating screens")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing_code"],
                condition=~Q(pairing_code=""),
                name="rating_screen_pairing_unique",
            )
        ]

    def __str__(self) -> str:
        return self.label or str(self.window)
