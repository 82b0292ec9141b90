"""API tokens: only the hash is stored, bearer auth (valid / revoked / wrong → 401), a token acts
with its user's scope, last use written at most once a minute, and `govhall api_token`."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from govhall.core.models import ApiToken, Event
from govhall.core.roles import Role
from govhall.core.tokens import api_token_create, api_token_revoke, authenticate, hash_key
from govhall.core.validation import Conflict
from govhall.testing.cases import bare_case
from govhall.testing.factories import UserFactory, make_staff

pytestmark = pytest.mark.django_db
# Any endpoint behind `[django_auth, ApiTokenAuth()]` that answers with the caller's scope.
CASES = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def system_user(county, department):
    """A service account of a department system: an approver of `department`."""
    return make_staff(Role.APPROVER, county, department, username="scjg_system")


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_create_stores_only_the_hash(system_user):
    token, key = api_token_create(actor=None, user=system_user, name="市场监管审批系统")
    assert key.startswith("gh_") and len(key) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key_hash == hash_key(key) and key not in {row.key_hash, row.prefix}
    assert key.startswith(row.prefix) and len(row.prefix) < len(key)
    event = Event.objects.for_object(row).get()
    assert event.action == "api_token.create" and key not in str(event.data)


def test_create_refuses_bad_input_and_non_admins(system_user, admin_user, director):
    with pytest.raises(ValidationError, match="name"):
        api_token_create(actor=None, user=system_user, name="  ")
    with pytest.raises(ValidationError, match="system administrator"):
        api_token_create(actor=director, user=system_user, name="x")
    inactive = UserFactory(username="gone", is_active=False)
    with pytest.raises(ValidationError, match="not active"):
        api_token_create(actor=None, user=inactive, name="x")
    assert ApiToken.objects.count() == 0
    root = UserFactory(username="root", is_superuser=True)
    api_token_create(actor=root, user=system_user, name="by root")
    assert ApiToken.objects.count() == 1


def test_authenticate_valid_wrong_revoked(system_user):
    token, key = api_token_create(actor=None, user=system_user, name="sys")
    assert authenticate(key) == system_user
    assert authenticate(key + "x") is None
    assert authenticate("") is None
    assert authenticate(hash_key(key)) is None  # the stored hash is not a key
    api_token_revoke(actor=None, token=token)
    assert authenticate(key) is None
    with pytest.raises(Conflict, match="already revoked"):
        api_token_revoke(actor=None, token=token)


def test_inactive_user_token_stops_working(system_user):
    _token, key = api_token_create(actor=None, user=system_user, name="sys")
    system_user.is_active = False
    system_user.save()
    assert authenticate(key) is None


def test_last_used_written_at_most_once_a_minute(system_user, django_assert_num_queries):
    token, key = api_token_create(actor=None, user=system_user, name="sys")
    with django_assert_num_queries(2):  # read + the first stamp
        authenticate(key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # read only: used less than a minute ago
        authenticate(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    authenticate(key)
    stamped = ApiToken.objects.get(pk=token.pk).last_used_at
    assert stamped is not None and stamped > first - datetime.timedelta(minutes=1)


def test_bearer_auth_on_the_api(client, system_user):
    _token, key = api_token_create(actor=None, user=system_user, name="sys")
    assert client.get(CASES).status_code == 401
    assert client.get(CASES, **bearer("gh_wrong")).status_code == 401
    assert client.get(CASES, HTTP_AUTHORIZATION=f"Basic {key}").status_code == 401
    ok = client.get(CASES, **bearer(key))
    assert ok.status_code == 200, ok.content
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    api_token_revoke(actor=None, token=token)
    assert client.get(CASES, **bearer(key)).status_code == 401


def test_token_acts_with_its_users_scope(client, county, other_county, system_user):
    """A token of another county's system sees none of this county's cases (404 on one case);
    the same request with this county's token sees it."""
    case = bare_case(county=county, department=system_user.staff.department, number="X1")
    outsider_system = make_staff(Role.DIRECTOR, other_county, username="other_system")
    _t, ours = api_token_create(actor=None, user=system_user, name="ours")
    _t, theirs = api_token_create(actor=None, user=outsider_system, name="theirs")
    listed = client.get(CASES, **bearer(ours)).json()
    assert [row["number"] for row in listed["items"]] == ["X1"]
    assert client.get(CASES, **bearer(theirs)).json()["count"] == 0
    assert client.get(f"{CASES}{case.pk}", **bearer(ours)).status_code == 200
    assert client.get(f"{CASES}{case.pk}", **bearer(theirs)).status_code == 404


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_create_list_revoke(system_user):
    out, err = run("create", "--user", "scjg_system", "--name", "审批系统")
    key = out.strip().splitlines()[0]
    assert authenticate(key) == system_user
    assert "cannot be shown again" in err
    token = ApiToken.objects.get()
    listing, _err = run("list")
    assert token.prefix in listing and "审批系统" in listing and key not in listing
    assert "active" in listing
    done, _err = run("revoke", str(token.pk))
    assert "revoked" in done and authenticate(key) is None
    listing, _err = run("list", "--user", "scjg_system")
    assert "revoked" in listing
    revoked_at = ApiToken.objects.get().revoked_at
    assert revoked_at is not None and revoked_at <= timezone.now()


def test_command_refuses_bad_input(system_user):
    with pytest.raises(CommandError, match="no user nobody") as raised:
        run("create", "--user", "nobody", "--name", "x")
    assert raised.value.returncode == 2
    with pytest.raises(CommandError, match="no single token"):
        run("revoke", "gh_nothing")
    assert ApiToken.objects.count() == 0
