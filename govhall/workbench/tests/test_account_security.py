"""Issue 12 items 3 (login lockout) and 8 (passwords, sessions, second factor, login history)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from govhall.core.models import Event, User
from govhall.org.services.staff import staff_create
from govhall.testing.factories import PASSWORD
from govhall.workbench.account.middleware import SEEN_KEY, TOUCH_SECONDS, check_otp_roles

LOGIN = reverse("workbench:login")
HOME = reverse("workbench:home")
PASSWORD_PAGE = reverse("workbench:account_password")
OTP_SETUP = reverse("workbench:account_otp_setup")
OTP_VERIFY = reverse("workbench:account_otp_verify")
LOGINS = reverse("workbench:account_logins")


def form_login(
    client: Client, username: str, password: str, address: str = "10.0.0.1", url: str = LOGIN
):  # type: ignore[no-untyped-def]
    return client.post(
        url,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT="pytest-browser/1.0",
    )


def totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# --- item 3: lockout per account and per address, staff login and /admin/ -------------------


def test_account_locked_after_the_failure_limit_from_any_address(client, director, settings):
    limit = settings.GOVHALL_LOGIN_FAILURE_LIMIT
    statuses = [
        form_login(client, "director", "wrong-pw", address=f"10.0.1.{n}").status_code
        for n in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429]  # the failure that reaches the limit locks
    # The right password, from a fresh address: the account is locked.
    response = form_login(client, "director", PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert 'id="login-locked"' in html and "锁定" in html
    # Another account from that address is not affected.
    other = Client()
    assert form_login(other, "director", PASSWORD, address="10.0.3.1").status_code == 429
    assert "_auth_user_id" not in other.session


def test_address_locked_after_the_failure_limit_for_any_account(client, director, clerk, settings):
    limit = settings.GOVHALL_LOGIN_FAILURE_LIMIT
    for n in range(limit):
        form_login(client, f"nobody{n}", "wrong-pw", address="10.0.9.9")
    assert form_login(client, "clerk", PASSWORD, address="10.0.9.9").status_code == 429
    assert "_auth_user_id" not in client.session
    # The same account from another address logs in.
    response = form_login(Client(), "clerk", PASSWORD, address="10.0.9.10")
    assert response.status_code == 302


def test_below_the_limit_a_success_resets_the_count(client, director, settings):
    limit = settings.GOVHALL_LOGIN_FAILURE_LIMIT
    for _ in range(limit - 1):
        form_login(client, "director", "wrong-pw")
    assert form_login(client, "director", PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        form_login(client, "director", "wrong-pw")
    assert form_login(client, "director", PASSWORD).status_code == 302


def test_admin_login_is_locked_too(client, admin_user, settings):
    User.objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for _ in range(settings.GOVHALL_LOGIN_FAILURE_LIMIT - 1):
        assert form_login(client, "sysadmin", "wrong-pw", url=admin_login).status_code == 200
    assert form_login(client, "sysadmin", "wrong-pw", url=admin_login).status_code == 429
    response = form_login(client, "sysadmin", PASSWORD, url=admin_login)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock holds on the staff login as well: it is the account that is locked.
    assert form_login(Client(), "sysadmin", PASSWORD, address="10.7.7.7").status_code == 429


@pytest.mark.parametrize("url", [reverse("workbench:login"), reverse("admin:login")])
def test_an_over_long_user_name_is_a_failed_login_not_a_server_error(client, director, url):
    # django-axes records the name in a 255-character column: on PostgreSQL a 5,000-character
    # name once ended in a server error there.
    response = form_login(client, "d" * 5000, "wrong-pw", url=url)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- item 8: password rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),  # shorter than 10
        ("zhangsan-Secure#2026", "password_contains_username"),  # contains the username
        ("Zhangsan2026", "password_too_similar"),  # like the username
        ("1234567890123", "password_entirely_numeric"),
        ("qwertyuiop", "password_too_common"),
        ("onlylowercaseletters", "password_too_simple"),  # one kind of character
    ],
)
def test_password_rules_refuse(db, password, code):
    user = User(username="zhangsan", full_name="张三")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert code in {error.code for error in refused.value.error_list}


def test_a_good_password_passes(db):
    validate_password("Lantern-Harbor-58", User(username="zhangsan"))


def test_staff_create_refuses_a_weak_password_with_messages(county, director):
    with pytest.raises(ValidationError) as refused:
        staff_create(
            actor=director,
            center=county,
            username="wangwu",
            full_name="王五",
            roles=["guide"],
            password="wangwu123456",
        )
    messages = " ".join(refused.value.message_dict["password"])
    assert "用户名" in messages
    assert not User.objects.filter(username="wangwu").exists()


# --- own password change, expiry ------------------------------------------------------------


def test_staff_change_their_own_password_and_the_date_is_stamped(client_as, clerk):
    client = client_as(clerk)
    old_stamp = timezone.now() - datetime.timedelta(days=10)
    User.objects.filter(pk=clerk.pk).update(password_changed_at=old_stamp)
    page = client.get(HOME)
    assert PASSWORD_PAGE.encode() in page.content  # linked from the top bar
    refused = client.post(
        PASSWORD_PAGE,
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert refused.status_code == 200 and "太短" in refused.content.decode()
    response = client.post(
        PASSWORD_PAGE,
        {
            "old_password": PASSWORD,
            "new_password1": "Lantern-Harbor-58",
            "new_password2": "Lantern-Harbor-58",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Lantern-Harbor-58")
    assert clerk.password_changed_at > old_stamp + datetime.timedelta(days=9)
    assert Event.objects.filter(action="user.change_password", object_id=str(clerk.pk)).exists()
    # Still logged in (the session follows the new password).
    assert client.get(HOME).status_code == 200


def test_password_set_anywhere_stamps_the_date(county, director):
    user = staff_create(
        actor=director,
        center=county,
        username="zhaoliu",
        full_name="赵六",
        roles=["guide"],
        password="Harbor-Lights-77",
    )
    assert user.password_changed_at is not None
    User.objects.filter(pk=user.pk).update(password_changed_at=None)
    user.refresh_from_db()
    user.set_password("Other-Harbor-88")
    user.save(update_fields=["password"])
    user.refresh_from_db()
    assert user.password_changed_at is not None


def test_expired_password_forces_the_change_page(client_as, clerk, settings):
    User.objects.filter(pk=clerk.pk).update(
        password_changed_at=timezone.now()
        - datetime.timedelta(days=settings.GOVHALL_PASSWORD_MAX_AGE_DAYS + 1)
    )
    client = client_as(clerk)
    response = client.get(reverse("workbench:cases"))
    assert response.status_code == 302
    assert response["Location"].startswith(PASSWORD_PAGE)
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'id="password-change"' in page.content.decode()
    assert 'id="sidenav"' not in page.content.decode()
    client.post(
        PASSWORD_PAGE,
        {
            "old_password": PASSWORD,
            "new_password1": "Lantern-Harbor-58",
            "new_password2": "Lantern-Harbor-58",
        },
    )
    assert client.get(reverse("workbench:cases")).status_code == 200


def test_an_expired_password_cannot_be_kept(client_as, clerk):
    client = client_as(clerk)
    response = client.post(
        PASSWORD_PAGE,
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors


# --- sessions -------------------------------------------------------------------------------


def test_session_ends_after_inactivity(client_as, clerk, settings):
    assert settings.SESSION_COOKIE_AGE == settings.GOVHALL_SESSION_IDLE_MINUTES * 60
    client = client_as(clerk)
    key = client.session.session_key
    # A request (a minute or more after the last push) pushes the expiry forward by the idle time.
    stored = SessionStore(session_key=key)
    stored[SEEN_KEY] -= TOUCH_SECONDS
    stored.save()
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=60)
    )
    assert client.get(HOME).status_code == 200
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # Idle longer than that: logged out.
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- second factor --------------------------------------------------------------------------


@pytest.fixture
def otp_required(settings):  # type: ignore[no-untyped-def]
    settings.GOVHALL_OTP_REQUIRED_ROLES = ["admin", "director"]


def test_director_enrolls_then_reaches_the_workbench(client, director, otp_required):
    assert form_login(client, "director", PASSWORD).status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(OTP_SETUP)
    assert client.get(reverse("workbench:cases")).status_code == 302
    page = client.get(OTP_SETUP)
    html = page.content.decode()
    assert 'id="otp-qr"' in html and "data:image/svg+xml" in html and 'id="otp-secret"' in html
    assert 'id="sidenav"' not in html  # no menu before the second step
    device = TOTPDevice.objects.get(user=director, confirmed=False)
    wrong = client.post(OTP_SETUP, {"token": "000000" if totp_now(device) != "000000" else "1"})
    assert wrong.status_code == 200 and client.get(HOME).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second
    done = client.post(OTP_SETUP, {"token": totp_now(device), "next": HOME})
    assert done.status_code == 302 and done["Location"] == HOME
    assert client.get(HOME).status_code == 200
    assert TOTPDevice.objects.get(user=director).confirmed
    assert Event.objects.filter(action="user.enroll_otp", object_id=str(director.pk)).exists()


def test_director_with_an_app_must_give_the_code(client, director, otp_required):
    device = TOTPDevice.objects.create(user=director, name="phone", confirmed=True)
    form_login(client, "director", PASSWORD)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(OTP_VERIFY)
    # The API does not take the half-logged-in session either.
    assert client.get("/api/v1/org/centers").status_code == 401
    wrong = client.post(OTP_VERIFY, {"token": "12345x"})
    assert wrong.status_code == 200 and client.get(HOME).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(OTP_VERIFY, {"token": totp_now(device)}).status_code == 302
    assert client.get(HOME).status_code == 200


def test_second_factor_is_off_by_default_outside_production(client, director, settings):
    assert settings.GOVHALL_OTP_REQUIRED_ROLES == []
    form_login(client, "director", PASSWORD)
    assert client.get(HOME).status_code == 200


def test_optional_for_a_clerk_but_asked_once_enrolled(client, clerk, otp_required):
    form_login(client, "clerk", PASSWORD)
    assert client.get(HOME).status_code == 200
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    fresh = Client()
    form_login(fresh, "clerk", PASSWORD)
    assert fresh.get(HOME)["Location"].startswith(OTP_VERIFY)


def test_admin_resets_a_lost_authenticator(client_as, admin_user, director, otp_required):
    TOTPDevice.objects.create(user=director, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client = client_as(admin_user)
    device = TOTPDevice.objects.get(user=admin_user)
    client.post(OTP_VERIFY, {"token": totp_now(device)})
    url = reverse("workbench:account_otp_reset_do", args=[director.staff.pk])
    assert client.post(url, {"reason": "手机丢失"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=director).exists()
    assert Event.objects.filter(action="user.reset_otp", object_id=str(director.pk)).exists()


def test_a_clerk_cannot_reset_someone_elses_authenticator(client_as, clerk, director):
    TOTPDevice.objects.create(user=director, name="phone", confirmed=True)
    url = reverse("workbench:account_otp_reset_do", args=[director.staff.pk])
    assert client_as(clerk).post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=director).exists()


# --- login history --------------------------------------------------------------------------


def test_login_history_lists_the_users_own_logins_only(client, director, clerk):
    form_login(client, "director", "wrong-pw", address="10.1.1.1")
    form_login(Client(), "clerk", PASSWORD, address="10.2.2.2")
    form_login(Client(), "clerk", "wrong-pw", address="10.2.2.3")
    assert form_login(client, "director", PASSWORD, address="10.1.1.2").status_code == 302
    page = client.get(LOGINS)
    html = page.content.decode()
    assert page.status_code == 200
    assert LOGINS.encode() in client.get(HOME).content  # linked from the top bar
    assert "10.1.1.1" in html and "10.1.1.2" in html and "pytest-browser/1.0" in html
    assert html.count('class="login-ok"') == 1 and html.count('class="login-failed"') == 1
    assert "10.2.2.2" not in html and "10.2.2.3" not in html


def test_a_misspelt_otp_role_fails_the_system_checks(settings):
    settings.GOVHALL_OTP_REQUIRED_ROLES = ["admin", "directr"]
    assert [message.id for message in check_otp_roles()] == ["govhall.E001"]
    settings.GOVHALL_OTP_REQUIRED_ROLES = ["admin", "director"]
    assert check_otp_roles() == []


def test_a_password_alone_cannot_enroll_a_new_authenticator(client, director, otp_required):
    TOTPDevice.objects.create(user=director, name="phone", confirmed=True)
    form_login(client, "director", PASSWORD)
    response = client.get(OTP_SETUP)
    assert response.status_code == 302 and response["Location"].startswith(OTP_VERIFY)
    # A crafted enrollment with a code of an authenticator the attacker made is refused too.
    attacker = TOTPDevice.objects.create(user=director, name="attacker", confirmed=False)
    response = client.post(OTP_SETUP, {"token": totp_now(attacker)})
    assert response.status_code == 302 and response["Location"].startswith(OTP_VERIFY)
    attacker.refresh_from_db()
    assert not attacker.confirmed
    assert client.get(HOME).status_code == 302
