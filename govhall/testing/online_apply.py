"""An item offered online with a small form, for tests of online applications (issue 19 item 2)."""

from __future__ import annotations

from govhall.catalog.models import FieldType, FormField, Material, ServiceItem


def offer_online(item: ServiceItem, *, conditional: bool = True) -> ServiceItem:
    """Switch `item` on for online application with three fields (a required name of the
    business, an optional phone, a required choice) and make its last material conditional."""
    item.online_available = True
    item.save(update_fields=["online_available"])
    FormField.objects.create(item=item, position=0, key="shop_name", label="店铺名称")
    FormField.objects.create(
        item=item,
        position=1,
        key="contact_phone",
        label="联系电话",
        field_type=FieldType.PHONE,
        required=False,
    )
    FormField.objects.create(
        item=item,
        position=2,
        key="business",
        label="经营项目",
        field_type=FieldType.CHOICE,
        choices="预包装食品销售\n热食类食品制售",
    )
    if conditional:
        last = Material.objects.filter(item=item).order_by("-position", "-id").first()
        if last is not None:
            last.condition = "委托代理人办理时"
            last.save(update_fields=["condition"])
    return item


GOOD_ANSWERS = {
    "shop_name": "老张面馆",
    "contact_phone": "13800138000",
    "business": "热食类食品制售",
}
