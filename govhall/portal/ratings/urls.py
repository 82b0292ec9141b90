"""Public rating pages (好差评, issue 15 item 1): rating a service through a link (QR code on a
ticket, SMS invitation, progress page, re-rating after a bad rating was followed up), and the
monthly rankings of windows and staff."""

from django.urls import URLPattern, path

from govhall.portal.ratings import views

urlpatterns: list[URLPattern] = [
    path("rate/<str:token>/", views.rate, name="rate"),
    path("rate/<str:token>/thanks/", views.rate_thanks, name="rate_thanks"),
    path("ratings/", views.rankings, name="ratings"),
]
