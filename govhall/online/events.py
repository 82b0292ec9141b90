"""Every event name the online hall writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `OnlineConfig.ready()`.

Helpers add their names here, each block under its item."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineEvent(models.TextChoices):
    # Accounts (issue 19 item 1)
    ACCOUNT_REGISTER = "account.register", _("Online account registered")
    ACCOUNT_VERIFY = "account.verify", _("Online account verified")
    ACCOUNT_LOGIN = "account.login", _("Signed in to the online hall")
    ACCOUNT_LOGIN_FAIL = "account.fail_login", _("Failed sign-in to the online hall")
    ACCOUNT_LOCK = "account.lock", _("Online account locked")
    ACCOUNT_LOGOUT = "account.logout", _("Signed out of the online hall")
    ACCOUNT_RESET_PASSWORD = "account.reset_password", _("Online account password reset")
    AGENT_ADD = "enterprise_agent.add", _("Agent added to an enterprise")
    AGENT_REMOVE = "enterprise_agent.remove", _("Agent removed from an enterprise")
    ACCOUNT_LINK = "account.link", _("Online account linked to its applicant")
    ACCOUNT_SEND_CODE = "account.send_code", _("Verification code sent")
    ACCOUNT_UNLOCK = "account.unlock", _("Online account unlocked")
    ACCOUNT_ACT_FOR = "account.act_for", _("Agent acts for an enterprise")
    ACCOUNT_END_OTHER_SESSIONS = "account.end_other_sessions", _("Other devices signed out")
    # Online applications (issue 19 item 2)
    APPLICATION_SAVE = "online_application.save", _("Online application draft saved")
    APPLICATION_SUBMIT = "online_application.submit", _("Online application submitted")
    APPLICATION_DISCARD = "online_application.discard", _("Online application draft discarded")
    FILE_UPLOAD = "application_file.upload", _("Material uploaded online")
    FILE_REMOVE = "application_file.remove", _("Uploaded material removed")
    # Issue 19 item 4 (helper E): a material from the library or a licence instead of a file
    MATERIAL_REUSE = (
        "application_file.reuse",
        _("Material taken from the library or an electronic licence"),
    )
    # Supplements and results online (issue 19 item 2, helper C)
    SUPPLEMENT_SUBMIT = "case_supplement.submit", _("Supplement uploaded online")
    DELIVERY_CHOOSE = "case_delivery.choose", _("Applicant chose how to receive the result")
    RESULT_DOWNLOAD = "case_result.download", _("Notice downloaded by the applicant")
    # My page (issue 19 item 3)
    MESSAGE_READ = "account_message.read", _("Message read by the applicant")
