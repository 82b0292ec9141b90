"""The petition register in chromium at a desk's 1366×768: every main field and the register
button visible without scrolling; a collective visit typed in alerts the leaders."""

from __future__ import annotations

import pytest

from govhall.feedback.models.petitions import Petition
from govhall.supervision.models import Alert
from govhall.testing.browser import log_in
from govhall.testing.supervision import ensure_default_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_FIELDS = (
    "name",
    "gender",
    "age",
    "occupation",
    "political_status",
    "address_or_employer",
    "phone",
    "id_number",
    "people_count",
    "representatives",
    "matter",
)


def test_register_fits_the_desk_screen_and_alerts_leaders(page, director, county):  # type: ignore[no-untyped-def]
    ensure_default_rules()
    log_in(page, director)
    page.goto(f"{page.base_url}/staff/feedback/petitions/new/")
    for name in (*MAIN_FIELDS, "save"):
        selector = "#petition-save" if name == "save" else f"#id_{name}"
        box = page.locator(selector).bounding_box()
        assert box is not None, name
        assert box["y"] + box["height"] <= 768, (name, box)
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    page.fill("#id_name", "赵六")
    page.select_option("#id_gender", "female")
    page.fill("#id_age", "45")
    page.fill("#id_people_count", "7")
    page.fill("#id_representatives", "3")
    page.fill("#id_matter", "集体反映小区供暖问题")
    page.click("#petition-save")
    page.wait_for_selector("#petition-number")
    petition = Petition.objects.get()
    assert petition.people_count == 7
    assert Alert.objects.filter(
        subject_key=f"petition:{petition.pk}", rule__code="petition_major.serious"
    ).exists()
