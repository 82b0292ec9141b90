"""Issue 19 items 5 and 6 on the workbench: the intake page receives a 一件事 bundle (one form, one
set of materials, the bundle service's linked cases) with the 代办 fields, opened ready at a
代办窗口 for the agent serving it; the scanned letter is served only to those who see the case (page
and API); the window's 代办 mark is edited on the org pages and shown publicly; the public
bundles API is rate limited."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import Case, CaseBundle
from govhall.catalog.services.bundles import bundle_save
from govhall.core.roles import Role
from govhall.org.models import Window
from govhall.testing.cases import PERSON_ID, PHONE
from govhall.testing.online_files import EXE_BYTES, PDF_BYTES, upload_of

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
INTAKE = reverse("workbench:case_intake")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def agency_window(hall_window, clerk):
    """The hall window as the 代办窗口, its clerk also an agent (an agent's own intake)."""
    hall_window.is_agency = True
    hall_window.save(update_fields=["is_agency"])
    clerk.groups.add(Group.objects.get_or_create(name=Role.AGENT.value)[0])
    return hall_window


@pytest.fixture
def bundle(county, case_item, full_item):
    return bundle_save(
        actor=None,
        center=county,
        data={"code": "YJS-R", "name": "开办餐馆", "promised_days": 3},
        item_ids=[case_item.pk, full_item.pk],
    )


def _bundle_post(window, bundle, case_item, clerk, letter):
    data = {
        "window": window.pk,
        "bundle": bundle.pk,
        "idempotency_key": "b-1",
        "applicant_kind": "person",
        "name": "张三丰",
        "id_number": PERSON_ID,
        "phone": PHONE,
        "agent": clerk.pk,
        "agency_letter_number": "WT-9",
        "agency_letter_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "agency_full": "on",
        "agency_letter": letter,
    }
    for material in case_item.materials.all():  # the merged set: the first item's materials
        data[f"received_{material.pk}"] = "on"
        data[f"form_{material.pk}"] = "original"
        data[f"copies_{material.pk}"] = "1"
    return data


def test_bundle_intake_for_an_agent_with_the_letter_served_only_to_case_readers(
    client_as, clerk, outsider, agency_window, bundle, case_item, full_item
):
    client = client_as(clerk)
    page = client.get(INTAKE, {"window": agency_window.pk, "bundle": bundle.pk}, **EN)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="intake-bundle"' in html and full_item.name in html
    assert 'id="agency-intake" open' in html  # the 代办窗口 opens the agency part …
    assert f'<option value="{clerk.pk}" selected>' in html  # … with the agent serving it

    refused = client.post(
        INTAKE, _bundle_post(agency_window, bundle, case_item, clerk, upload_of(EXE_BYTES)), **EN
    )
    assert refused.status_code == 400 and not Case.objects.exists()
    assert not CaseBundle.objects.exists()

    data = _bundle_post(agency_window, bundle, case_item, clerk, upload_of(PDF_BYTES))
    done = client.post(INTAKE, data, **EN)
    assert done.status_code == 302
    cases = list(Case.objects.filter(bundle__isnull=False).order_by("pk"))
    assert [c.item_id for c in cases] == [case_item.pk, full_item.pk]
    assert all(c.agent_id == clerk.pk and c.agency_full and c.agency_letter for c in cases)

    case = cases[0]
    detail = client.get(reverse("workbench:case", args=[case.pk]), **EN).content.decode()
    letter_url = reverse("workbench:case_agency_letter", args=[case.pk])
    assert f'id="agency-letter" href="{letter_url}"' in detail
    served = client.get(letter_url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline; filename=")
    assert b"".join(served.streaming_content) == PDF_BYTES
    assert client_as(outsider).get(letter_url).status_code == 404

    api = client_as(clerk).get(f"/api/v1/cases/{case.pk}").json()
    assert api["agency_letter_url"] == f"/api/v1/cases/{case.pk}/agency/letter"
    assert client_as(clerk).get(api["agency_letter_url"]).status_code == 200
    assert client_as(outsider).get(api["agency_letter_url"]).status_code == 404


def test_the_agency_mark_is_edited_with_the_window_and_shown_publicly(
    client_as, director, client, county, hall_window, department
):
    data = {
        "number": hall_window.number,
        "name": hall_window.name,
        "location": "",
        "departments": [department.pk],
        "head": hall_window.head_id or "",
        "authorizer": "",
        "is_active": "on",
        "is_agency": "on",
    }
    edit = reverse("workbench:window_edit", args=[hall_window.pk])
    assert client_as(director).post(edit, data).status_code == 302
    assert Window.objects.get(pk=hall_window.pk).is_agency
    public = client.get(reverse("portal:disclosure_posts", args=[county.code])).content.decode()
    assert "data-agency-window" in public
    posts = client.get(f"/api/v1/disclosure/centers/{county.code}/posts").json()
    assert posts[0]["is_agency"] is True


def test_the_public_bundles_api_is_rate_limited(client, settings, bundle):
    settings.GOVHALL_PUBLIC_API_PER_MINUTE = 1
    assert client.get("/api/v1/catalog/bundles").status_code == 200
    limited = client.get("/api/v1/catalog/bundles")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
