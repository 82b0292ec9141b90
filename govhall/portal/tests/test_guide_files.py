"""The guide's downloads and flow chart (issue 18 item 5): a published item's blank form comes
back byte for byte under the material's Chinese name; an unpublished item's, another item's or
an unknown slot's are 404; the flow chart shows the procedure's steps in order (or the case
route with its step limits when the item has no procedure text)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from govhall.catalog.services.material_files import material_file_attach
from govhall.testing.factories import MaterialFactory, ServiceItemFactory
from govhall.testing.material_files import DOCX_BYTES, PDF_BYTES, upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _with_form(director, item, name="个体工商户登记申请书"):  # type: ignore[no-untyped-def]
    material = MaterialFactory(item=item, name=name)
    material_file_attach(
        actor=director, material=material, slot="blank_form", upload=upload_of(PDF_BYTES, "a")
    )
    material_file_attach(
        actor=director, material=material, slot="sample", upload=upload_of(DOCX_BYTES, "b")
    )
    return material


def _download(client, item, material, slot):  # type: ignore[no-untyped-def]
    return client.get(reverse("portal:guide_material_file", args=[item.code, material.pk, slot]))


def test_guide_links_and_serves_a_published_items_form(client, director, county):
    item = ServiceItemFactory(center=county, code="FORM-1")
    material = _with_form(director, item)
    page = client.get(reverse("portal:guide", args=[item.code])).content.decode()
    link = reverse("portal:guide_material_file", args=[item.code, material.pk, "blank_form"])
    assert f'href="{link}"' in page
    assert 'data-file="sample"' in page

    response = _download(client, item, material, "blank_form")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = re.search(r"filename\*=utf-8''(\S+)", disposition)
    assert encoded and unquote(encoded.group(1)) == "个体工商户登记申请书（空白表格）.pdf"

    sample = _download(client, item, material, "sample")
    assert b"".join(sample.streaming_content) == DOCX_BYTES
    assert "docx" in sample["Content-Disposition"]


def test_unpublished_other_items_and_unknown_slots_are_404(client, director, county):
    item = ServiceItemFactory(center=county, code="FORM-2")
    material = _with_form(director, item)
    other = ServiceItemFactory(center=county, code="FORM-3")
    assert _download(client, other, material, "blank_form").status_code == 404
    assert _download(client, item, material, "photo").status_code == 404
    traversal = f"/guides/{item.code}/materials/{material.pk}/..%2F..%2Fsettings.py/"
    assert client.get(traversal).status_code == 404
    bare = MaterialFactory(item=item)
    assert _download(client, item, bare, "blank_form").status_code == 404

    item.is_active = False
    item.save(update_fields=["is_active"])
    assert _download(client, item, material, "blank_form").status_code == 404
    county.is_active = False
    county.save(update_fields=["is_active"])
    item.is_active = True
    item.save(update_fields=["is_active"])
    assert _download(client, item, material, "blank_form").status_code == 404


def test_downloads_are_rate_limited(client, director, county, settings):
    settings.GOVHALL_GUIDE_FILES_PER_HOUR = 2
    item = ServiceItemFactory(center=county, code="FORM-4")
    material = _with_form(director, item)
    assert _download(client, item, material, "blank_form").status_code == 200
    assert _download(client, item, material, "sample").status_code == 200
    refused = _download(client, item, material, "sample")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_flow_chart_shows_the_procedure_steps_in_order(client, county):
    item = ServiceItemFactory(
        center=county,
        code="FLOW-1",
        procedure=(
            "1. 申请：到4号窗口提交申请；2. 受理：窗口一次收齐材料；3. 审核；4. 办结：当场发证。"
        ),
    )
    body = client.get(reverse("portal:guide", args=[item.code])).content.decode()
    chart = body[body.index('id="procedure-flow"') : body.index("</figure>")]
    titles = re.findall(r'<span class="flow-title">([^<]+)</span>', chart)
    assert titles == ["申请", "受理", "审核", "办结"]
    assert '<ol class="flow" aria-label=' in chart
    assert "<script" not in chart and " on" not in chart.replace(" one", "")


def test_flow_chart_without_procedure_text_is_the_case_route_with_limits(client, county):
    item = ServiceItemFactory(center=county, code="FLOW-2", procedure="", limit_review_days=7)
    body = client.get(reverse("portal:guide", args=[item.code])).content.decode()
    chart = body[body.index('id="procedure-flow"') : body.index("</figure>")]
    titles = re.findall(r'<span class="flow-title">([^<]+)</span>', chart)
    assert titles[:3] == ["受理", "审查", "决定"] or len(titles) == 5
    days = re.findall(r'<span class="flow-days">([^<]+)</span>', chart)
    assert len(days) == len(titles) and "7" in days[1]
