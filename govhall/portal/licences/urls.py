"""Public licence verification (issue 19 item 4): the address in a licence's QR code."""

from django.urls import URLPattern, path

from govhall.portal.licences import views

urlpatterns: list[URLPattern] = [
    path("licences/verify/<str:token>/", views.verify, name="licence_verify"),
]
