"""Forms of the online hall's account pages (issue 19 item 1). They only carry the input: every
rule (ID number, USCC, phone, code, password, duplicates) is the services' (online.services.
accounts), whose refusals the views put back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govhall.portal.forms import ID_NUMBER_INPUT, PHONE_INPUT

TEL = PHONE_INPUT  # the phone keyboards of the portal (issue 17 item 9): one home
CODE = {"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
NEW_PASSWORD = {"autocomplete": "new-password"}


class PasswordLoginForm(forms.Form):
    login = forms.CharField(
        label=_("Mobile number, ID number or unified social credit code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SmsLoginForm(forms.Form):
    login = forms.CharField(
        label=_("Mobile number, ID number or unified social credit code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs=CODE),
    )


class _NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs=NEW_PASSWORD),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs=NEW_PASSWORD),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = gettext(
            "At least %(count)d characters mixing %(classes)d of: lower-case letters, "
            "upper-case letters, digits and other characters."
        ) % {
            "count": int(settings.GOVHALL_PASSWORD_MIN_LENGTH),
            "classes": int(settings.GOVHALL_PASSWORD_MIN_CLASSES),
        }

    def passwords_match(self) -> bool:
        if self.cleaned_data.get("password") != self.cleaned_data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
            return False
        return True


class PersonRegisterForm(_NewPasswordForm):
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, widget=forms.TextInput(TEL))
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs=CODE),
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(ID_NUMBER_INPUT),
    )

    field_order = ["phone", "code", "name", "id_number", "password", "password2"]


class EnterpriseRegisterForm(_NewPasswordForm):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    name = forms.CharField(label=_("Enterprise name"), max_length=100, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=50, required=False
    )
    phone = forms.CharField(
        label=_("Contact mobile phone"), max_length=20, widget=forms.TextInput(TEL)
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs=CODE),
    )

    field_order = [
        "uscc",
        "name",
        "legal_representative",
        "phone",
        "code",
        "password",
        "password2",
    ]


class ResetForm(_NewPasswordForm):
    login = forms.CharField(
        label=_("Mobile number, ID number or unified social credit code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs=CODE),
    )

    field_order = ["login", "code", "password", "password2"]


class AgentAddForm(forms.Form):
    phone = forms.CharField(
        label=_("Agent's mobile phone"), max_length=20, widget=forms.TextInput(TEL)
    )
    name = forms.CharField(label=_("Agent's name"), max_length=100)
