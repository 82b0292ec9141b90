"""一件事 online (issue 19 item 5): the guides list the bundle, its guide shows the merged
materials and the shared form, one draft with one upload per merged material submits into one
application with one case per item (each with its own files), and another account gets 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govhall.cases.models import Case, CaseBundle, CaseMaterial
from govhall.catalog.queries.bundles import merged_materials
from govhall.catalog.services.bundles import bundle_save
from govhall.online.models import OnlineApplication
from govhall.testing.online import make_account, sign_in_online
from govhall.testing.online_apply import GOOD_ANSWERS, offer_online
from govhall.testing.online_files import PDF_BYTES, upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bundle(county, case_item, full_item):
    offer_online(case_item)
    offer_online(full_item)
    return bundle_save(
        actor=None,
        center=county,
        data={"code": "KBCG", "name": "开办餐馆", "promised_days": 4},
        item_ids=[case_item.pk, full_item.pk],
    )


def _signed_in(account) -> Client:
    client = Client()
    sign_in_online(client, account)
    return client


def test_apply_for_a_bundle_online(client, bundle, case_item, full_item):
    guides = client.get(reverse("portal:guides")).content.decode()
    guide_url = reverse("portal:bundle_guide", args=[bundle.code])
    assert guide_url in guides
    guide = client.get(guide_url).content.decode()
    assert guide.count("申请书") == 1 and guide.count("店铺名称") == 1  # asked once
    start = reverse("portal:apply_bundle_start", args=[bundle.code])
    assert start in guide
    account = make_account()
    me = _signed_in(account)
    response = me.get(start)
    assert response.status_code == 302
    application = OnlineApplication.objects.get(account=account, bundle=bundle)
    draft_url = reverse("portal:apply_draft", args=[application.pk])
    page = me.get(draft_url).content.decode()
    groups = merged_materials(bundle)
    assert page.count('class="apply-material') == len(groups) == 3
    data = {
        "version": application.version,
        "action": "submit",
        "delivery_method": "pickup",
        **{f"field_{key}": value for key, value in GOOD_ANSWERS.items()},
    }
    # another account reaches neither the draft nor by posting to it
    other = _signed_in(make_account())
    assert other.get(draft_url).status_code == 404
    assert other.post(draft_url, data).status_code == 404
    for group in groups:
        if group.required:
            data[f"material_{group.representative.pk}"] = upload_of(PDF_BYTES, "scan.pdf")
    assert not CaseBundle.objects.exists()
    done = me.post(draft_url, data)
    assert done.status_code == 302
    application.refresh_from_db()
    linked = application.case_bundle
    assert linked is not None
    cases = list(Case.objects.filter(bundle=linked).order_by("pk"))
    assert [c.item_id for c in cases] == [case_item.pk, full_item.pk]
    for case in cases:
        with_files = CaseMaterial.objects.filter(case=case).exclude(file="")
        assert with_files.count() == 2  # the two unconditional materials, each its own row
    confirmation = me.get(done["Location"]).content.decode()
    assert linked.number in confirmation and cases[1].number in confirmation
    assert other.get(done["Location"]).status_code == 404
    # My page: one card for the application, with both cases
    my = me.get(reverse("portal:my_home")).content.decode()
    assert my.count(f'data-bundle="{linked.number}"') == 1
    assert all(f'data-case="{c.number}"' in my for c in cases)
    # the public progress page of one case lists its sibling
    progress = client.get(
        reverse("portal:progress"),
        {"number": cases[0].number, "last4": account.phone[-4:]},
    ).content.decode()
    assert 'id="progress-bundle"' in progress and cases[1].number in progress


def test_staff_case_page_shows_the_siblings(bundle, case_item, director, client_as):
    from govhall.cases.services.bundles import case_bundle_submit_online
    from govhall.cases.services.intake import MaterialCheck
    from govhall.online.services.applications import applicant_of

    account = make_account()
    checks = [MaterialCheck(material_id=m.pk, received=True) for m in case_item.materials.all()]
    linked, _ = case_bundle_submit_online(
        actor=None,
        bundle=bundle,
        applicant=applicant_of(account, None),
        materials=checks,
        idempotency_key="staff-page",
    )
    first, second = Case.objects.filter(bundle=linked).order_by("pk")
    page = client_as(director).get(reverse("workbench:case", args=[first.pk])).content.decode()
    assert 'id="case-bundle"' in page and linked.number in page and second.number in page
