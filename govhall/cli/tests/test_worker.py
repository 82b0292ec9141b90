import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import override

from govhall.cases.models import ProgressLookup
from govhall.core.models import RateCounter
from govhall.core.ratelimit import rate_hit
from govhall.frontdesk.models import PhoneCode
from govhall.staffing.models import PostVacancy
from govhall.testing.factories import PostFactory, WindowFactory

pytestmark = pytest.mark.django_db


def test_worker_round_opens_an_alert_for_a_post_nobody_can_serve(county, monkeypatch):
    window = WindowFactory(center=county, number=3)
    post = PostFactory(window=window)  # no A, no B, no head: nobody can serve it
    # A Tuesday at 10:00, inside service hours on a working day.
    moment = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    out = StringIO()
    with override("en"):
        call_command("worker", "--once", stdout=out)
    assert PostVacancy.objects.filter(post=post, ended_at__isnull=True).count() == 1
    assert "1 new alert" in out.getvalue()
    # A second round finds the same empty post and opens nothing new.
    call_command("worker", "--once", stdout=StringIO())
    assert PostVacancy.objects.filter(post=post).count() == 1


def test_worker_round_forgets_progress_inquiries_older_than_a_day():
    old = ProgressLookup.objects.create(client="10.0.0.1", case_number="X1")
    recent = ProgressLookup.objects.create(client="10.0.0.1", case_number="X2")
    ProgressLookup.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    out = StringIO()
    with override("en"):
        call_command("worker", "--once", stdout=out)
    assert list(ProgressLookup.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "1 old progress inquiries forgotten" in out.getvalue()


def test_worker_round_prunes_ended_rate_windows_and_expired_phone_codes():
    long_ago = timezone.now() - datetime.timedelta(days=2)
    rate_hit(key="old", limit=5, window_seconds=60, at=long_ago)
    rate_hit(key="current", limit=5, window_seconds=3600)
    PhoneCode.objects.create(phone="13800000001", code_hash="x", expires_at=long_ago)
    PhoneCode.objects.create(
        phone="13800000002",
        code_hash="y",
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    call_command("worker", "--once", stdout=StringIO())
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["current"]
    assert list(PhoneCode.objects.values_list("phone", flat=True)) == ["13800000002"]
