from django.urls import path

from govhall.portal import appointment_urls, queue_urls, views, views_progress

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/<str:code>/", views.guide_detail, name="guide"),
    path("progress/", views_progress.progress, name="progress"),
    *queue_urls.urlpatterns,
    *appointment_urls.urlpatterns,
]
