"""Our own error pages (issue 17 item 11): Chinese 403/404/500 and CSRF-failure pages in the
site's look, on the staff side and the public side, with DEBUG off as in production; the 500
page renders without a request context or the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from govhall import urls as site_urls
from govhall.core.errors import server_error
from govhall.testing.page_text import visible_text


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a forged request")


# This module is the address book of the tests marked urls(__name__): the site plus two views.
urlpatterns = [
    path("boom/", _boom),
    path("staff/boom/", _boom),
    path("forbidden/", _forbidden),
    path("staff/forbidden/", _forbidden),
    path("bad/", _suspicious),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500

STYLESHEET = "govhall/govhall.css"


def _page(response: HttpResponse) -> str:
    return response.content.decode()


def _looks_like_ours(html: str, *, staff: bool) -> None:
    assert STYLESHEET in html and 'class="portal-top"' in html
    assert "govhall" not in visible_text(html)
    assert ("/staff/" in html) is staff  # the way back leads to the right side


@pytest.fixture(autouse=True)
def _production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("prefix", ["", "/staff"])
def test_a_server_error_shows_our_chinese_page(prefix):
    response = Client(raise_request_exception=False).get(f"{prefix}/boom/")
    assert response.status_code == 500
    html = _page(response)
    assert "服务器" in html and "Server Error" not in html
    _looks_like_ours(html, staff=bool(prefix))


def test_the_500_page_needs_no_database(django_db_blocker):
    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/staff/cases/"))
    assert response.status_code == 500
    _looks_like_ours(_page(response), staff=True)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_forbidden_shows_our_chinese_page(client_as, director):
    html = _page(Client().get("/forbidden/"))
    assert "无权" in html and "403 Forbidden" not in html
    _looks_like_ours(html, staff=False)
    response = client_as(director).get("/staff/forbidden/")
    assert response.status_code == 403
    _looks_like_ours(_page(response), staff=True)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_bad_request_shows_our_chinese_page():
    response = Client().get("/bad/")
    assert response.status_code == 400
    html = _page(response)
    assert "请求" in html and "Bad Request" not in html
    _looks_like_ours(html, staff=False)


@pytest.mark.django_db
def test_not_found_shows_our_chinese_page_on_both_sides(client_as, director):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = _page(response)
    assert "页面不存在" in html and "Not Found" not in html
    _looks_like_ours(html, staff=False)
    response = client_as(director).get("/staff/cases/99999999/")
    assert response.status_code == 404
    _looks_like_ours(_page(response), staff=True)


@pytest.mark.django_db
def test_not_found_in_english(client):
    client.cookies["django_language"] = "en"
    html = _page(client.get("/no-such-page/", headers={"accept-language": "en"}))
    assert "Page not found" in html and "页面不存在" not in html


@pytest.mark.django_db
def test_an_expired_form_shows_our_chinese_page(director):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = _page(response)
    assert "表单已过期" in html and "CSRF verification failed" not in html
    _looks_like_ours(html, staff=True)
