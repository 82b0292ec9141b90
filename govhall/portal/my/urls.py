"""My page of the online hall (我的办件, issue 19 item 3)."""

from django.urls import URLPattern, path

from govhall.portal.my import views

urlpatterns: list[URLPattern] = [
    path("my/", views.home, name="my_home"),
    path("my/cases/<int:case_id>/", views.case_detail, name="my_case"),
    path("my/messages/", views.messages, name="my_messages"),
    path("my/licences/<int:licence_id>/pdf/", views.licence_download, name="my_licence_pdf"),
    path("my/messages/<int:message_id>/", views.message_detail, name="my_message"),
    path(
        "my/appointments/<int:appointment_id>/cancel/",
        views.appointment_cancel,
        name="my_appointment_cancel",
    ),
]
