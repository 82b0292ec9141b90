from django.urls import URLPattern, path

from govhall.workbench.licences import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns: list[URLPattern] = [
    path("licences/", views.licence_list, name="licences"),
    path("licences/<int:licence_id>/pdf", views.licence_pdf_download, name="licence_pdf"),
    path("licences/<int:licence_id>/revoke/", views.licence_revoke_view, name="licence_revoke"),
]
