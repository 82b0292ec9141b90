"""Issue 17 item 2 on the intake page: nothing starts ticked, a conditional material can be
marked "condition does not apply", a material of a verified earlier case of the same applicant
is offered ticked (verified on case X, date) and recorded as reused, and the error summary sits
beside the confirm button."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from govhall.cases.models import Case
from govhall.cases.services.intake import MaterialCheck, case_receive
from govhall.testing.cases import intake_data
from govhall.testing.factories import MaterialFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}
INTAKE = reverse("workbench:case_intake")
PROPOSAL = reverse("workbench:case_intake_proposal")
PROXY = "授权委托书"


def outcome_of(html: str) -> str:
    found = re.search(r'id="proposal" data-outcome="(\w+)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture
def proxy(case_item):
    return MaterialFactory(
        item=case_item, name=PROXY, is_main=True, position=4, condition="委托代理人办理时"
    )


def test_nothing_changed_proposes_a_supplement_listing_everything(client_as, clerk, case_item):
    client = client_as(clerk)
    data = {k: v for k, v in intake_data(case_item).items() if not str(k).startswith("received_")}
    html = client.post(PROPOSAL, data, **HTMX).content.decode()
    assert outcome_of(html) == "supplement"
    for name in ("申请书", "身份证明", "场所使用证明"):
        assert name in html


def test_conditional_material_not_applicable_is_not_missing(client_as, clerk, case_item, proxy):
    client = client_as(clerk)
    page = client.get(INTAKE, {"item": case_item.pk}, **EN).content.decode()
    assert f'name="na_{proxy.pk}"' in page and "委托代理人办理时" in page
    assert 'name="na_' not in page.replace(f'name="na_{proxy.pk}"', "")  # only the conditional
    data = intake_data(case_item, missing={PROXY})
    assert outcome_of(client.post(PROPOSAL, data, **HTMX).content.decode()) == "supplement"
    data[f"na_{proxy.pk}"] = "on"
    html = client.post(PROPOSAL, data, **HTMX).content.decode()
    assert outcome_of(html) == "promised" and PROXY in html  # named as not needed
    assert client.post(INTAKE, data, **EN).status_code == 302
    case = Case.objects.get()
    assert case.materials.get(name=PROXY).not_applicable
    detail = client.get(reverse("workbench:case", args=[case.pk]), **EN).content.decode()
    assert "data-not-applicable" in detail


def test_a_verified_earlier_material_is_offered_ticked_and_recorded(
    client_as, clerk, case_item, hall_window, applicant_data
):
    earlier = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=[
            MaterialCheck(material_id=m.pk, received=True) for m in case_item.materials.all()
        ],
        outcome="promised",
    )
    identity = case_item.materials.get(name="身份证明")
    client = client_as(clerk)
    data = intake_data(case_item, key="k-2", missing={"身份证明"})
    html = client.post(PROPOSAL, data, **HTMX).content.decode()
    # The ID number was typed: the offer comes out of band, ticked, and the proposal counts it.
    offer = re.search(
        rf'<div class="reuse" id="reuse-{identity.pk}" hx-swap-oob="true">.*?</div>', html, re.S
    )
    assert offer and earlier.number in offer.group(0) and "checked" in offer.group(0)
    assert outcome_of(html) == "promised"
    # Submitted as shown: reused; unticked by the clerk: not reused, a supplement.
    shown = {**data, f"reuse_offer_{identity.pk}": str(earlier.pk)}
    unticked = client.post(PROPOSAL, shown, **HTMX).content.decode()
    assert outcome_of(unticked) == "supplement"
    response = client.post(INTAKE, {**shown, f"reuse_{identity.pk}": str(earlier.pk)}, **EN)
    assert response.status_code == 302
    case = Case.objects.exclude(pk=earlier.pk).get()
    row = case.materials.get(name="身份证明")
    assert row.received and row.reused_from_id == earlier.pk
    detail = client.get(reverse("workbench:case", args=[case.pk]), **EN).content.decode()
    assert f'data-reused-from="{earlier.number}"' in detail


def test_a_forged_reuse_is_refused_with_the_error_beside_the_button(client_as, clerk, case_item):
    identity = case_item.materials.get(name="身份证明")
    data = intake_data(case_item, missing={"身份证明"})
    data.update({f"reuse_offer_{identity.pk}": "999999", f"reuse_{identity.pk}": "999999"})
    response = client_as(clerk).post(INTAKE, data, **EN)
    # Not offered: ignored, so the main material is simply not brought (no silent reuse).
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'id="intake-actions">(.*?)</div>\s*</form>', html, re.S)
    assert summary and 'id="intake-error-summary"' in summary.group(1)
    assert 'id="intake-submit"' in summary.group(1)
    assert Case.objects.count() == 0
