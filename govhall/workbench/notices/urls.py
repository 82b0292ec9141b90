"""Workbench pages of the hall notices (公告, issue 18 item 5)."""

from django.urls import path

from govhall.workbench.notices import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("frontdesk/notices/", views.notices, name="notices"),
    path("frontdesk/notices/new/", views.notice_new, name="notice_new"),
    path("frontdesk/notices/<int:notice_id>/", views.notice_edit, name="notice"),
    path("frontdesk/notices/<int:notice_id>/delete/", views.notice_remove, name="notice_delete"),
]
