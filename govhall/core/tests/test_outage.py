"""A database or broker outage answers a clean 503 (issue 20): Chinese, Retry-After, no
traceback; an HTML page for pages, JSON for the API. The errors here are real: a connection to
a port where nothing listens, made through Django's own database wrapper and redis-py."""

from __future__ import annotations

import socket

import dj_database_url
import pytest
import redis
from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse
from django.urls import path
from kombu.exceptions import OperationalError as BrokerOperationalError

from govhall import urls as govhall_urls


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_down(request: HttpRequest) -> HttpResponse:
    url = f"postgres://govhall@127.0.0.1:{_closed_port()}/govhall"
    down = ConnectionHandler({"default": dj_database_url.parse(url)})["default"]
    down.ensure_connection()  # raises django.db.OperationalError: connection refused
    return HttpResponse("unreachable")


def _redis_down(request: HttpRequest) -> HttpResponse:
    redis.Redis(host="127.0.0.1", port=_closed_port(), socket_connect_timeout=1).ping()
    return HttpResponse("unreachable")


def _broker_down(request: HttpRequest) -> HttpResponse:
    raise BrokerOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _bug(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("outage/page/", _database_down),
    path("api/v1/outage/", _database_down),
    path("outage/redis/", _redis_down),
    path("api/v1/outage/broker/", _broker_down),
    path("outage/bug/", _bug),
    *govhall_urls.urlpatterns,  # the error pages link to the hall's pages
]
handler500 = "govhall.core.errors.server_error"

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture
def quiet_client(client):
    client.raise_request_exception = False
    return client


def test_a_page_answers_a_chinese_503_with_retry_after(quiet_client, settings):
    settings.GOVHALL_OUTAGE_RETRY_AFTER_SECONDS = 45
    response = quiet_client.get("/outage/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == "45"
    body = response.content.decode()
    assert "服务暂时不可用" in body
    assert "Traceback" not in body and "127.0.0.1" not in body and "refused" not in body


def test_the_api_answers_json(quiet_client):
    response = quiet_client.get("/api/v1/outage/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    assert "服务暂时不可用" in response.json()["detail"]
    broker = quiet_client.get("/api/v1/outage/broker/")
    assert broker.status_code == 503 and set(broker.json()) == {"detail"}


def test_redis_unreachable_is_an_outage_too(quiet_client):
    assert quiet_client.get("/outage/redis/").status_code == 503


class _SessionStoreDown:
    """A middleware that reads the database before any view, as the session middleware does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _database_down(request)
        return self.get_response(request)


def test_an_outage_met_in_a_middleware_is_a_503_as_well(quiet_client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}._SessionStoreDown"]
    response = quiet_client.get("/outage/bug/")
    assert response.status_code == 503 and response["Retry-After"]
    assert "服务暂时不可用" in response.content.decode()


def test_a_bug_is_still_a_500(quiet_client, caplog):
    response = quiet_client.get("/outage/bug/")
    assert response.status_code == 500
    assert "a bug" not in response.content.decode()
