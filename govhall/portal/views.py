from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    return redirect("portal:guides")


def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/guide_list.html", {})


def guide_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "portal/guide_detail.html", {})
