from django.urls import path

from govhall.workbench.assessment import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("assessment/", views.month_page, name="assessment"),
    path("assessment/month.xlsx", views.month_xlsx_download, name="assessment_xlsx"),
    path("assessment/month.pdf", views.month_pdf_download, name="assessment_pdf"),
    path("assessment/mine/", views.my_sheets, name="assessment_mine"),
    path("assessment/feedback/", views.quarter_feedback_page, name="assessment_feedback"),
    path("assessment/weights/", views.weights_page, name="assessment_weights"),
    path("assessment/year-close/", views.year_close, name="assessment_year_close"),
    path("assessment/sheets/<int:sheet_id>/", views.sheet_page, name="assessment_sheet"),
    path(
        "assessment/sheets/<int:sheet_id>/entries/",
        views.sheet_entry,
        name="assessment_sheet_entry",
    ),
    path(
        "assessment/sheets/<int:sheet_id>/action/",
        views.sheet_action,
        name="assessment_sheet_action",
    ),
    path(
        "assessment/sheets/<int:sheet_id>/marks/",
        views.sheet_mark,
        name="assessment_sheet_mark",
    ),
]
