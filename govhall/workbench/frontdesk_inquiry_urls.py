"""Workbench pages of the front desk: inquirys (issue #4)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
