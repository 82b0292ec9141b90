"""Social supervisors (行风监督员; seeds/003… 珠海) and the quarterly satisfaction survey
(seeds/002… 六5; issue 15 item 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SupervisorAppointment(models.Model):
    """A social supervisor's appointment with its term; the person signs in with the social
    supervisor role and records visits and opinions while the term runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("social supervisor"),
        on_delete=models.PROTECT,
        related_name="supervisor_appointments",
    )
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    letter_number = models.CharField(_("letter of appointment"), max_length=60, blank=True)
    employer = models.CharField(_("employer or standing"), max_length=100, blank=True)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("social supervisor appointment")
        verbose_name_plural = _("social supervisor appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="supervisor_term_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.starts_on}–{self.ends_on}"


class SupervisorVisitKind(models.TextChoices):
    VISIT = "visit", _("Visit to the hall")
    MYSTERY_SHOPPING = "mystery", _("Mystery shopping (暗访)")
    OPINION = "opinion", _("Opinion or proposal")


class SupervisorVisit(models.Model):
    """What a social supervisor recorded: a visit, a mystery-shopping finding, an opinion."""

    appointment = models.ForeignKey(
        SupervisorAppointment, on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SupervisorVisitKind.choices)
    visited_on = models.DateField(_("date"))
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    findings = models.TextField(_("findings"), max_length=5000)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Management's answer to what the supervisor found.
    response = models.TextField(_("response"), max_length=5000, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["appointment", "visited_on"], name="supervisor_visit_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.visited_on}"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed for answers")


class Survey(models.Model):
    """A satisfaction questionnaire managers define (quarterly by default)."""

    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    public_token = models.CharField(max_length=24, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "-quarter", "id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="survey_quarter"
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Five-level satisfaction")
    CHOICE = "choice", _("One choice of a list")
    TEXT = "text", _("Free text")


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField()
    # Who answered when signed in (a social supervisor), else anonymous; the address is kept
    # hashed to limit repeated answers from one device.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["survey", "submitted_at"]
        indexes = [models.Index(fields=["survey", "device_key"], name="survey_device_idx")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_at:%Y-%m-%d %H:%M}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # scale level or choice index
    text = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text}"
