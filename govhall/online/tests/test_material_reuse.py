"""Issue 19 item 4 online: a verified applicant's draft offers materials from the library (THE
reuse rule) and a valid electronic licence instead of an upload; the choice goes onto the case
at submission (checked again then); another account, or an unverified one with the same ID
number, is offered nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import ApplicantMaterial, ElectronicLicence
from govhall.cases.services.intake import ApplicantData, MaterialCheck, Outcome, case_receive
from govhall.online.models import ApplicationFile
from govhall.online.services.applications import (
    application_save,
    application_start,
    application_submit,
)
from govhall.online.services.library import (
    application_material_from_library,
    application_material_from_licence,
    application_reuse_offers,
)
from govhall.testing.factories import MaterialFactory
from govhall.testing.online import make_account, sign_in_online
from govhall.testing.online_apply import GOOD_ANSWERS, offer_online
from govhall.testing.online_files import PDF_BYTES, upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def account():
    return make_account(name="张三丰")


@pytest.fixture
def earlier(clerk, case_item, hall_window, account):
    """A case of the account's applicant accepted at the window: its materials are kept."""
    applicant = ApplicantData(
        kind="person", name="张三丰", id_number=account.id_number, phone=account.phone
    )
    return case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant,
        materials=[
            MaterialCheck(material_id=m.pk, received=True) for m in case_item.materials.all()
        ],
        outcome=Outcome.PROMISED,
    )


@pytest.fixture
def item(case_item):
    return offer_online(case_item)


@pytest.fixture
def licence(earlier, case_item, department):
    today = timezone.localdate()
    return ElectronicLicence.objects.create(
        case=earlier,
        holder=earlier.applicant,
        item=case_item,
        department=department,
        name="食品经营许可证",
        number="SCJ-2026-00001",
        identifier="A.B.202600001.C",
        verify_token="v" * 43,
        valid_from=today - datetime.timedelta(days=1),
        valid_until=today + datetime.timedelta(days=300),
        issued_at=timezone.now(),
    )


def test_the_draft_offers_the_library_and_submits_it(account, earlier, item):
    application = application_start(account=account, item=item)
    identity = item.materials.get(name="身份证明")
    offers = application_reuse_offers(application)
    entry = ApplicantMaterial.objects.get(verified_on_case=earlier, name="身份证明")
    library = offers[identity.pk].library
    assert library is not None and library.entry_id == entry.pk
    application_material_from_library(
        account=account, application=application, material=identity, entry_id=entry.pk
    )
    row = ApplicationFile.objects.get(application=application, material=identity)
    assert row.library_entry_id == entry.pk and not row.file
    # An unverified account with the same ID number, or another account, sees nothing.
    assert application_reuse_offers(application_start(account=make_account(), item=item)) == {}
    for material in item.materials.filter(condition="").exclude(pk=identity.pk):
        application_material_from_library(
            account=account,
            application=application,
            material=material,
            entry_id=ApplicantMaterial.objects.get(verified_on_case=earlier, name=material.name).pk,
        )
    application.refresh_from_db()
    application = application_save(
        account=account,
        application=application,
        version=application.version,
        answers=GOOD_ANSWERS,
        delivery_method="pickup",
        delivery_address="",
    )
    case = application_submit(account=account, application=application, version=application.version)
    material = case.materials.get(name="身份证明")
    assert material.received and material.library_entry_id == entry.pk
    assert material.reused_from_id == earlier.pk


def test_a_withdrawn_entry_is_refused_at_choice_and_at_submission(account, earlier, item):
    application = application_start(account=account, item=item)
    identity = item.materials.get(name="身份证明")
    entry = ApplicantMaterial.objects.get(verified_on_case=earlier, name="身份证明")
    application_material_from_library(
        account=account, application=application, material=identity, entry_id=entry.pk
    )
    ApplicantMaterial.objects.filter(pk=entry.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(ValidationError):
        application_material_from_library(
            account=account, application=application, material=identity, entry_id=entry.pk
        )
    for material in item.materials.filter(condition="").exclude(pk=identity.pk):
        application_material_from_library(
            account=account,
            application=application,
            material=material,
            entry_id=ApplicantMaterial.objects.get(verified_on_case=earlier, name=material.name).pk,
        )
    application.refresh_from_db()
    application = application_save(
        account=account,
        application=application,
        version=application.version,
        answers=GOOD_ANSWERS,
        delivery_method="pickup",
        delivery_address="",
    )
    with pytest.raises(ValidationError):
        application_submit(account=account, application=application, version=application.version)


def test_a_licence_stands_for_a_material_and_someone_elses_does_not(
    account, licence, item, case_item
):
    needs = MaterialFactory(item=item, name="许可证", position=9, licence_item=case_item)
    application = application_start(account=account, item=item)
    assert application_reuse_offers(application)[needs.pk].licence == licence
    application_material_from_licence(
        account=account, application=application, material=needs, licence_id=licence.pk
    )
    assert ApplicationFile.objects.get(material=needs).licence_id == licence.pk
    stranger = make_account()
    other = application_start(account=stranger, item=item)
    with pytest.raises(ValidationError):
        application_material_from_licence(
            account=stranger, application=other, material=needs, licence_id=licence.pk
        )


def test_the_draft_page_offers_and_takes_the_choice(account, earlier, item):
    client = Client()
    sign_in_online(client, account)
    application = application_start(account=account, item=item)
    identity = item.materials.get(name="身份证明")
    entry = ApplicantMaterial.objects.get(verified_on_case=earlier, name="身份证明")
    url = reverse("portal:apply_draft", args=[application.pk])
    page = client.get(url).content.decode()
    assert f'name="library_{identity.pk}" value="{entry.pk}"' in page
    data = {
        "version": application.version,
        "action": "save",
        "delivery_method": "pickup",
        "delivery_address": "",
        **{f"field_{key}": value for key, value in GOOD_ANSWERS.items()},
        f"library_{identity.pk}": str(entry.pk),
    }
    assert client.post(url, data).status_code == 302
    assert ApplicationFile.objects.get(material=identity).library_entry_id == entry.pk
    # A new upload of that material replaces the library choice.
    application.refresh_from_db()
    data["version"] = application.version
    data[f"material_{identity.pk}"] = upload_of(PDF_BYTES, "身份证.pdf")
    assert client.post(url, data).status_code == 302
    row = ApplicationFile.objects.get(material=identity)
    assert row.file and row.library_entry_id is None
