"""Workbench pages of the front desk: appointments (issue #4)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
