"""The monthly assessment in a browser (issue 14 item 7, "how it will be checked"): the hall
director opens the month's sheets, deducts points by hand with a reason, reviews and publishes
the month and reads grades and tiers; a published sheet refuses a plain edit and takes a
correction entry, marked as made after publication."""

from __future__ import annotations

import datetime

import pytest
from django.utils.translation import override

from govhall.assessment.grading import Grade
from govhall.assessment.models import EntryKind, ScoreEntry, ScoreSheet, SheetStatus
from govhall.assessment.queries.sheets import TIER_LABELS
from govhall.assessment.services.fill import score_sheets_fill
from govhall.org.models import Center, Department
from govhall.testing.assessment import raise_alert
from govhall.testing.browser import log_in
from govhall.testing.factories import PostFactory, WindowFactory

MONTH = datetime.date(2025, 10, 1)


def _open_sheet(page, sheet: ScoreSheet) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/staff/assessment/?month={MONTH:%Y-%m}")
    page.locator(f'#sheets tr[data-sheet="{sheet.pk}"] a').first.click()
    page.wait_for_url(f"**/assessment/sheets/{sheet.pk}/")


def _move(page, sheet: ScoreSheet, action: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f'form button[name=action][value="{action}"]').click()
    page.wait_for_url(f"**/assessment/sheets/{sheet.pk}/")


def _add_entry(page, action: str, points: str, reason: str, evidence: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("#entry-form")
    form.locator("select[name=action]").select_option(action)
    form.locator("input[name=points]").fill(points)
    form.locator("input[name=reason]").fill(reason)
    form.locator("textarea[name=evidence]").fill(evidence)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_director_deducts_reviews_publishes_and_corrects(  # type: ignore[no-untyped-def]
    page, county: Center, department: Department, clerk, window_head, director
):
    window = WindowFactory(center=county, name="市场监管窗口", head=window_head)
    window.departments.add(department)
    PostFactory(window=window, a_staff=clerk, b_staff=window_head)
    raise_alert(
        "post_empty.red",
        center=county,
        responsible=window_head,
        day=datetime.date(2025, 10, 14),
        window=window,
    )
    score_sheets_fill(month=MONTH)
    clerk_sheet = ScoreSheet.objects.get(person=clerk, month=MONTH)
    head_sheet = ScoreSheet.objects.get(person=window_head, month=MONTH)
    with override("zh-hans"):
        published = str(SheetStatus.PUBLISHED.label)
        passed, excellent = str(Grade.PASS.label), str(Grade.EXCELLENT.label)
        top, bottom = str(TIER_LABELS["top"]), str(TIER_LABELS["bottom"])

    log_in(page, director)
    # The month's sheets: both start from 100; the head lost 2 points to the empty-post alert.
    _open_sheet(page, clerk_sheet)
    assert page.locator("#score").inner_text() == "100.0"

    # A manual deduction with its reason and evidence.
    _add_entry(page, "deduct", "6", "群众现场投诉服务态度生硬", "投诉登记表第12号，监控录像已调阅")
    assert page.locator("#score").inner_text() == "94.0"
    manual = page.locator("#entries tr", has_text="群众现场投诉服务态度生硬")
    assert manual.count() == 1 and "-6.0" in manual.inner_text()

    # Review and publish every sheet of the month.
    for sheet in (clerk_sheet, head_sheet):
        _open_sheet(page, sheet)
        _move(page, sheet, "review")
        _move(page, sheet, "publish")
        assert page.locator("#status").inner_text() == published
    assert set(ScoreSheet.objects.filter(month=MONTH).values_list("status", flat=True)) == {
        SheetStatus.PUBLISHED
    }

    # Grades and tiers on the month page, which fits the screen without scrolling sideways.
    page.goto(f"{page.base_url}/staff/assessment/?month={MONTH:%Y-%m}")
    clerk_row = page.locator(f'#sheets tr[data-sheet="{clerk_sheet.pk}"]')
    head_row = page.locator(f'#sheets tr[data-sheet="{head_sheet.pk}"]')
    assert "94.0" in clerk_row.inner_text() and passed in clerk_row.inner_text()
    assert clerk_row.locator("td.tier-bottom").inner_text() == bottom
    assert "98.0" in head_row.inner_text() and excellent in head_row.inner_text()
    assert head_row.locator("td.tier-top").inner_text() == top
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Published: the form offers only a correction; a plain deduction forced in is refused.
    _open_sheet(page, clerk_sheet)
    options = page.locator("#entry-form select[name=action] option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == ["correct"]
    page.evaluate(
        "document.querySelector('#entry-form select[name=action]')"
        ".add(new Option('deduct', 'deduct'))"
    )
    _add_entry(page, "deduct", "1", "再扣一分", "无")
    assert page.locator("#entry-form [role=alert], #entry-form .errorlist").count() >= 1
    assert page.locator("#score").inner_text() == "94.0"
    clerk_sheet.refresh_from_db()
    assert clerk_sheet.score == 94 and clerk_sheet.entries.count() == 1

    # A correction entry is accepted, logged as made after publication.
    _open_sheet(page, clerk_sheet)
    _add_entry(page, "correct", "2", "复核监控：投诉部分不实，更正2分", "复核记录（2025-11-03）")
    assert page.locator("#score").inner_text() == "96.0"
    assert page.locator("#entries tr.after-publication").count() == 1
    correction = ScoreEntry.objects.get(sheet=clerk_sheet, kind=EntryKind.CORRECTION)
    assert correction.after_publication and correction.created_by == director
    clerk_sheet.refresh_from_db()
    assert clerk_sheet.status == SheetStatus.PUBLISHED and clerk_sheet.score == 96
