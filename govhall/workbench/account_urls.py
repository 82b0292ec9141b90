from django.urls import path

from govhall.workbench import views_account

urlpatterns = [
    path(
        "account/password/",
        views_account.PasswordChangeView.as_view(),
        name="account_password",
    ),
    path("account/two-step/", views_account.otp_setup, name="account_otp_setup"),
    path("account/two-step/verify/", views_account.otp_verify, name="account_otp_verify"),
    path("account/logins/", views_account.login_history, name="account_logins"),
    path(
        "staff/<int:staff_id>/two-step/",
        views_account.otp_reset_page,
        name="account_otp_reset",
    ),
    path(
        "staff/<int:staff_id>/two-step/reset/",
        views_account.otp_reset,
        name="account_otp_reset_do",
    ),
]
