from django.contrib import admin
from django.urls import include, path

from govhall.api.main import api

urlpatterns = [
    path("", include("govhall.portal.urls")),
    path("staff/", include("govhall.workbench.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
