from django.urls import path

from govhall.workbench.stats import reports

# Period reports (通报, issue 18 item 4); joined into the "workbench" namespace by
# workbench/urls.py.
urlpatterns = [
    path("stats/reports/", reports.report_list, name="stats_reports"),
    path("stats/reports/generate/", reports.report_generate, name="stats_report_generate"),
    path("stats/reports/<int:report_id>/", reports.report_page, name="stats_report"),
    path(
        "stats/reports/<int:report_id>/report.xlsx", reports.report_xlsx, name="stats_report_xlsx"
    ),
    path("stats/reports/<int:report_id>/report.pdf", reports.report_pdf, name="stats_report_pdf"),
]
