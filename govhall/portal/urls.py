from django.urls import path

from govhall.portal import views
from govhall.portal.apply import urls as apply_urls
from govhall.portal.appointments import urls as appointment_urls
from govhall.portal.bundles import urls as bundle_urls
from govhall.portal.complaints import urls as complaint_urls
from govhall.portal.disclosure import urls as disclosure_urls
from govhall.portal.licences import urls as licence_urls
from govhall.portal.my import urls as my_urls
from govhall.portal.online import urls as online_urls
from govhall.portal.ontime import urls as ontime_urls
from govhall.portal.progress import views as views_progress
from govhall.portal.queue import urls as queue_urls
from govhall.portal.rating_screen import urls as rating_screen_urls
from govhall.portal.ratings import urls as rating_urls
from govhall.portal.screen import urls as screen_urls
from govhall.portal.supplements import urls as supplement_urls
from govhall.portal.voice import urls as voice_urls

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="guides"),
    *bundle_urls.urlpatterns,  # before guides/<code>/ (issue 19 item 5)
    path("guides/<str:code>/", views.guide_detail, name="guide"),
    path(
        "guides/<str:code>/materials/<int:material_id>/<slug:slot>/",
        views.guide_material_file,
        name="guide_material_file",
    ),
    path("progress/", views_progress.progress, name="progress"),
    *queue_urls.urlpatterns,
    *appointment_urls.urlpatterns,
    *ontime_urls.urlpatterns,
    *rating_urls.urlpatterns,
    *rating_screen_urls.urlpatterns,
    *screen_urls.urlpatterns,
    *voice_urls.urlpatterns,
    *complaint_urls.urlpatterns,
    *disclosure_urls.urlpatterns,
    *licence_urls.urlpatterns,
    *online_urls.urlpatterns,
    *my_urls.urlpatterns,
    *apply_urls.urlpatterns,
    *supplement_urls.urlpatterns,
]
