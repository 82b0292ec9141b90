"""The catalog workbench's form-and-sample page of a material (issue 18 item 5): a county
manager uploads by content (a text file named .pdf is refused, 422, nothing changes), the item
page links the files, and a town director gets 404 for a county item's material."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.catalog.events import CatalogEvent
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import MaterialFactory, ServiceItemFactory, make_staff
from govhall.testing.material_files import PNG_BYTES, TEXT_BYTES, upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_manager_uploads_and_removes_by_content(client_as, director, county):
    material = MaterialFactory(item=ServiceItemFactory(center=county), name="申请书")
    client = client_as(director)
    url = reverse("workbench:material_files", args=[material.pk])
    assert client.get(url).status_code == 200

    refused = client.post(
        url, {"slot": "blank_form", "blank_form-file": upload_of(TEXT_BYTES, "表.pdf")}
    )
    assert refused.status_code == 422
    assert "PDF、Word、Excel、JPEG 或 PNG" in refused.content.decode()
    material.refresh_from_db()
    assert not material.blank_form

    accepted = client.post(
        url, {"slot": "blank_form", "blank_form-file": upload_of(PNG_BYTES, "表.pdf")}
    )
    assert accepted.status_code == 302
    material.refresh_from_db()
    assert material.blank_form.name.endswith(".png")
    item_page = client.get(reverse("workbench:item", args=[material.item_id])).content.decode()
    assert 'data-has-file="blank_form"' in item_page
    staff_copy = client.get(reverse("workbench:material_file", args=[material.pk, "blank_form"]))
    assert b"".join(staff_copy.streaming_content) == PNG_BYTES

    assert client.post(url, {"slot": "blank_form", "remove": "1"}).status_code == 302
    material.refresh_from_db()
    assert not material.blank_form
    assert list(
        Event.objects.filter(action__startswith="material_file.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [CatalogEvent.MATERIAL_FILE_ATTACH, CatalogEvent.MATERIAL_FILE_REMOVE]


def test_town_director_gets_404_for_a_county_items_material(client_as, county, town):
    material = MaterialFactory(item=ServiceItemFactory(center=county))
    client = client_as(make_staff(Role.DIRECTOR, town, username="town-director"))
    url = reverse("workbench:material_files", args=[material.pk])
    assert client.get(url).status_code == 404
    posted = client.post(url, {"slot": "sample", "sample-file": upload_of(PNG_BYTES)})
    assert posted.status_code == 404
    material.refresh_from_db()
    assert not material.sample


def test_guide_cannot_change_files(client_as, guide, county):
    material = MaterialFactory(item=ServiceItemFactory(center=county))
    url = reverse("workbench:material_files", args=[material.pk])
    assert client_as(guide).get(url).status_code == 404
