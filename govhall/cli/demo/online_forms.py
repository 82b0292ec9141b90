"""Demo online application forms (issue 19 item 2): three county items a citizen can apply for
online from the guide — 食品经营许可 (the food business permit), 个体工商户设立登记 and
食品经营备案 — switched on for online application, each with a short typed form, made through
the catalog's form-field service (an event each). Idempotent: an item with a form keeps it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govhall.catalog.models import FieldType, FormField, ServiceItem
from govhall.catalog.services.form_fields import form_field_add
from govhall.cli.demo.departments import COUNTY_CODE

SHOP = {"key": "shop_name", "label": "经营者名称（店招名称）", "help_text": "与营业执照一致"}
ADDRESS = {"key": "address", "label": "经营场所地址", "field_type": FieldType.TEXTAREA}
CONTACT = {"key": "contact_phone", "label": "联系电话", "field_type": FieldType.PHONE}
FORMS: dict[str, list[dict[str, Any]]] = {
    "食品经营许可": [
        SHOP,
        ADDRESS,
        {
            "key": "business",
            "label": "经营项目",
            "field_type": FieldType.CHOICE,
            "choices": "预包装食品销售（含冷藏冷冻食品）\n散装食品销售\n热食类食品制售\n"
            "冷食类食品制售\n自制饮品制售",
        },
        {"key": "area", "label": "经营场所面积（平方米）", "field_type": FieldType.NUMBER},
        {
            "key": "manager_id",
            "label": "食品安全管理人员身份证号",
            "field_type": FieldType.ID_NUMBER,
        },
        CONTACT,
        {
            "key": "opening",
            "label": "计划开业日期",
            "field_type": FieldType.DATE,
            "required": False,
        },
    ],
    "个体工商户设立登记": [
        SHOP,
        ADDRESS,
        {
            "key": "scope",
            "label": "经营范围",
            "field_type": FieldType.TEXTAREA,
            "help_text": "按《经营范围规范表述目录》填写",
        },
        {"key": "capital", "label": "资金数额（万元）", "field_type": FieldType.NUMBER},
        CONTACT,
    ],
    "食品经营备案（仅销售预包装食品）": [SHOP, ADDRESS, CONTACT],
}


@transaction.atomic
def load_demo_online_forms() -> int:
    """Returns how many form fields were made."""
    made = 0
    for name, fields in FORMS.items():
        item = ServiceItem.objects.filter(center__code=COUNTY_CODE, name=name).first()
        if item is None or FormField.objects.filter(item=item).exists():
            continue
        if not item.online_available:
            ServiceItem.objects.filter(pk=item.pk).update(online_available=True)
        for field in fields:
            data = {"required": True, "field_type": FieldType.TEXT, **field}
            form_field_add(actor=None, item=item, data=data)
            made += 1
    return made
