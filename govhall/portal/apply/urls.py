"""Applying online (网上申请, issue 19 item 2)."""

from django.urls import URLPattern, path

from govhall.portal.apply import views

urlpatterns: list[URLPattern] = [
    path("apply/items/<str:code>/", views.start, name="apply_start"),
    path("apply/bundles/<str:code>/", views.bundle_start, name="apply_bundle_start"),
    path("apply/<int:application_id>/", views.draft, name="apply_draft"),
    path("apply/<int:application_id>/discard/", views.discard, name="apply_discard"),
    path("apply/<int:application_id>/done/", views.done, name="apply_done"),
    path(
        "apply/<int:application_id>/files/<int:file_id>/",
        views.application_file,
        name="apply_file",
    ),
]
