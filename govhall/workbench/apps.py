from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "govhall.workbench"
    label = "workbench"
    verbose_name = _("Staff workbench")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core.checks import Tags, register

        from govhall.workbench.account.middleware import check_otp_roles, start_session

        user_logged_in.connect(start_session, dispatch_uid="govhall.account.start_session")
        register(check_otp_roles, Tags.security)
