"""The online hall's account pages (issue 19 item 1): sign-in, registration, reset, sign-out.

Helper A builds these out; `login` is the page `account_required` sends strangers to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/online/login.html", {})
