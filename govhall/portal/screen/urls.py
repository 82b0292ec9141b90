"""The big screen (大屏, issue 18 item 3): the page, its live stream and its JSON fallback."""

from django.urls import URLPattern, path

from govhall.portal.screen import views

urlpatterns: list[URLPattern] = [
    path("screen/<str:code>/", views.screen, name="screen"),
    path("screen/<str:code>/stream", views.screen_stream, name="screen_stream"),
    path("screen/<str:code>/state.json", views.screen_state_json, name="screen_state"),
]
