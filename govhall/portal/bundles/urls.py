"""一件事一次办 bundle guides (issue 19 item 5)."""

from django.urls import URLPattern, path

from govhall.portal.bundles import views

urlpatterns: list[URLPattern] = [
    path("guides/bundles/<str:code>/", views.bundle_guide, name="bundle_guide"),
]
