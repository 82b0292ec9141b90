"""Service items: one item of a center's implementation list (实施清单, SPEC §5)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.step_limits import LIMIT_FIELDS, STEP_LIMIT_MAX_DAYS, STEP_LIMIT_MIN_DAYS
from govhall.core.models import TimeStampedModel
from govhall.org.models import Center, Department, Window
from govhall.org.models.centers import CenterLevel

if TYPE_CHECKING:
    from govhall.catalog.models.item_window import ItemWindow

# Default share of the legal limit a promised limit should stay within (seeds/002…: 承诺时限
# 原则上不超过法定时限的40%). Above it the catalog warns; it does not refuse.
PROMISED_SHARE_WARNING = Decimal("0.40")


class ItemType(models.TextChoices):
    LICENSING = "licensing", _("Administrative licensing")  # 行政许可
    BENEFIT = "benefit", _("Administrative benefit")  # 行政给付
    CONFIRMATION = "confirmation", _("Administrative confirmation")  # 行政确认
    ADJUDICATION = "adjudication", _("Administrative adjudication")  # 行政裁决
    REWARD = "reward", _("Administrative reward")  # 行政奖励
    OTHER_POWER = "other_power", _("Other administrative power")  # 其他行政权力
    PUBLIC_SERVICE = "public_service", _("Public service")  # 公共服务


class ServiceItemQuerySet(models.QuerySet["ServiceItem"]):
    def active(self) -> ServiceItemQuerySet:
        return self.filter(is_active=True)

    def for_center(self, center: Center) -> ServiceItemQuerySet:
        return self.filter(center=center)

    def in_centers(self, centers: models.QuerySet[Center]) -> ServiceItemQuerySet:
        return self.filter(center__in=centers)


class ServiceItem(TimeStampedModel):
    """One item of a center's implementation list (实施清单)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("implementation code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    item_type = models.CharField(_("type"), max_length=32, choices=ItemType.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="items"
    )
    basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    legal_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    on_the_spot = models.BooleanField(_("can be done on the spot"), default=False)
    fee_free = models.BooleanField(_("free of charge"), default=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    online_available = models.BooleanField(_("online application"), default=False)
    visits_required = models.PositiveSmallIntegerField(
        _("visits required"), default=1, choices=[(0, "0"), (1, "1"), (2, "2")]
    )
    joint_departments = models.ManyToManyField(
        Department, verbose_name=_("joint departments"), blank=True, related_name="joint_items"
    )
    deciding_level = models.CharField(
        _("level that decides"),
        max_length=16,
        choices=CenterLevel.choices,
        blank=True,
        help_text=_("For escalated items: the center level that makes the decision."),
    )
    overdue_defaults_to_approval = models.BooleanField(
        _("overdue review step defaults to approval"), default=False
    )
    # Each step's own limit in working days (govhall.catalog.step_limits); empty: the default.
    limit_prereview_days = models.PositiveSmallIntegerField(
        _("pre-review limit (working days)"), null=True, blank=True
    )
    limit_acceptance_days = models.PositiveSmallIntegerField(
        _("acceptance limit (working days)"), null=True, blank=True
    )
    limit_review_days = models.PositiveSmallIntegerField(
        _("review limit (working days)"), null=True, blank=True
    )
    limit_approval_days = models.PositiveSmallIntegerField(
        _("approval limit (working days)"), null=True, blank=True
    )
    limit_joint_days = models.PositiveSmallIntegerField(
        _("joint review limit (working days)"), null=True, blank=True
    )
    limit_certificate_days = models.PositiveSmallIntegerField(
        _("certificate limit (working days)"), null=True, blank=True
    )
    limit_delivery_days = models.PositiveSmallIntegerField(
        _("delivery limit (working days)"), null=True, blank=True
    )
    # Issue 19 item 4: delivering an approved case of this item issues an electronic licence
    # (电子证照) valid for `licence_valid_years` (empty: no expiry).
    issues_licence = models.BooleanField(_("issues an electronic licence"), default=False)
    licence_valid_years = models.PositiveSmallIntegerField(
        _("licence valid for (years)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("published"), default=True)
    # Issue 21 item 5 (seeds/000… 篇2 二(二)): one item list across levels. A town's or village's
    # item adopts a county's standard item (`standard`, null for an item of its own); `revision`
    # counts the governed changes of an item (govhall.catalog.standard_rules); `standard_revision`
    # is the standard's revision a local item last reviewed (below the standard's: outdated).
    standard = models.ForeignKey(
        "self",
        verbose_name=_("standard item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    standard_revision = models.PositiveIntegerField(
        _("reviewed revision of the standard"), null=True, blank=True
    )
    windows: models.ManyToManyField[Window, ItemWindow] = models.ManyToManyField(
        Window, through="ItemWindow", verbose_name=_("windows"), related_name="items", blank=True
    )

    objects: ClassVar[ServiceItemQuerySet] = ServiceItemQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["center", "department", "code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        indexes = [
            models.Index(fields=["center", "is_active", "department"], name="item_center_dept_idx"),
            models.Index(fields=["center", "item_type"], name="item_center_type_idx"),
            models.Index(fields=["name"], name="item_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(item_type__in=[c.value for c in ItemType]), name="item_type_valid"
            ),
            models.CheckConstraint(condition=Q(legal_days__gte=0), name="item_legal_days_nonneg"),
            models.CheckConstraint(
                condition=Q(promised_days__lte=models.F("legal_days")),
                name="item_promised_within_legal",
            ),
            models.CheckConstraint(condition=Q(visits_required__lte=2), name="item_visits_0_to_2"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(
                        **{f"{name}__gte": STEP_LIMIT_MIN_DAYS, f"{name}__lte": STEP_LIMIT_MAX_DAYS}
                    ),
                    name=f"item_{name}_range",
                )
                for name in LIMIT_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def promised_share_exceeded(self) -> bool:
        """True when the promised limit is above the recommended share of the legal limit."""
        if not self.legal_days:
            return False
        return Decimal(self.promised_days) > PROMISED_SHARE_WARNING * self.legal_days
