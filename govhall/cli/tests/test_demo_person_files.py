"""The demo's assessment files (issue 21 item 1b): the demo clerk covers another window's post
and is criticised twice meanwhile, so their file has notices and they are flagged as a cover to
replace; loading twice adds nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.assessment.queries.covers import flagged_covers
from govhall.assessment.queries.person_file import person_file
from govhall.cli.demo.person_files import load_demo_person_files
from govhall.core.models import User
from govhall.org.models import Center, Department
from govhall.testing.alerts import make_alert
from govhall.testing.factories import PostFactory, WindowFactory
from govhall.testing.supervision import ensure_default_rules

pytestmark = pytest.mark.django_db


def test_demo_person_files(
    county: Center, department: Department, director: User, clerk: User, window_head: User
) -> None:
    ensure_default_rules()
    own = WindowFactory(center=county, number=1)
    own.departments.add(department)
    PostFactory(window=own, a_staff=clerk)
    other = WindowFactory(center=county, number=2)
    other.departments.add(department)
    PostFactory(window=other, a_staff=window_head)
    today = timezone.localdate()
    for back in (3, 4):
        make_alert(own, clerk, occurred_on=today - datetime.timedelta(days=back))
    assert load_demo_person_files() == 2
    assert load_demo_person_files() == 0
    assert [f.user for f in flagged_covers(county)] == [clerk]
    found = person_file(clerk, today - datetime.timedelta(days=30), today)
    assert len(found.notices) == 2
