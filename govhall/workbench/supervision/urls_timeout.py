from django.urls import path

from govhall.workbench.supervision import views_timeout

# Cases passed by timeout default (issue 14 item 4); joined into the "workbench" namespace by
# workbench/urls.py.
urlpatterns = [
    path("supervision/timeout-defaults/", views_timeout.timeout_defaults, name="timeout_defaults"),
]
