"""The online hall's own sessions: a cookie of its own, idle expiry, never a staff session."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from govhall.online.access.sessions import session_for_key
from govhall.online.services.sessions import session_end, session_start
from govhall.portal.online.session import OnlineSessionMiddleware, account_required
from govhall.testing.online import make_account, sign_in_online

pytestmark = pytest.mark.django_db


def test_a_session_is_found_by_its_key_until_it_ends_or_idles_out() -> None:
    account = make_account()
    started = timezone.now()
    session, raw_key = session_start(account=account, at=started)
    assert session.key_hash != raw_key
    assert session_for_key(raw_key, at=started) == session
    idle = datetime.timedelta(minutes=settings.GOVHALL_ONLINE_SESSION_IDLE_MINUTES)
    assert session_for_key(raw_key, at=started + idle + datetime.timedelta(seconds=1)) is None
    session_end(session=session)
    assert session_for_key(raw_key, at=started) is None
    assert session_for_key("not-a-key") is None


def test_a_locked_out_account_has_no_session() -> None:
    account = make_account()
    _session, raw_key = session_start(account=account)
    account.is_active = False
    account.save(update_fields=["is_active"])
    assert session_for_key(raw_key) is None


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"hello {request.online_account.name}")  # type: ignore[attr-defined]


def test_account_required_sends_strangers_to_sign_in_and_lets_the_account_in(
    client: Client,
) -> None:
    account = make_account(name="李四")
    factory = RequestFactory()
    view = OnlineSessionMiddleware(account_required(_page))
    anonymous = view(factory.get("/my/"))
    assert anonymous.status_code == 302
    assert "next=%2Fmy%2F" in anonymous["Location"]
    _session, raw_key = session_start(account=account)
    request = factory.get("/my/")
    request.COOKIES[settings.GOVHALL_ONLINE_COOKIE_NAME] = raw_key
    assert view(request).content.decode() == "hello 李四"


def test_an_online_sign_in_is_not_a_staff_sign_in(client: Client) -> None:
    sign_in_online(client, make_account())
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/login" in response["Location"] or "login" in response["Location"]
