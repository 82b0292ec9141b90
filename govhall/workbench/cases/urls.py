from django.urls import path

from govhall.workbench.cases import agency, prereview, views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/inbox/", views.case_inbox, name="case_inbox"),
    path("cases/agency/", agency.agency_cases, name="agency_cases"),
    path("cases/export.xlsx", views.case_export, name="case_export"),
    path("cases/new/", views.case_intake, name="case_intake"),
    path("cases/new/items/", views.intake_items, name="case_intake_items"),
    path("cases/new/proposal/", views.intake_proposal, name="case_intake_proposal"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/agency/", agency.agency_set, name="case_agency"),
    path("cases/<int:case_id>/agency/letter", agency.agency_letter_file, name="case_agency_letter"),
    path(
        "cases/<int:case_id>/agency/letter/upload",
        agency.agency_letter_upload,
        name="case_agency_letter_upload",
    ),
    path("cases/<int:case_id>/actions/<str:action>/", views.case_action, name="case_action"),
    path(
        "cases/<int:case_id>/notices/<int:notice_id>/",
        views.notice_print,
        name="case_notice",
    ),
    path(
        "cases/<int:case_id>/notices/<int:notice_id>/pdf",
        views.notice_pdf_download,
        name="case_notice_pdf",
    ),
    path(
        "cases/<int:case_id>/notices/<int:notice_id>/confirm/",
        views.notice_confirm_view,
        name="case_notice_confirm",
    ),
    path(
        "cases/<int:case_id>/joint-tasks/<int:task_id>/complete/",
        views.joint_task_complete_view,
        name="case_joint_task",
    ),
    path(
        "cases/<int:case_id>/joint-meetings/", views.joint_meeting_view, name="case_joint_meeting"
    ),
    path(
        "cases/<int:case_id>/joint-proposals/",
        views.joint_proposal_view,
        name="case_joint_proposal",
    ),
    path("cases/<int:case_id>/fees/", views.fee_record_view, name="case_fee"),
    # issue 19: 同步预审 per department, and the files uploaded online (logged)
    path(
        "cases/<int:case_id>/prereview-tasks/<int:task_id>/",
        prereview.prereview_task_view,
        name="case_prereview_task",
    ),
    path(
        "cases/<int:case_id>/materials/<int:material_id>/file",
        prereview.case_material_file,
        name="case_material_file",
    ),
    path("outbox/", views.outbox, name="outbox"),
]
