"""The quantified evaluation of window staff (seeds/002… 六4 量化测评): self, leader, patrol,
citizen and social evaluation combined with weights set by management per center."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from govhall.assessment.models.sheets import ScoreSheet
from govhall.org.models import Center


class EvaluationSource(models.TextChoices):
    SELF = "self", _("Self-evaluation")
    LEADER = "leader", _("Leader's evaluation")
    PATROL = "patrol", _("Daily patrol evaluation")
    CITIZEN = "citizen", _("Evaluation by those served")
    SOCIAL = "social", _("Social evaluation")


# The weights of a center without its own (percent; they sum to 100).
DEFAULT_WEIGHTS: dict[str, int] = {
    EvaluationSource.SELF: 10,
    EvaluationSource.LEADER: 20,
    EvaluationSource.PATROL: 40,
    EvaluationSource.CITIZEN: 20,
    EvaluationSource.SOCIAL: 10,
}


class EvaluationWeights(models.Model):
    center = models.OneToOneField(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="+"
    )
    self_weight = models.PositiveSmallIntegerField(_("self-evaluation (%)"))
    leader_weight = models.PositiveSmallIntegerField(_("leader's evaluation (%)"))
    patrol_weight = models.PositiveSmallIntegerField(_("daily patrol evaluation (%)"))
    citizen_weight = models.PositiveSmallIntegerField(_("evaluation by those served (%)"))
    social_weight = models.PositiveSmallIntegerField(_("social evaluation (%)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation weights")
        verbose_name_plural = _("evaluation weights")
        constraints = [
            # The five weights sum to 100.
            models.CheckConstraint(
                condition=Q(
                    self_weight=Value(100)
                    - F("leader_weight")
                    - F("patrol_weight")
                    - F("citizen_weight")
                    - F("social_weight")
                ),
                name="evaluation_weights_sum_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.center)

    def as_dict(self) -> dict[str, int]:
        return {source: getattr(self, f"{source}_weight") for source in EvaluationSource.values}


class EvaluationMark(models.Model):
    """One source's mark (0–100) of a person's month. The patrol source defaults to the sheet's
    score (alerts and patrol findings) when no mark is given."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="marks"
    )
    source = models.CharField(_("source"), max_length=16, choices=EvaluationSource.choices)
    mark = models.DecimalField(_("mark"), max_digits=4, decimal_places=1)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    given_at = models.DateTimeField(_("given at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation mark")
        verbose_name_plural = _("evaluation marks")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "source"], name="evaluation_mark_once"),
            models.CheckConstraint(
                condition=Q(mark__gte=Decimal("0")) & Q(mark__lte=Decimal("100")),
                name="evaluation_mark_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.source} {self.mark}"
