"""The suggestion box and message book (issue 15 item 5): the reply limit in working days, the
reply and who may give it, 办复率 per month, the monthly summary sent once, the overdue scan."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404

from govhall.core.models import OutboundMessage
from govhall.core.ratelimit import RateLimited
from govhall.core.validation import Conflict
from govhall.feedback.access.suggestions import access_suggestion
from govhall.feedback.models import Suggestion, SuggestionSummary
from govhall.feedback.queries.suggestions import month_rate, reply_rates_by_month
from govhall.feedback.services.suggestion_scan import scan_suggestions
from govhall.feedback.services.suggestion_summary import suggestion_summaries_send
from govhall.feedback.services.suggestions import (
    suggestion_receive,
    suggestion_reply,
    suggestion_submit,
)
from govhall.supervision.models import Alert, AlertRule
from govhall.testing.voice import at, make_suggestion

pytestmark = pytest.mark.django_db

D = datetime.date
# Fri 26 Sep 2025: 28 Sep (Sun, make-up), 29, 30 Sep, then 1–8 Oct off, 9 and 10 Oct.
RECEIVED = at(D(2025, 9, 26), 10)
DUE = at(D(2025, 10, 10), 17, 30)


@pytest.fixture
def rules() -> None:
    seeds = importlib.import_module("govhall.supervision.migrations.0006_feedback_subjects")
    seeds.seed(apps, None)


def test_reply_is_due_at_closing_time_of_the_fifth_working_day(county):
    entry = make_suggestion(county, RECEIVED)
    assert entry.reply_due_at == DUE
    # received on a Saturday: the day itself is not counted either
    saturday = make_suggestion(county, at(D(2025, 9, 27), 9))
    assert saturday.reply_due_at == DUE


def test_scan_at_the_boundary_and_withdrawn_when_replied(county, director, rules):
    entry = make_suggestion(county, RECEIVED)
    assert scan_suggestions(now=DUE).raised == 0
    result = scan_suggestions(now=DUE + datetime.timedelta(minutes=1))
    assert result.raised == 1
    alert = Alert.objects.live().get(subject_key=f"suggestion:{entry.pk}")
    assert alert.rule.code == "suggestion_overdue.reminder"
    assert alert.responsible_id == director.pk
    assert alert.due_on == D(2025, 10, 10)
    # idempotent
    again = scan_suggestions(now=DUE + datetime.timedelta(hours=1))
    assert (again.raised, again.withdrawn) == (0, 0)
    suggestion_reply(actor=director, suggestion=entry, reply="已增加座位二十个。")
    gone = scan_suggestions(now=DUE + datetime.timedelta(hours=2))
    assert gone.withdrawn == 1
    assert not Alert.objects.live().filter(subject_key=f"suggestion:{entry.pk}").exists()


def test_scan_withdraws_everything_when_the_rule_is_off(county, director, rules):
    make_suggestion(county, RECEIVED)
    scan_suggestions(now=DUE + datetime.timedelta(days=1))
    AlertRule.objects.filter(code="suggestion_overdue.reminder").update(is_active=False)
    assert scan_suggestions(now=DUE + datetime.timedelta(days=2)).withdrawn == 1
    assert not Alert.objects.live().filter(rule__code="suggestion_overdue.reminder").exists()


def test_reply_once_by_the_management_of_the_center_only(
    county, director, supervisor, social_supervisor, outsider
):
    entry = make_suggestion(county, RECEIVED)
    for user in (supervisor, social_supervisor, outsider):
        with pytest.raises(ValidationError):
            suggestion_reply(actor=user, suggestion=entry, reply="x")
    with pytest.raises(ValidationError) as blank:
        suggestion_reply(actor=director, suggestion=entry, reply="  ")
    assert "reply" in blank.value.message_dict
    replied = suggestion_reply(actor=director, suggestion=entry, reply="感谢建议，已整改。")
    assert replied.replied_by == director and replied.replied_at is not None
    with pytest.raises(Conflict):
        suggestion_reply(actor=director, suggestion=entry, reply="again")
    # the outsider does not even see it
    with pytest.raises(Http404):
        access_suggestion(outsider, entry.pk)
    assert access_suggestion(supervisor, entry.pk) == entry
    with pytest.raises(Http404):
        access_suggestion(supervisor, entry.pk, for_write=True)


def test_paper_entries_by_management_and_checked_input(county, director, guide):
    entry = suggestion_receive(
        actor=director,
        center=county,
        kind="message",
        channel="paper",
        content="留言：希望延长午间服务。",
        name="张三",
        received_at=at(D(2025, 9, 26), 9),
    )
    assert entry.channel == "paper" and entry.entered_by == director
    with pytest.raises(ValidationError):
        suggestion_receive(actor=guide, center=county, kind="message", channel="paper", content="x")
    before = Suggestion.objects.count()
    with pytest.raises(ValidationError) as refused:
        suggestion_receive(
            actor=None, center=county, kind="nonsense", channel="portal", content="", phone="123"
        )
    assert {"kind", "content", "phone"} <= set(refused.value.message_dict)
    assert Suggestion.objects.count() == before


def test_the_portal_door_is_rate_limited(county, settings):
    settings.GOVHALL_RATE_SUGGESTION_PER_ADDRESS_HOUR = 2
    for _n in range(2):
        suggestion_submit(center=county, kind="suggestion", content="好", client="10.0.0.9")
    with pytest.raises(RateLimited):
        suggestion_submit(center=county, kind="suggestion", content="好", client="10.0.0.9")
    assert Suggestion.objects.count() == 2


def test_reply_rate_per_month(county, director, town):
    september = [make_suggestion(county, at(D(2025, 9, day))) for day in (1, 15, 30)]
    make_suggestion(county, at(D(2025, 10, 9)))
    make_suggestion(town, at(D(2025, 9, 3)))  # another center's entry
    suggestion_reply(actor=director, suggestion=september[0], reply="已办复", at=at(D(2025, 9, 2)))
    late = at(D(2025, 10, 20))
    suggestion_reply(actor=director, suggestion=september[1], reply="已办复", at=late)
    entries = Suggestion.objects.filter(center=county)
    rate = month_rate(entries, 2025, 9, now=at(D(2025, 10, 21)))
    assert (rate.received, rate.replied, rate.on_time, rate.overdue_open) == (3, 2, 1, 1)
    assert str(rate.reply_rate) == "66.7"
    months = reply_rates_by_month(entries, 2025, now=at(D(2025, 10, 21)))
    assert [(m.month, m.received, m.replied) for m in months] == [
        (D(2025, 9, 1), 3, 2),
        (D(2025, 10, 1), 1, 0),
    ]
    # a month without entries has no rate (not 0%, not 100%)
    assert month_rate(entries, 2025, 8).reply_rate is None


def test_monthly_summary_sent_once_from_the_first_working_day(
    county, director, django_capture_on_commit_callbacks
):
    director.phone = "13900000001"
    director.save(update_fields=["phone"])
    make_suggestion(county, at(D(2025, 9, 10)))
    # 1–8 Oct 2025 are holidays: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        assert suggestion_summaries_send(now=at(D(2025, 10, 8))) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert suggestion_summaries_send(now=at(D(2025, 10, 9))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert suggestion_summaries_send(now=at(D(2025, 10, 9), 15)) == 0
        assert suggestion_summaries_send(now=at(D(2025, 10, 20))) == 0
    sent = OutboundMessage.objects.filter(purpose="suggestion_summary")
    assert [m.to for m in sent] == ["13900000001"]
    assert "2025-09" in sent[0].text and "1" in sent[0].text
    assert SuggestionSummary.objects.get().month == D(2025, 9, 1)
