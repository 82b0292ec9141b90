"""Issue 19 item 4: the public verification page of an electronic licence (the address in its QR
code) shows validity, item, number, issuer and the MASKED holder name, and nothing else personal;
the same through the API; both rate limited per client address."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import ElectronicLicence
from govhall.testing.cases import accepted_case

pytestmark = pytest.mark.django_db

HOLDER = "张三丰"


@pytest.fixture
def licence(case_item, hall_window, department) -> ElectronicLicence:
    case = accepted_case(case_item, hall_window)
    case.applicant.name = HOLDER
    case.applicant.save()
    today = timezone.localdate()
    return ElectronicLicence.objects.create(
        case=case,
        holder=case.applicant,
        item=case_item,
        department=department,
        name="食品经营许可证",
        number=f"{department.code}-2025-00001",
        identifier="X.Y.202500001.Z",
        verify_token="t" * 43,
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=300),
        issued_at=timezone.now(),
    )


def _url(licence: ElectronicLicence) -> str:
    return reverse("portal:licence_verify", args=[licence.verify_token])


def _personal(licence: ElectronicLicence) -> list[str]:
    applicant = licence.holder
    values = [applicant.id_number, applicant.phone, HOLDER, applicant.id_number[-6:]]
    values += [applicant.phone[-4:] + "", applicant.legal_representative, applicant.contact_name]
    values += [licence.case.number, licence.identifier]
    return [v for v in values if v]


def test_the_page_shows_validity_and_the_masked_holder_only(licence):
    page = Client().get(_url(licence), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-state="valid"' in html and "有效" in html
    assert licence.number in html and licence.item.name in html
    assert licence.department.name in html
    assert "张*丰" in html
    for value in _personal(licence):
        assert value not in html, value
    assert page["Cache-Control"] == "no-store"


def test_expired_and_revoked_licences_say_so(licence):
    licence.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    licence.save()
    assert 'data-state="expired"' in Client().get(_url(licence)).content.decode()
    licence.revoked_at = timezone.now()
    licence.save()
    assert 'data-state="revoked"' in Client().get(_url(licence)).content.decode()


def test_an_unknown_token_is_not_found(licence):
    assert Client().get(reverse("portal:licence_verify", args=["u" * 43])).status_code == 404


def test_the_api_answers_the_same_masked_facts(licence):
    response = Client().get(f"/api/v1/licences/verify/{licence.verify_token}")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "valid" and body["holder"] == "张*丰"
    assert body["number"] == licence.number
    assert set(body) == {
        "state",
        "state_label",
        "name",
        "item",
        "number",
        "issuer",
        "valid_from",
        "valid_until",
        "holder",
    }
    text = response.content.decode()
    for value in _personal(licence):
        assert value not in text, value
    assert Client().get("/api/v1/licences/verify/nope").status_code == 404


def test_verification_is_rate_limited_per_address(licence, settings):
    settings.GOVHALL_LICENCE_VERIFY_PER_HOUR = 2
    client = Client(REMOTE_ADDR="10.1.2.3")
    assert client.get(_url(licence)).status_code == 200
    assert client.get(f"/api/v1/licences/verify/{licence.verify_token}").status_code == 200
    refused = client.get(_url(licence))
    assert refused.status_code == 429 and refused["Retry-After"]
    api = client.get(f"/api/v1/licences/verify/{licence.verify_token}")
    assert api.status_code == 429
    assert Client(REMOTE_ADDR="10.1.2.4").get(_url(licence)).status_code == 200
