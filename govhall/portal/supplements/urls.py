"""Supplements answered online and results delivered online (issue 19 item 2, helper C)."""

from django.urls import URLPattern, path

from govhall.portal.supplements import views

urlpatterns: list[URLPattern] = [
    path(
        "apply/cases/<int:case_id>/supplement/",
        views.supplement,
        name="apply_supplement",
    ),
    path("my/cases/<int:case_id>/results/", views.results, name="my_case_results"),
    path(
        "my/cases/<int:case_id>/notices/<int:notice_id>.pdf",
        views.notice_pdf_view,
        name="my_case_notice_pdf",
    ),
]
