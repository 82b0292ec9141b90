"""The window's rating screen (评价器, issue 15 item 1): the tablet's page, its live stream, the
rating it posts, and the pairing page."""

from django.urls import URLPattern, path

from govhall.portal.rating_screen import views

urlpatterns: list[URLPattern] = [
    path("rating-screen/", views.screen, name="rating_screen"),
    path("rating-screen/pair/", views.pair, name="rating_screen_pair"),
    path("rating-screen/stream", views.screen_stream, name="rating_screen_stream"),
    path("rating-screen/state.json", views.screen_state_json, name="rating_screen_state"),
    path("rating-screen/rate", views.rate, name="rating_screen_rate"),
]
