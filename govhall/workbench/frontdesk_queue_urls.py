"""Workbench pages of the front desk: queues (issue #4)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
