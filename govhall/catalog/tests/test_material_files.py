"""Blank forms and filled-in samples of materials (issue 18 item 5): accepted by content (never
by name), refused when too big or of another kind with nothing changed, stored under MEDIA_ROOT,
an event for each change, and only the managers of the item's center subtree change them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from govhall.catalog.events import CatalogEvent
from govhall.catalog.services.material_files import (
    download_name,
    material_file_attach,
    material_file_remove,
)
from govhall.core.files import file_kind_of
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import MaterialFactory, ServiceItemFactory, make_staff
from govhall.testing.material_files import (
    DOC_BYTES,
    DOCX_BYTES,
    EXE_BYTES,
    JPEG_BYTES,
    OTHER_OLE2_BYTES,
    PDF_BYTES,
    PLAIN_ZIP_BYTES,
    PNG_BYTES,
    TEXT_BYTES,
    XLS_BYTES,
    XLSX_BYTES,
    upload_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (PDF_BYTES, "pdf"),
        (DOC_BYTES, "doc"),
        (DOCX_BYTES, "docx"),
        (XLS_BYTES, "xls"),
        (XLSX_BYTES, "xlsx"),
        (JPEG_BYTES, "jpg"),
        (PNG_BYTES, "png"),
    ],
)
def test_each_accepted_kind_is_known_by_its_content(data, extension):
    kind = file_kind_of(data)
    assert kind is not None and kind.extension == extension


@pytest.mark.parametrize(
    "data", [EXE_BYTES, PLAIN_ZIP_BYTES, TEXT_BYTES, OTHER_OLE2_BYTES, b"PK\x03\x04broken"]
)
def test_other_content_is_not_accepted(data):
    assert file_kind_of(data) is None


def test_upload_is_judged_by_content_and_stored_under_media(director, county, tmp_path):
    material = MaterialFactory(item=ServiceItemFactory(center=county), name="设立登记申请书")
    # A PDF named ".png" is a PDF; it is stored with the extension of what it is.
    saved = material_file_attach(
        actor=director, material=material, slot="blank_form", upload=upload_of(PDF_BYTES, "x.png")
    )
    assert saved.blank_form.name.startswith("catalog/forms/")
    assert saved.blank_form.name.endswith(".pdf")
    stored = Path(tmp_path, saved.blank_form.name)
    assert stored.read_bytes() == PDF_BYTES
    assert download_name(saved, "blank_form") == "设立登记申请书（空白表格）.pdf"
    event = Event.objects.get(action=CatalogEvent.MATERIAL_FILE_ATTACH)
    assert event.data["slot"] == "blank_form" and event.data["type"] == "pdf"

    # Replacing deletes the old file once committed; removing deletes the new one.
    with_sample = material_file_attach(
        actor=director, material=material, slot="sample", upload=upload_of(DOCX_BYTES, "样本")
    )
    assert with_sample.sample.name.startswith("catalog/samples/")
    assert with_sample.sample.name.endswith(".docx")
    removed = material_file_remove(actor=director, material=material, slot="blank_form")
    assert not removed.blank_form
    assert Event.objects.filter(action=CatalogEvent.MATERIAL_FILE_REMOVE).count() == 1


@pytest.mark.parametrize("data", [TEXT_BYTES, EXE_BYTES, PLAIN_ZIP_BYTES, b""])
def test_refused_content_changes_nothing(director, county, tmp_path, data):
    material = MaterialFactory(item=ServiceItemFactory(center=county))
    with pytest.raises(ValidationError) as refused:
        material_file_attach(
            actor=director, material=material, slot="sample", upload=upload_of(data, "样本.pdf")
        )
    assert "sample" in refused.value.message_dict
    material.refresh_from_db()
    assert not material.sample
    assert not Event.objects.filter(action=CatalogEvent.MATERIAL_FILE_ATTACH).exists()
    assert not any(tmp_path.rglob("*.*"))


def test_too_big_is_refused(director, county, settings):
    settings.GOVHALL_MATERIAL_FILE_MAX_BYTES = 1024
    material = MaterialFactory(item=ServiceItemFactory(center=county))
    with pytest.raises(ValidationError, match=r"too big|太大"):
        material_file_attach(
            actor=director,
            material=material,
            slot="blank_form",
            upload=upload_of(PDF_BYTES + b"\x00" * 2000),
        )
    material.refresh_from_db()
    assert not material.blank_form


def test_only_managers_of_the_items_center_subtree(county, town):
    county_material = MaterialFactory(item=ServiceItemFactory(center=county))
    town_director = make_staff(Role.DIRECTOR, town, username="town-director")
    with pytest.raises(ValidationError):
        material_file_attach(
            actor=town_director,
            material=county_material,
            slot="blank_form",
            upload=upload_of(PDF_BYTES),
        )
    county_director = make_staff(Role.DIRECTOR, county, username="county-director")
    town_material = MaterialFactory(item=ServiceItemFactory(center=town))
    saved = material_file_attach(
        actor=county_director,
        material=town_material,
        slot="blank_form",
        upload=upload_of(PNG_BYTES),
    )
    assert saved.blank_form.name.endswith(".png")
