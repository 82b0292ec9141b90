"""The online application form of an item in the catalog workbench (issue 19 item 2): a county
manager adds, edits, moves and removes fields (bad keys and choice fields without options
refused with the message beside the field), the item page lists them, and a town director or a
guide gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import FormField
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import ServiceItemFactory, make_staff

pytestmark = pytest.mark.django_db


def _data(**changes):
    return {
        "label": "经营项目",
        "key": "business",
        "field_type": "choice",
        "required": "on",
        "choices": "预包装食品销售\n热食类食品制售",
        "help_text": "",
        **changes,
    }


def test_manager_edits_the_form(client_as, director, county):
    item = ServiceItemFactory(center=county)
    client = client_as(director)
    add = reverse("workbench:form_field_add", args=[item.pk])
    assert client.get(add).status_code == 200
    bad = client.post(add, _data(key="经营 项目", choices="只有一个"))
    assert bad.status_code == 200 and not FormField.objects.exists()
    body = bad.content.decode()
    assert "小写字母" in body and "至少需要两个选项" in body
    assert client.post(add, _data()).status_code == 302
    assert (
        client.post(add, _data(key="shop_name", label="店铺名称", field_type="text")).status_code
        == 302
    )
    first, second = FormField.objects.order_by("position")
    assert (first.key, second.key) == ("business", "shop_name") and second.choices == ""
    page = client.get(reverse("workbench:item", args=[item.pk])).content.decode()
    assert 'data-form-field="business"' in page and "热食类食品制售" in page
    client.post(reverse("workbench:form_field_move", args=[second.pk]), {"direction": "up"})
    assert list(FormField.objects.order_by("position").values_list("key", flat=True)) == [
        "shop_name",
        "business",
    ]
    edit = reverse("workbench:form_field_edit", args=[second.pk])
    assert (
        client.post(edit, _data(key="shop_name", label="门店名称", field_type="text")).status_code
        == 302
    )
    second.refresh_from_db()
    assert second.label == "门店名称"
    assert client.post(reverse("workbench:form_field_remove", args=[first.pk])).status_code == 302
    assert FormField.objects.count() == 1
    assert set(
        Event.objects.filter(action__startswith="form_field.").values_list("action", flat=True)
    ) == {
        CatalogEvent.FORM_FIELD_ADD,
        CatalogEvent.FORM_FIELD_MOVE,
        CatalogEvent.FORM_FIELD_UPDATE,
        CatalogEvent.FORM_FIELD_REMOVE,
    }


def test_others_get_404(client_as, guide, county, town):
    item = ServiceItemFactory(center=county)
    field = FormField.objects.create(item=item, key="shop_name", label="店铺名称")
    town_director = make_staff(Role.DIRECTOR, town, username="town-director")
    for user in (town_director, guide):
        client = client_as(user)
        assert client.get(reverse("workbench:form_field_add", args=[item.pk])).status_code == 404
        assert (
            client.post(reverse("workbench:form_field_add", args=[item.pk]), _data()).status_code
            == 404
        )
        assert (
            client.post(reverse("workbench:form_field_remove", args=[field.pk])).status_code == 404
        )
        assert client.get(reverse("workbench:form_field_edit", args=[field.pk])).status_code == 404
    assert FormField.objects.count() == 1
