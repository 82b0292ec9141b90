"""Public complaint pages (投诉, issue 15 item 2)."""

from django.urls import URLPattern, path

from govhall.portal.complaints import views

urlpatterns: list[URLPattern] = [
    path("complaints/", views.centers, name="complaints"),
    path("complaints/c/<str:code>/", views.complaint_new, name="complaint_new"),
    path("complaints/follow/<str:token>/", views.complaint_follow, name="complaint_follow"),
]
