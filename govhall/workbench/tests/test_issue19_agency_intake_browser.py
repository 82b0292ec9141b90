"""Issue 19 items 5 and 6 in a real browser at 1366×768: at the 代办窗口 the agent serving it
chooses a 一件事 bundle, finds the 代办 part open with themself as the agent, ticks the shared
materials, attaches the scanned letter and receives both linked cases; the case page links the
letter."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from govhall.cases.models import Case
from govhall.catalog.services.bundles import bundle_save
from govhall.core.roles import Role
from govhall.testing.browser import log_in
from govhall.testing.cases import PERSON_ID
from govhall.testing.online_files import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_VIEW = """s => {
  const r = document.querySelector(s).getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
}"""


def test_an_agent_receives_a_bundle_with_the_letter_at_the_agency_window(
    page, settings, tmp_path, clerk, county, case_item, full_item, hall_window
):
    settings.MEDIA_ROOT = tmp_path
    hall_window.is_agency = True
    hall_window.save(update_fields=["is_agency"])
    clerk.groups.add(Group.objects.get_or_create(name=Role.AGENT.value)[0])
    bundle = bundle_save(
        actor=None,
        center=county,
        data={"code": "YJS-R", "name": "开办餐馆", "promised_days": 3},
        item_ids=[case_item.pk, full_item.pk],
    )
    assert page.viewport_size == {"width": 1366, "height": 768}

    log_in(page, clerk)
    page.goto(f"{page.base_url}/staff/cases/new/?window={hall_window.pk}")
    page.select_option("#f-bundle", str(bundle.pk))
    page.locator("#intake-pick button[type=submit]").click()
    page.locator("#intake-bundle").wait_for()
    assert page.locator("#agency-intake").get_attribute("open") is not None
    assert page.locator("#id_agent").input_value() == str(clerk.pk)
    assert page.evaluate(IN_VIEW, "#intake-submit")

    page.fill("#id_name", "张三丰")
    page.fill("#id_id_number", PERSON_ID)
    page.fill("#id_phone", "13812345678")
    for box in page.locator("#materials input[name^=received_]").all():
        box.check()
    page.fill("#id_agency_letter_number", "WT-2026-7")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("#id_agency_letter_on", yesterday.isoformat())
    page.set_input_files(
        "#id_agency_letter",
        files=[{"name": "委托书.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.locator("#intake-submit").click()
    page.locator("#agency-letter").wait_for()
    cases = list(Case.objects.filter(bundle__isnull=False))
    assert len(cases) == 2 and all(c.agent_id == clerk.pk and c.agency_letter for c in cases)
