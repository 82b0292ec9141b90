"""The public summary of on-time rates by department (issue 14 item 5)."""

from django.urls import URLPattern, path

from govhall.portal.ontime import views

urlpatterns: list[URLPattern] = [
    path("on-time/", views.on_time, name="on_time"),
]
