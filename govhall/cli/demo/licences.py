"""Demo electronic licences (电子证照, issue 19 item 4).

Three county items issue licences when an approval is delivered: 个体工商户设立登记 and 企业开办
(the business licence, no expiry) and 食品经营许可 (five years). The approved cases of those items
already delivered in the demo get their licence, issued on the day they were delivered; from now
on a delivery issues it by itself. 食品经营许可's material 营业执照 accepts the licence of
个体工商户设立登记: a sole trader holding one brings no copy. Idempotent.
"""

from __future__ import annotations

from django.db import transaction

from govhall.cases.models import Case, ElectronicLicence
from govhall.cases.services.licences import licence_issue
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import Material, ServiceItem
from govhall.cli.demo.departments import COUNTY

# item name → years of validity (None: no expiry)
LICENSING_ITEMS: dict[str, int | None] = {
    "个体工商户设立登记": None,
    "企业开办（设立登记、公章刻制、发票申领“一件事”）": None,
    "食品经营许可": 5,
}
# (item, material) whose material the licence of the other item stands for
LICENCE_MATERIALS = (("食品经营许可", "营业执照", "个体工商户设立登记"),)


@transaction.atomic
def load_demo_licences() -> int:
    """Set up the licensing items and issue the licences of the delivered approvals; returns
    how many licences were issued now."""
    items = {
        item.name: item
        for item in ServiceItem.objects.filter(
            center__code=COUNTY.code, name__in=list(LICENSING_ITEMS)
        )
    }
    for name, item in items.items():
        years = LICENSING_ITEMS[name]
        if not item.issues_licence or item.licence_valid_years != years:
            item.issues_licence = True
            item.licence_valid_years = years
            item.save(update_fields=["issues_licence", "licence_valid_years"])
    for item_name, material_name, licence_item_name in LICENCE_MATERIALS:
        licensing = items.get(licence_item_name)
        if licensing is not None:
            Material.objects.filter(
                item__center__code=COUNTY.code, item__name=item_name, name=material_name
            ).update(licence_item=licensing)
    delivered = (
        Case.objects.filter(
            item__in=list(items.values()),
            status=CaseStatus.DELIVERED,
            decided_at__isnull=False,
            reason="",  # a denial carries its reason
        )
        .exclude(pk__in=ElectronicLicence.objects.values("case_id"))
        .select_related("item", "applicant", "department")
        .order_by("delivered_at", "id")
    )
    issued = 0
    for case in delivered:
        if licence_issue(case=case, actor=None, at=case.delivered_at) is not None:
            issued += 1
    return issued
