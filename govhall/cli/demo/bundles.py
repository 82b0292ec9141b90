"""Demo 一件事一次办 bundles (issue 19 item 5): the county offers "开办餐馆" (个体工商户设立登记
+ 食品经营许可; the demo catalog has no signboard item) and "企业开办" (有限责任公司设立登记 +
发票领用),
made through the catalog's bundle service; the demo citizen (13900000001) has applied online for
"开办餐馆": one application, two linked cases waiting for pre-review, shown as one card on My
page. Idempotent: an existing bundle or application is kept; skipped without the items or the
demo account."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govhall.cases.services.bundles import case_bundle_submit_online
from govhall.cases.services.intake import MaterialCheck
from govhall.catalog.models import Bundle, ServiceItem
from govhall.catalog.queries.bundles import merged_materials
from govhall.catalog.services.bundles import bundle_save
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.online_accounts import CITIZEN_PHONE
from govhall.online.models import (
    AccountKind,
    ApplicantAccount,
    ApplicationStatus,
    OnlineApplication,
)
from govhall.online.services.applications import applicant_of
from govhall.org.models import Center

log = logging.getLogger("govhall.demo")

RESTAURANT = "YJS-KBCG-" + COUNTY_CODE
BUNDLES = [
    (
        RESTAURANT,
        "开办餐馆",
        "开一家小餐馆：个体工商户登记和食品经营许可一次申请、一表填报、一套材料，"
        "各部门同步审查，统一承诺时限。",
        ["个体工商户设立登记", "食品经营许可"],
    ),
    (
        "YJS-QYKB-" + COUNTY_CODE,
        "企业开办",
        "新办企业：公司设立登记和发票领用一次申请、一套材料。",
        ["有限责任公司设立登记", "发票领用"],
    ),
]
ANSWERS = {
    "shop_name": "老街小面馆",
    "address": "示例县城关镇人民路 18 号",
    "scope": "餐饮服务",
    "capital": "10",
    "business": "热食类食品制售",
    "area": "60",
    "contact_phone": CITIZEN_PHONE,
}


def _bundles(county: Center) -> None:
    for code, name, description, item_names in BUNDLES:
        if Bundle.objects.filter(code=code).exists():
            continue
        items = [
            ServiceItem.objects.filter(center=county, name=n, is_active=True).first()
            for n in item_names
        ]
        if any(item is None for item in items):
            continue
        longest = max(item.legal_days for item in items if item)
        promised = max(1, min(longest, max(item.promised_days for item in items if item)))
        bundle_save(
            actor=None,
            center=county,
            data={
                "code": code,
                "name": name,
                "description": description,
                "promised_days": promised,
            },
            item_ids=[item.pk for item in items if item],
        )


def _application(bundle: Bundle) -> None:
    account = ApplicantAccount.objects.filter(phone=CITIZEN_PHONE, kind=AccountKind.PERSON).first()
    if account is None or OnlineApplication.objects.filter(account=account, bundle=bundle).exists():
        return
    checks = [
        MaterialCheck(material_id=group.representative.pk, received=True)
        for group in merged_materials(bundle)
        if group.required
    ]
    application, _created = case_bundle_submit_online(
        actor=None,
        bundle=bundle,
        applicant=applicant_of(account, None),
        materials=checks,
        idempotency_key=f"demo-bundle-{bundle.pk}-{account.pk}",
    )
    OnlineApplication.objects.create(
        account=account,
        bundle=bundle,
        status=ApplicationStatus.SUBMITTED,
        form_data=ANSWERS,
        delivery_method="pickup",
        case_bundle=application,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def load_demo_bundles() -> None:
    county = Center.objects.filter(code=COUNTY_CODE).first()
    if county is None:
        return
    _bundles(county)
    restaurant = Bundle.objects.filter(code=RESTAURANT).first()
    if restaurant is None:
        return
    try:
        with transaction.atomic():
            _application(restaurant)
    except ValidationError as refused:  # the demo catalog changed: leave the application out
        log.warning("demo bundle application skipped: %s", "；".join(refused.messages))
