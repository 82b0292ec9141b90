"""Applying online on the portal (issue 19 item 2): from the guide's button to the draft, save
and resume, uploads refused by content or size, submit → the confirmation with the case number,
and nobody else reaches my draft or my file by a direct URL (404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govhall.cases.models import Case
from govhall.online.models import ApplicationFile, OnlineApplication
from govhall.testing.online import make_account, sign_in_online
from govhall.testing.online_apply import GOOD_ANSWERS, offer_online
from govhall.testing.online_files import EXE_BYTES, PDF_BYTES, PNG_BYTES, upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def item(case_item):
    return offer_online(case_item)


def _signed_in(account=None) -> Client:
    client = Client()
    sign_in_online(client, account or make_account())
    return client


def _form(application, item, *, action="save", files=None, **extra):
    data = {
        "version": application.version,
        "action": action,
        "delivery_method": "pickup",
        "delivery_address": "",
        **{f"field_{key}": value for key, value in GOOD_ANSWERS.items()},
        **extra,
    }
    for material_id, upload in (files or {}).items():
        data[f"material_{material_id}"] = upload
    return data


def _start(client, item) -> OnlineApplication:
    response = client.get(reverse("portal:apply_start", args=[item.code]))
    assert response.status_code == 302
    return OnlineApplication.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def test_guide_button_only_for_items_offered_online(client, item, other_department, county):
    guide = client.get(reverse("portal:guide", args=[item.code])).content.decode()
    start = reverse("portal:apply_start", args=[item.code])
    assert f'href="{start}"' in guide
    # Anonymous: the sign-in page, coming back after.
    assert reverse("portal:online_login") in client.get(start)["Location"]
    item.online_available = False
    item.save(update_fields=["online_available"])
    assert (
        f'href="{start}"'
        not in client.get(reverse("portal:guide", args=[item.code])).content.decode()
    )
    assert _signed_in().get(start).status_code == 404


def test_fill_save_upload_submit_confirm(item):
    client = _signed_in()
    application = _start(client, item)
    page = client.get(reverse("portal:apply_draft", args=[application.pk]))
    assert page.status_code == 200 and "店铺名称" in page.content.decode()
    for material in item.materials.all():
        assert f'id="material-{material.pk}"' in page.content.decode()
    assert 'id="material-' in page.content.decode() and "委托代理人办理时" in page.content.decode()
    # A renamed program is refused next to its material; the answers are kept.
    first = item.materials.order_by("position").first()
    refused = client.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(application, item, files={first.pk: upload_of(EXE_BYTES, "scan.pdf")}),
    )
    assert refused.status_code == 422 and not ApplicationFile.objects.exists()
    application.refresh_from_db()
    files = {
        m.pk: upload_of(PDF_BYTES if i else PNG_BYTES, f"m{i}.pdf")
        for i, m in enumerate(item.materials.filter(condition=""))
    }
    saved = client.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(application, item, files=files),
    )
    assert saved.status_code == 302
    assert ApplicationFile.objects.count() == len(files)
    application.refresh_from_db()
    assert application.form_data["shop_name"] == "老张面馆"
    # Submit; express needs an address.
    no_address = client.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(application, item, action="submit", delivery_method="express"),
    )
    assert no_address.status_code == 422 and Case.objects.count() == 0
    application.refresh_from_db()
    done = client.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(
            application,
            item,
            action="submit",
            delivery_method="express",
            delivery_address="建设路 8 号",
        ),
        follow=True,
    )
    case = Case.objects.get()
    assert (
        case.number in done.content.decode() and reverse("portal:my_home") in done.content.decode()
    )
    assert case.delivery_method == "express"
    # A double submit with the old page: the same case.
    again = client.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(application, item, action="submit"),
    )
    assert again.status_code == 302 and Case.objects.count() == 1
    assert again["Location"] == reverse("portal:apply_done", args=[application.pk])


def test_another_account_cannot_see_my_draft_or_file(item):
    mine = _signed_in()
    application = _start(mine, item)
    material = item.materials.first()
    mine.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(application, item, files={material.pk: upload_of(PDF_BYTES)}),
    )
    row = ApplicationFile.objects.get()
    file_url = reverse("portal:apply_file", args=[application.pk, row.pk])
    own = mine.get(file_url)
    assert own.status_code == 200
    assert own["X-Content-Type-Options"] == "nosniff"
    assert own["Content-Disposition"].startswith("attachment")
    assert b"".join(own.streaming_content) == PDF_BYTES
    other = _signed_in()
    for url in (
        reverse("portal:apply_draft", args=[application.pk]),
        reverse("portal:apply_discard", args=[application.pk]),
        reverse("portal:apply_done", args=[application.pk]),
        file_url,
    ):
        assert other.get(url).status_code == 404, url
    posted = other.post(
        reverse("portal:apply_draft", args=[application.pk]), _form(application, item)
    )
    assert posted.status_code == 404
    # Anonymous: the sign-in page, never the file.
    assert Client().get(file_url).status_code == 302


def test_oversized_request_is_refused_by_its_length(item, settings):
    settings.GOVHALL_ONLINE_UPLOAD_MAX_BYTES = 1024
    client = _signed_in()
    application = _start(client, item)
    response = client.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(
            application,
            item,
            files={item.materials.first().pk: upload_of(b"%PDF-" + b"x" * 2_000_000)},
        ),
    )
    assert response.status_code == 413 and not ApplicationFile.objects.exists()


def test_discard(item):
    client = _signed_in()
    application = _start(client, item)
    url = reverse("portal:apply_discard", args=[application.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": application.version}).status_code == 302
    assert client.get(reverse("portal:apply_draft", args=[application.pk])).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(item):
    account = make_account()
    client = Client(enforce_csrf_checks=True)
    sign_in_online(client, account)
    application = _start(client, item)
    response = client.post(
        reverse("portal:apply_draft", args=[application.pk]), _form(application, item)
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.form_data == {}


def test_a_wrong_answer_keeps_the_good_files_and_shows_every_problem(item):
    """A citizen on a phone sees at once what is wrong with the answers and with each file; the
    files that passed are kept in the draft (each file is its own upload); the answers are not."""
    client = _signed_in()
    application = _start(client, item)
    good, bad = item.materials.order_by("position")[:2]
    response = client.post(
        reverse("portal:apply_draft", args=[application.pk]),
        _form(
            application,
            item,
            field_contact_phone="not a phone",
            files={good.pk: upload_of(PDF_BYTES, "a.pdf"), bad.pk: upload_of(EXE_BYTES, "b.pdf")},
        ),
    )
    assert response.status_code == 422
    errors = response.context["errors"] if response.context else {}
    assert "field_contact_phone" in errors and f"material_{bad.pk}" in errors
    assert list(ApplicationFile.objects.values_list("material_id", flat=True)) == [good.pk]
    assert 'value="not a phone"' in response.content.decode()  # what was typed stays on screen
    application.refresh_from_db()
    assert application.form_data.get("contact_phone") != "not a phone"
