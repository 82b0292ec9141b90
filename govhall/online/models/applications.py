"""Online applications (issue 19 item 2): a draft an applicant fills in and uploads to, then
submits; submission makes the case (or, for a bundle, the linked cases) that windows
pre-review. Files live under MEDIA_ROOT and are served only to those entitled."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import ApplicantMaterial, Case, CaseBundle, ElectronicLicence
from govhall.cases.statuses import DeliveryMethod
from govhall.catalog.models import Bundle, Material, ServiceItem
from govhall.core.models import TimeStampedModel
from govhall.online.models.accounts import ApplicantAccount


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DISCARDED = "discarded", _("Discarded")


class OnlineApplication(TimeStampedModel):
    """What `account` (acting for `acting_for` when an agent applies for an enterprise) is
    applying for: one item, or one bundle."""

    account = models.ForeignKey(
        ApplicantAccount, on_delete=models.PROTECT, related_name="applications"
    )
    acting_for = models.ForeignKey(
        ApplicantAccount,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bundle = models.ForeignKey(
        Bundle, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default="draft"
    )
    # The answers to the item's (or bundle's) form fields, by field key.
    form_data = models.JSONField(_("form"), default=dict, blank=True)
    delivery_method = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="online_application"
    )
    case_bundle = models.OneToOneField(
        CaseBundle,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_application",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Bumped by every save; a page posts the version it showed, so a stale save is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")
        indexes = [
            models.Index(fields=["account", "status"], name="online_app_account_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(bundle__isnull=True))
                | (Q(item__isnull=True) & Q(bundle__isnull=False)),
                name="online_app_item_xor_bundle",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "discarded"]),
                name="online_app_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"online application {self.pk}"


class ApplicationFile(models.Model):
    """One material of a draft: an uploaded file (type judged by content), or a material taken
    from the applicant's library, or an electronic licence standing for it."""

    application = models.ForeignKey(
        OnlineApplication, on_delete=models.CASCADE, related_name="files"
    )
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("file"), upload_to="online/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    library_entry = models.ForeignKey(
        ApplicantMaterial, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    licence = models.ForeignKey(
        ElectronicLicence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["application", "material__position", "id"]
        verbose_name = _("uploaded material")
        verbose_name_plural = _("uploaded materials")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "material"], name="application_file_material_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or str(self.material_id)
