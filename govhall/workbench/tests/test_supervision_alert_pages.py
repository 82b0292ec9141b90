"""The alert inbox and alert pages, and the supervision rules page (issue 14 items 2 and 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from govhall.core.models import Event
from govhall.supervision.models import Alert, AlertRule, AlertStatus, AlertSubject
from govhall.testing.alerts import make_alert
from govhall.testing.supervision import ensure_default_rules

pytestmark = pytest.mark.django_db

INBOX = reverse("workbench:alerts")
RULES = reverse("workbench:alert_rules")


@pytest.fixture(autouse=True)
def rules(db: None) -> None:
    ensure_default_rules()


@pytest.fixture
def alert(hall_window, clerk) -> Alert:
    return make_alert(hall_window, clerk, detail="受理岗空岗超过10分钟")


def _label(choice: AlertSubject) -> str:
    with override("zh-hans"):
        return str(choice.label)


def _page(alert: Alert) -> str:
    return reverse("workbench:alert", kwargs={"alert_id": alert.pk})


def _act(alert: Alert, action: str) -> str:
    return reverse("workbench:alert_action", kwargs={"alert_id": alert.pk, "action": action})


def test_inbox_lists_each_role_s_alerts_with_labels(client_as, alert, clerk, director, outsider):
    page = client_as(clerk).get(INBOX).content.decode()
    assert f'data-alert="{alert.pk}"' in page
    assert _label(AlertSubject.CASE_DEADLINE) in page  # the subject's label, not its code
    assert "case_deadline" not in page and ">red<" not in page
    assert f'data-alert="{alert.pk}"' in client_as(director).get(INBOX).content.decode()
    assert f'data-alert="{alert.pk}"' not in client_as(outsider).get(INBOX).content.decode()
    assert client_as(outsider).get(_page(alert)).status_code == 404


def test_inbox_filters_and_htmx_rows(client_as, alert, hall_window, clerk, director):
    yellow = make_alert(hall_window, clerk, code="case_deadline.yellow")
    client = client_as(director)
    page = client.get(INBOX, {"level": "yellow"}).content.decode()
    assert f'data-alert="{yellow.pk}"' in page and f'data-alert="{alert.pk}"' not in page
    rows = client.get(INBOX, {"box": "decide"}, headers={"HX-Request": "true"})
    assert rows.status_code == 200 and "<html" not in rows.content.decode()
    assert 'data-alert="' not in rows.content.decode()
    # Malformed filters fall back to the defaults, never a 500.
    assert client.get(INBOX, {"level": "purple", "live": "x"}).status_code == 200


def test_the_clerk_explains_and_the_director_accepts(client_as, alert, clerk, director):
    client = client_as(clerk)
    page = client.get(_page(alert)).content.decode()
    assert 'id="explain-form"' in page and 'id="decide-form"' not in page
    answer = client.post(_act(alert, "explain"), {"version": "1", "explanation": "系统故障"})
    assert answer.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXPLAINED
    page = client.get(_page(alert)).content.decode()
    assert 'id="alert-actions"' not in page and "系统故障" in page
    client = client_as(director)
    page = client.get(_page(alert)).content.decode()
    assert 'id="decide-form"' in page and 'id="explain-form"' not in page
    assert client.post(_act(alert, "accept"), {"version": "2", "note": ""}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACCEPTED and not alert.counts
    page = client.get(_page(alert)).content.decode()
    assert 'data-action="alert.explain"' in page and 'data-action="alert.accept"' in page
    assert "alert.accept<" not in page  # the timeline shows labels


def test_refusals_on_the_page(client_as, alert, clerk, director):
    client = client_as(clerk)
    blank = client.post(_act(alert, "explain"), {"version": "1", "explanation": " "})
    assert blank.status_code == 400 and 'class="field has-error"' in blank.content.decode()
    stale = client.post(_act(alert, "acknowledge"), {"version": "7"})
    assert stale.status_code == 409 and 'id="alert-error"' in stale.content.decode()
    # The clerk cannot accept their own; the director cannot explain for them.
    client.post(_act(alert, "explain"), {"version": "1", "explanation": "说明"})
    assert client.post(_act(alert, "accept"), {"version": "2"}).status_code == 400
    assert client_as(director).post(_act(alert, "uphold"), {"version": "2"}).status_code == 400
    assert client_as(director).post(_act(alert, "nonsense"), {"version": "2"}).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXPLAINED


def test_rules_page_groups_by_subject_and_only_admins_edit(client_as, clerk, director, admin_user):
    page = client_as(clerk).get(RULES).content.decode()
    for subject in (AlertSubject.POST_EMPTY, AlertSubject.CASE_DEADLINE, AlertSubject.ABSENT):
        assert page.count(f"<h2>{_label(subject)}</h2>") == 1
    rule = AlertRule.objects.get(code="post_empty.red")
    edit = reverse("workbench:alert_rule", kwargs={"rule_id": rule.pk})
    assert "post_empty" not in page and edit not in page
    assert client_as(director).get(edit).status_code == 404
    assert client_as(director).post(edit, {"points": "1"}).status_code == 404
    admin = client_as(admin_user)
    assert edit in admin.get(RULES).content.decode()
    form = admin.get(edit).content.decode()
    assert 'name="threshold_minutes"' in form and 'name="threshold_percent"' not in form
    data = {
        "points": "1.5",
        "threshold_minutes": "15",
        "notify_responsible": "on",
        "notify_director": "on",
        "is_active": "on",
        "counts_as_violation": "on",
    }
    assert admin.post(edit, data).status_code == 302
    rule.refresh_from_db()
    assert rule.points == Decimal("1.5") and rule.threshold_minutes == 15
    assert not rule.notify_window_head and rule.notify_director
    assert Event.objects.filter(action="alert_rule.update").count() == 1
    refused = admin.post(edit, data | {"points": "30", "threshold_minutes": "241"})
    assert refused.status_code == 400
    assert refused.content.decode().count('class="field has-error"') == 2
    rule.refresh_from_db()
    assert rule.points == Decimal("1.5") and rule.threshold_minutes == 15


def test_a_feedback_alert_links_to_its_record(client_as, hall_window, clerk, director):
    """Walk-through finding: the alert of a collective petition or a justified complaint gave
    no way to reach the petition or complaint it was about."""
    petition = make_alert(hall_window, clerk, subject_key="petition:41:major")
    complaint = make_alert(hall_window, clerk, subject_key="complaint:7")
    rating = make_alert(hall_window, clerk, subject_key="rating:9:call_back")
    other = make_alert(hall_window, clerk)
    client = client_as(director)
    expected = {
        petition: reverse("workbench:petition", kwargs={"petition_id": 41}),
        complaint: reverse("workbench:complaint", kwargs={"complaint_id": 7}),
        rating: reverse("workbench:bad_rating", kwargs={"rating_id": 9}),
    }
    for alert, url in expected.items():
        assert f'id="alert-record" href="{url}"' in client.get(_page(alert)).content.decode()
    assert 'id="alert-record"' not in client.get(_page(other)).content.decode()
