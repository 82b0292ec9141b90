"""Issue 16 item 4: A/B posts change only under the staffing rules; covers criticised twice."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.org.models import Post
from govhall.staffing.models.assignment import Assignment, StaffFact, StaffFactKind
from govhall.staffing.queries.posts import covers_to_replace
from govhall.staffing.services.assignments import assignment_check, trial_end
from govhall.staffing.services.posts import post_staff_change
from govhall.testing.factories import WindowFactory, make_staff

pytestmark = pytest.mark.django_db

D = datetime.date


def station(user, department, window, starts_on):
    return Assignment.objects.create(
        user=user,
        center=department.center,
        department=department,
        window=window,
        starts_on=starts_on,
        trial_ends_on=trial_end(starts_on),
    )


@pytest.fixture
def windows(county, department):
    first = WindowFactory(center=county, number=1)
    second = WindowFactory(center=county, number=2)
    for window in (first, second):
        window.departments.add(department)
    return first, second


@pytest.fixture
def post(windows, county, department):
    a = make_staff(Role.CLERK, county, department, username="a_old", window_staff=True)
    station(a, department, windows[0], D(2020, 1, 1))
    return Post.objects.create(window=windows[0], name="综合受理", a_staff=a)


def test_moving_a_recent_person_onto_a_post_needs_a_reason(
    county, department, director, windows, post
):
    newcomer = make_staff(Role.CLERK, county, department, username="newcomer", window_staff=True)
    recent = timezone.localdate() - datetime.timedelta(days=60)
    station(newcomer, department, windows[1], recent)
    with pytest.raises(ValidationError) as info:
        post_staff_change(actor=director, post=post, a_staff=newcomer, b_staff=None)
    assert "override_reason" in info.value.message_dict
    post.refresh_from_db()
    assert post.a_staff.username == "a_old"
    assert Assignment.objects.filter(user=newcomer, window=windows[1], ends_on=None).exists()
    post_staff_change(
        actor=director, post=post, a_staff=newcomer, b_staff=None, override_reason="业务需要"
    )
    post.refresh_from_db()
    assert post.a_staff == newcomer
    current = Assignment.objects.get(user=newcomer, ends_on=None)
    assert current.window == windows[0] and current.override_reason == "业务需要"
    # The person leaving the post leaves the window: their assignment ends.
    assert not Assignment.objects.filter(user__username="a_old", ends_on=None).exists()
    assert Event.objects.filter(action="post_staff.change").exists()


def test_a_first_assignment_is_written(county, department, director, post):
    fresh = make_staff(Role.CLERK, county, department, username="fresh", window_staff=True)
    post_staff_change(actor=director, post=post, a_staff=post.a_staff, b_staff=fresh)
    post.refresh_from_db()
    assert post.b_staff == fresh
    assert Assignment.objects.get(user=fresh, ends_on=None).window == post.window


def test_only_managers_change_posts(county, department, window_head, post):
    fresh = make_staff(Role.CLERK, county, department, username="fresh", window_staff=True)
    with pytest.raises(ValidationError):
        post_staff_change(actor=window_head, post=post, a_staff=post.a_staff, b_staff=fresh)
    post.refresh_from_db()
    assert post.b_staff is None


def test_the_org_page_goes_through_the_rules(
    client_as, county, department, director, windows, post
):
    newcomer = make_staff(Role.CLERK, county, department, username="newcomer", window_staff=True)
    station(newcomer, department, windows[1], timezone.localdate() - datetime.timedelta(days=60))
    url = reverse("workbench:post_edit", args=[post.pk])
    client = client_as(director)
    response = client.post(url, {"name": post.name, "a_staff": newcomer.pk, "b_staff": ""})
    assert response.status_code == 200  # refused, the form shows why
    post.refresh_from_db()
    assert post.a_staff.username == "a_old"
    response = client.post(
        url,
        {"name": post.name, "a_staff": newcomer.pk, "b_staff": "", "override_reason": "业务需要"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.a_staff == newcomer


def test_cover_criticised_twice_is_flagged(client_as, county, department, director, post):
    cover = make_staff(Role.CLERK, county, department, username="cover", window_staff=True)
    Post.objects.filter(pk=post.pk).update(b_staff=cover)
    today = timezone.localdate()
    StaffFact.objects.create(user=cover, kind=StaffFactKind.CRITICISM_NOTICE, occurred_on=today)
    assert covers_to_replace(county) == []
    StaffFact.objects.create(user=cover, kind=StaffFactKind.VERIFIED_COMPLAINT, occurred_on=today)
    [flag] = covers_to_replace(county)
    assert flag.user == cover and flag.post.pk == post.pk and flag.count == 2
    client = client_as(director)
    board = client.get(reverse("workbench:windows") + f"?center={county.pk}")
    assert 'id="covers-to-replace"' in board.content.decode()
    warnings = client.get(reverse("workbench:return_warnings") + f"?center={county.pk}")
    assert 'id="covers-to-replace"' in warnings.content.decode()


def test_first_half_year_setting(settings, county, department, windows):
    person = make_staff(Role.CLERK, county, department, username="p", window_staff=True)
    station(person, department, windows[0], D(2020, 1, 1))
    assert [v.rule for v in assignment_check(user=person, starts_on=D(2026, 3, 1))] == ["january"]
    settings.GOVHALL_ASSIGNMENT_CHANGES_FIRST_HALF = True
    assert assignment_check(user=person, starts_on=D(2026, 3, 1)) == []
    assert [v.rule for v in assignment_check(user=person, starts_on=D(2026, 8, 1))] == ["january"]


def test_authorizer_is_the_last_fallback(county, department):
    from govhall.staffing.models import Leave
    from govhall.staffing.models.leave import LeaveKind, LeaveStatus
    from govhall.staffing.queries.cover import posts_served_by, who_serves
    from govhall.testing.factories import PostFactory
    from govhall.testing.sign_in import signed_in

    base = timezone.make_aware(datetime.datetime(2025, 11, 3, 10, 0))  # a Monday
    a, b = (make_staff(Role.CLERK, county, department, username=n, window_staff=True) for n in "ab")
    head = make_staff(Role.WINDOW_HEAD, county, department, username="h", window_staff=True)
    authorizer = make_staff(Role.CLERK, county, department, username="auth")
    window = WindowFactory(center=county, head=head, authorizer=authorizer)
    post = PostFactory(window=window, a_staff=a, b_staff=b)
    signed_in(a, b, head, authorizer, at=base.replace(hour=8))
    assert who_serves(post, base).role == "a"
    for user in (a, b, head):
        Leave.objects.create(
            user=user,
            center=county,
            kind=LeaveKind.PERSONAL,
            starts_at=base - datetime.timedelta(hours=1),
            ends_at=base + datetime.timedelta(hours=1),
            reason="事",
            status=LeaveStatus.APPROVED,
        )
    serving = who_serves(post, base)
    assert serving.user == authorizer and serving.role == "authorizer"
    assert posts_served_by(authorizer, base) == [post]


def test_api_post_staff_goes_through_the_rules(
    client_as, county, department, director, windows, post
):
    newcomer = make_staff(Role.CLERK, county, department, username="newcomer", window_staff=True)
    station(newcomer, department, windows[1], timezone.localdate() - datetime.timedelta(days=60))
    url = f"/api/v1/staffing/rosters/posts/{post.pk}/staff"
    client = client_as(director)
    refused = client.put(url, {"a_staff": newcomer.pk}, content_type="application/json")
    assert refused.status_code == 422 and "override_reason" in refused.content.decode()
    done = client.put(
        url,
        {"a_staff": newcomer.pk, "override_reason": "业务需要"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["a_staff_id"] == newcomer.pk
