"""Public front-desk pages: appointments (issue #4)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
