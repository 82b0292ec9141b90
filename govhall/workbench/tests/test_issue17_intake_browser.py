"""Issue 17 item 2 in a real browser at 1366×768: intake starts with nothing ticked, the typed ID
number brings the material verified on an earlier case (ticked, shown as such), and the confirm
button and the error summary are on screen without scrolling."""

from __future__ import annotations

import pytest

from govhall.cases.models import Case
from govhall.cases.services.intake import MaterialCheck, case_receive
from govhall.testing.cases import PERSON_ID
from govhall.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_VIEW = """s => {
  const r = document.querySelector(s).getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight
      && r.left >= 0 && r.right <= window.innerWidth;
}"""


def log_in(page, user) -> None:
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")


def test_intake_ticks_nothing_offers_reuse_and_keeps_button_and_error_in_view(
    page, clerk, case_item, hall_window, applicant_data
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
    main = case_item.materials.get(name="申请书")
    attachment = case_item.materials.get(name="场所使用证明")
    assert page.viewport_size == {"width": 1366, "height": 768}

    log_in(page, clerk)
    page.goto(f"{page.base_url}/staff/cases/new/?window={hall_window.pk}&item={case_item.pk}")
    page.locator("#intake-form").wait_for()
    assert page.evaluate(IN_VIEW, "#intake-submit")
    assert page.locator("#materials input[name^=received_]:checked").count() == 0
    assert page.locator("#proposal").get_attribute("data-outcome") == "supplement"

    page.fill("#id_name", "张三丰")
    page.fill("#id_id_number", PERSON_ID)
    page.fill("#id_phone", "13812345678")  # leaving the ID field asks for the proposal again
    reuse = page.locator(f"#id_reuse_{identity.pk}")
    reuse.wait_for()
    assert (
        reuse.is_checked() and earlier.number in page.locator(f"#reuse-{identity.pk}").inner_text()
    )

    page.check(f"#id_received_{attachment.pk}")
    page.check(f"#id_lacks_{main.pk}")  # the applicant has no application form: returned
    page.wait_for_selector("#proposal[data-outcome=returned]")
    assert not page.locator(f"#id_reuse_{main.pk}").is_checked()  # set aside by the tick
    page.locator("#intake-submit").click()  # no reason nor basis given: refused
    page.locator("#intake-error-summary").wait_for()
    assert page.evaluate(IN_VIEW, "#intake-error-summary")
    assert page.evaluate(IN_VIEW, "#intake-submit")
    assert Case.objects.count() == 1
