"""Petitions (信访; seeds/000… 篇5 信访, 信访工作条例 2022; SPEC §9; issue 15 item 3).

The register keeps the seeds' fields. Limits of the regulation are calendar days (15 to decide on
acceptance, 60 to close, one extension of up to 30, 复查/复核 requested within 30 and answered
within 30); the seeds' own answer within 3 days and leader reception within a week sit beside
them. Collective (5 or more people) and major petitions alert the leaders at once. Accusers'
identities are secret (`access/petitions.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PetitionChannel(models.TextChoices):
    VISIT = "visit", _("Visit")
    LETTER = "letter", pgettext_lazy("channel", "Letter")
    PHONE = "phone", pgettext_lazy("channel", "Phone")
    WEB = "web", _("Online")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc", _("CPC member")
    LEAGUE_MEMBER = "league", _("Communist Youth League member")
    OTHER_PARTY = "other_party", _("Member of another party")
    MASSES = "masses", _("No party affiliation")


class PetitionStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered, acceptance to decide")
    ANSWERED_ON_SPOT = "answered", _("Answered on the spot")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted (notice given)")
    CLOSED = "closed", _("Closed with an opinion")
    UNDER_REVIEW = "review", _("复查 or 复核 requested")


class Petition(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=PetitionChannel.choices)
    received_at = models.DateTimeField(_("time"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # --- the seeds' register fields (篇5 信访 1) --------------------------------------------
    name = models.CharField(_("name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=12, choices=PoliticalStatus.choices, blank=True
    )
    address_or_employer = models.CharField(_("address or employer"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    matter = models.TextField(_("matter"), max_length=5000)
    # --- weight -----------------------------------------------------------------------------
    people_count = models.PositiveSmallIntegerField(_("people"), default=1)
    representatives = models.PositiveSmallIntegerField(_("representatives"), default=1)
    is_major = models.BooleanField(_("major matter"), default=False)
    # An accusation (检举控告): the petitioner's identity is kept secret even from handlers
    # outside management.
    is_accusation = models.BooleanField(_("accusation"), default=False)
    # --- handling ---------------------------------------------------------------------------
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PetitionStatus.choices,
        default=PetitionStatus.REGISTERED,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_due_on = models.DateField(_("answer due (seeds: 3 days)"))
    acceptance_due_on = models.DateField(_("acceptance decision due (15 days)"))
    # (migration 0003_petitions_answer_reception) The day the visitor was answered (on the spot,
    # by a 告知书 or by the acceptance decision), and the day a leader reception is due when the
    # petition needs one (None: it does not).
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    reception_due_on = models.DateField(_("leader reception due"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    acceptance_notice = models.TextField(_("written notice on acceptance"), blank=True)
    close_due_on = models.DateField(_("closing due (60 days)"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.CharField(_("extension reason"), max_length=1000, blank=True)
    assigned_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # 告知书 to the visitor and the closing opinion.
    visitor_notice = models.TextField(_("notice to the visitor"), blank=True)
    opinion = models.TextField(_("opinion"), max_length=5000, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            models.Index(fields=["center", "received_at"], name="petition_period_idx"),
            models.Index(fields=["status", "close_due_on"], name="petition_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class PetitionReviewKind(models.TextChoices):
    REVIEW = "review", _("复查 (review)")
    RE_EXAMINATION = "recheck", _("复核 (re-examination)")


class PetitionReview(models.Model):
    """A 复查 or 复核 request: requested within 30 days of the opinion, answered within 30."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PetitionReviewKind.choices)
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("answer due"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)

    class Meta:
        ordering = ["petition", "requested_on"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind"], name="petition_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.petition} · {self.get_kind_display()}"


class LeaderReception(models.Model):
    """A leader's reception day (领导接访日), and the petitions received on it."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("day"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    petitions = models.ManyToManyField(Petition, blank=True, related_name="receptions")

    class Meta:
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "leader", "day"], name="reception_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.leader}"
