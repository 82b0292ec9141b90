"""Online hall accounts (issue 19 item 1): citizens and enterprises, their sign-in sessions
(separate from staff sessions), SMS codes, and the agents (经办人) acting for an enterprise."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Applicant
from govhall.core.models import TimeStampedModel


class AccountKind(models.TextChoices):
    PERSON = "person", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise")


class ApplicantAccount(TimeStampedModel):
    """An account of the online hall. A citizen signs in with the mobile number (or ID number);
    an enterprise with its unified social credit code. `password` is a Django password hash.
    Once verified the account is linked to the `Applicant` of the same ID number or USCC and
    sees that applicant's cases, wherever they were received."""

    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    phone = models.CharField(_("mobile phone"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number / unified social credit code"), max_length=18)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    password = models.CharField(_("password"), max_length=128)
    applicant = models.ForeignKey(
        Applicant,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="online_accounts",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    failed_logins = models.PositiveSmallIntegerField(_("failed sign-ins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("online account")
        verbose_name_plural = _("online accounts")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="online_account_id_unique"),
            models.UniqueConstraint(
                fields=["phone"], condition=Q(kind="person"), name="online_account_phone_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "enterprise"]), name="online_account_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["phone"], name="online_account_phone_idx")]

    def __str__(self) -> str:
        return self.name


class EnterpriseAgent(models.Model):
    """A citizen account allowed to act for an enterprise account (经办人)."""

    enterprise = models.ForeignKey(
        ApplicantAccount, on_delete=models.CASCADE, related_name="agents"
    )
    person = models.ForeignKey(ApplicantAccount, on_delete=models.CASCADE, related_name="agent_for")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise", "added_at", "id"]
        verbose_name = _("enterprise agent")
        verbose_name_plural = _("enterprise agents")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "person"],
                condition=Q(removed_at__isnull=True),
                name="enterprise_agent_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.enterprise_id}"


class AccountSession(models.Model):
    """A signed-in browser of an online account: the cookie holds a random key, only its hash
    is stored. Staff sessions (django.contrib.sessions) never see these, and the other way
    round. `acting_for` is the enterprise an agent chose to act for."""

    account = models.ForeignKey(ApplicantAccount, on_delete=models.CASCADE, related_name="sessions")
    acting_for = models.ForeignKey(
        ApplicantAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"))
    expires_at = models.DateTimeField(_("expires at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("online session")
        verbose_name_plural = _("online sessions")
        indexes = [models.Index(fields=["account", "ended_at"], name="online_session_acct_idx")]

    def __str__(self) -> str:
        return f"session {self.pk}"


class SmsPurpose(models.TextChoices):
    REGISTER = "register", _("Registration")
    LOGIN = "login", _("Sign-in")
    RESET = "reset", _("Password reset")


class SmsCode(models.Model):
    """A one-time code sent by SMS (through the notification adapter). Only its hash is kept;
    it expires, allows a few attempts and is used once."""

    phone = models.CharField(_("mobile phone"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=16, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [
            models.Index(fields=["phone", "purpose", "created_at"], name="sms_code_phone_idx")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.pk}"
