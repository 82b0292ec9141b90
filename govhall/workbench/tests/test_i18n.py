"""Chinese by default, English on request, on staff and public pages alike."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_workbench_speaks_chinese_by_default_and_english_on_request(client_as, director):
    client = client_as(director)
    chinese = client.get("/staff/").content.decode()
    assert "首页" in chinese and "工作日历" in chinese

    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    english = client.get("/staff/").content.decode()
    assert "Working-day calendar" in english
    assert "工作日历" not in english


def test_portal_switches_language_with_the_cookie(client, county):
    assert "办事指南" in client.get("/guides/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Service guides" in client.get("/guides/").content.decode()
