from django.urls import path

from govhall.workbench.assessment import files_views as views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("people/<int:user_id>/file/", views.person_file_page, name="person_file"),
    path("people/me/file/", views.my_file, name="my_person_file"),
    path("assessment/annual/", views.annual_page, name="assessment_annual"),
    path(
        "assessment/department-reports/",
        views.department_reports_page,
        name="assessment_department_reports",
    ),
    path(
        "assessment/department-reports/<int:department_id>/print/",
        views.department_report_print,
        name="assessment_department_report_print",
    ),
    path(
        "assessment/department-reports/<int:department_id>/report.xlsx",
        views.department_report_xlsx,
        name="assessment_department_report_xlsx",
    ),
    path(
        "assessment/department-reports/<int:department_id>/send/",
        views.department_report_send_view,
        name="assessment_department_report_send",
    ),
    path("assessment/covers/", views.flagged_covers_page, name="assessment_flagged_covers"),
]
