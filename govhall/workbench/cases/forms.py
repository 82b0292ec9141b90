"""Forms of the case pages: intake at the window, one small form per case action, and the
forms for notices, joint tasks, joint meetings and fees.

Forms only read and type the input; every rule (what is required when, what is allowed) is
checked by the case services, whose ValidationError messages the views show on these forms.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case, ElectronicLicence
from govhall.cases.queries.reuse import ReuseOffer
from govhall.cases.services.action_params import ActionParams, action_params
from govhall.cases.services.agency import AgencyData
from govhall.cases.services.intake import ApplicantData, MaterialCheck, Outcome
from govhall.cases.statuses import (
    WINDOW_CHANNELS,
    ApplicantKind,
    CaseKind,
    Channel,
    DeliveryMethod,
    SuspensionReason,
    suspension_reason_of,
)
from govhall.catalog.models import FeeItem, Material, ServiceItem
from govhall.core.forms import with_empty_choice
from govhall.core.models import User
from govhall.org.models import Center, Department, Window

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _text(label: Any, *, required: bool = False, max_length: int = 300, rows: int = 0) -> Any:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


# --- intake -------------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    """Everything the window takes in for one application of one item.

    Material checkboxes are built from the item's materials: `received_<id>`, `form_<id>`,
    `copies_<id>`, `pending_<id>` (to come by the due date: a main material in the green channel,
    an attachment on the applicant's promise), `lacks_<id>` on a main material (the applicant
    does not have it: a returned case, 篇5 二1), `na_<id>` on a conditional material (its
    condition does not apply: not missing) and `reuse_<id>` (reused from the verified earlier
    case offered in `reuse_offer_<id>`).

    Issue 17 item 2: materials start unticked; only the clerk's tick or a reuse from a verified
    earlier case counts as received. A main material neither received nor marked as lacking is
    one the applicant has but did not bring (补办件, 篇5 三1), so an intake where the clerk changes
    nothing proposes a supplement case listing everything, never an acceptance.
    """

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The proposal the page showed last: when the proposal changes, the outcome follows it.
    proposed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)

    applicant_kind = forms.ChoiceField(
        label=_("Applicant kind"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    id_number = forms.CharField(
        label=_("ID number / unified social credit code"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=50, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)

    # Where the case came from (issue 18: counted apart in the statistics); online cases come
    # only from online submission.
    channel = forms.ChoiceField(
        label=_("Came from"),
        choices=[(c.value, c.label) for c in WINDOW_CHANNELS],
        initial=Channel.WINDOW,
        required=False,
    )
    green_channel = forms.BooleanField(
        label=_("Green channel (priority; may accept with materials pending)"), required=False
    )
    pending_due_on = forms.DateField(
        label=_("Pending materials due on"), required=False, widget=DATE_WIDGET
    )

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_reason = _text(_("Why the outcome differs from the proposal"), rows=2)
    reason = _text(_("Reason"), rows=2, max_length=2000)
    basis = _text(_("Legal basis of the decision"), rows=2, max_length=2000)
    forward_by = forms.DateField(
        label=_("Forward to the higher level by"), required=False, widget=DATE_WIDGET
    )
    joint_departments = forms.TypedMultipleChoiceField(
        label=_("Participating departments"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    # 代办 (issue 19 item 6): an agent applying on the applicant's authorization letter; checked
    # by the agency service (`cases.services.agency`) like the rest of the intake.
    agent = forms.TypedChoiceField(label=_("Agent"), coerce=int, required=False, empty_value=None)
    agency_letter_number = forms.CharField(
        label=_("Authorization letter number"), max_length=64, required=False
    )
    agency_letter_on = forms.DateField(
        label=_("Authorization letter date"), required=False, widget=DATE_WIDGET
    )
    agency_full = forms.BooleanField(
        label=_("Full agency: from application to delivery"), required=False
    )
    agency_scope = forms.CharField(label=_("Authorized scope"), max_length=200, required=False)
    agency_letter = forms.FileField(
        label=_("Scanned authorization letter (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(
        self,
        *args: Any,
        item: ServiceItem,
        window: Window,
        materials: list[Material],
        departments: list[Department],
        reuse: dict[int, ReuseOffer] | None = None,
        live: bool = False,
        licences: dict[int, ElectronicLicence] | None = None,
        agents: list[User] | None = None,
        bundle: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agent_field = self.fields["agent"]
        assert isinstance(agent_field, forms.TypedChoiceField)
        agent_field.choices = [("", _("None: the applicant applies in person"))] + [
            (user.pk, f"{user.display_name}（{user.staff.center.name}）") for user in agents or []
        ]
        # A 一件事 bundle: every item's case ends intake in its own proposed outcome.
        self.bundle = bundle
        if bundle:
            self.fields["outcome"].required = False
        # Issue 19 item 4: the applicant's valid electronic licences standing for materials.
        self.licences = licences or {}
        self.item = item
        self.window = window
        self.materials = materials
        # The verified earlier cases offered for reuse, by material (from the typed ID number);
        # `live`: a live proposal, where an offer not yet shown starts ticked.
        self.reuse = reuse or {}
        self.live = live
        field = self.fields["joint_departments"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(d.pk, d.name) for d in departments if d.pk != item.department_id]
        for material in materials:
            key = material.pk
            self.fields[f"received_{key}"] = forms.BooleanField(
                label=_("Received"),
                required=False,
                initial=False,
                widget=forms.CheckboxInput(attrs={"class": "live"}),
            )
            self.fields[f"form_{key}"] = forms.ChoiceField(
                label=_("Form"), choices=Material.Form.choices, initial=material.form
            )
            self.fields[f"copies_{key}"] = forms.IntegerField(
                label=_("Copies"),
                min_value=1,
                max_value=99,
                initial=material.copies,
                widget=forms.NumberInput(attrs={"class": "copies"}),
            )
            self.fields[f"pending_{key}"] = forms.BooleanField(
                label=_("To bring later (green channel or promised)"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "live"}),
            )
            if material.is_main:
                self.fields[f"lacks_{key}"] = forms.BooleanField(
                    label=_("Does not have it (return)"),
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "live"}),
                )
            if material.condition:
                self.fields[f"na_{key}"] = forms.BooleanField(
                    label=_("Condition does not apply"),
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "live"}),
                )
        self.fields["id_number"].widget.attrs["class"] = "live"
        self.fields["green_channel"].widget.attrs["class"] = "live"
        self.fields["outcome"].widget.attrs["class"] = "live"

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex

    def material_rows(self) -> list[dict[str, Any]]:
        checks = {check.material_id: check for check in self.checks()}
        rows = []
        for material in self.materials:
            key = material.pk
            offer = self.reuse.get(key)
            rows.append(
                {
                    "material": material,
                    "received": self[f"received_{key}"],
                    "form": self[f"form_{key}"],
                    "copies": self[f"copies_{key}"],
                    "pending": self[f"pending_{key}"],
                    "lacks": self[f"lacks_{key}"] if material.is_main else None,
                    "na": self[f"na_{key}"] if material.condition else None,
                    "offer": offer,
                    "reused": offer is not None and checks[key].reused_from == offer.case_id,
                    "licence_offer": self.licences.get(key),
                    "licensed": checks[key].licence is not None,
                }
            )
        return rows

    def reused(self, key: int) -> int | None:
        """The earlier case a material is reused from: an offer the page showed stays as the
        clerk left its tick; a new offer (the ID number was just typed) starts ticked in the live
        proposal, and counts on submit only once shown."""
        offer = self.reuse.get(key)
        if offer is None or not self.is_bound:
            return None
        shown = self.data.get(f"reuse_offer_{key}") == str(offer.case_id)
        if shown:
            return offer.case_id if self.data.get(f"reuse_{key}") == str(offer.case_id) else None
        return offer.case_id if self.live else None

    def licensed(self, key: int) -> int | None:
        """The licence standing for a material: like a reuse offer, ticked when first shown in
        the live proposal, then as the clerk left it."""
        licence = self.licences.get(key)
        if licence is None or not self.is_bound:
            return None
        if self.data.get(f"licence_offer_{key}") == str(licence.pk):
            return licence.pk if self.data.get(f"licence_{key}") == str(licence.pk) else None
        return licence.pk if self.live else None

    def _raw_bool(self, name: str) -> bool:
        """A checkbox as submitted, also when the rest of the form does not validate (the
        live proposal is computed from half-filled forms)."""
        if not self.is_bound:
            return bool(self.fields[name].initial)
        value = self.data.get(self.add_prefix(name))
        return value not in (None, "", "false", "0", "off")

    def checks(self) -> list[MaterialCheck]:
        result = []
        for material in self.materials:
            key = material.pk
            form_value = self.data.get(f"form_{key}") if self.is_bound else None
            if form_value not in Material.Form.values:
                form_value = material.form
            try:
                copies = int(self.data.get(f"copies_{key}", material.copies))
            except (TypeError, ValueError):
                copies = material.copies
            received = self._raw_bool(f"received_{key}")
            lacks = material.is_main and self._raw_bool(f"lacks_{key}")
            # Any other tick on the row (received, to come, not applicable, does not have it)
            # sets a reuse aside: the live proposal unticks it on the page.
            other = received or lacks or self._raw_bool(f"pending_{key}")
            other = other or (bool(material.condition) and self._raw_bool(f"na_{key}"))
            licence = None if other else self.licensed(key)
            reused = None if other or licence is not None else self.reused(key)
            handed_in = received or reused is not None or licence is not None
            pending = self._raw_bool(f"pending_{key}") and not handed_in
            excused = bool(material.condition) and self._raw_bool(f"na_{key}") and not handed_in
            result.append(
                MaterialCheck(
                    material_id=key,
                    received=received,
                    form=str(form_value),
                    copies=max(copies, 1),
                    pending=pending and not excused,
                    held_not_brought=(
                        material.is_main and not (handed_in or pending or excused or lacks)
                    ),
                    not_applicable=excused,
                    reused_from=reused,
                    licence=licence,
                )
            )
        return result

    def green(self) -> bool:
        return self._raw_bool("green_channel")

    def chosen_outcome(self, proposal: str) -> str:
        """The outcome to show: the one chosen, unless the proposal changed since (then the
        outcome follows the new proposal)."""
        if not self.is_bound:
            return proposal
        chosen = self.data.get("outcome") or proposal
        previous = self.data.get("proposed") or ""
        if previous != proposal or chosen not in Outcome.values:
            return proposal
        return str(chosen)

    def agency(self) -> AgencyData | None:
        """The agency typed in, or None when no agent is chosen and no letter given."""
        data = self.cleaned_data
        given = (
            data["agent"] is not None
            or data["agency_letter_number"].strip()
            or data["agency_letter"] is not None
        )
        if not given:
            return None
        return AgencyData(
            agent_id=data["agent"],
            letter_number=data["agency_letter_number"],
            letter_on=data["agency_letter_on"],
            full=data["agency_full"],
            scope=data["agency_scope"],
            letter=data["agency_letter"],
        )

    def applicant(self) -> ApplicantData:
        data = self.cleaned_data
        enterprise = data["applicant_kind"] == ApplicantKind.ENTERPRISE
        return ApplicantData(
            kind=data["applicant_kind"],
            name=data["name"].strip(),
            id_number=data["id_number"].strip(),
            phone=data["phone"].strip(),
            legal_representative=data["legal_representative"].strip() if enterprise else "",
            contact_name=data["contact_name"].strip() if enterprise else "",
        )


# --- case actions -------------------------------------------------------------------------------


PAST_PROMISE = "confirm_past_promise"


class CaseActionForm(forms.Form):
    """The fields every action posts: the version the page showed, and a note.

    `confirm_past_promise` stays hidden until the engine refuses a notice whose promised date
    has already passed: then the warning shows with a box to tick, and sending again with it
    ticked issues the notice (issue 17 item 3).
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = _text(_("Note"), rows=2, max_length=1000)
    confirm_past_promise = forms.BooleanField(
        label=_("I have told the applicant; issue the notice anyway"),
        required=False,
        widget=forms.HiddenInput,
    )
    param_names: tuple[str, ...] = ()

    def __init__(self, *args: Any, case: Case, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.action = action
        if not self.is_bound:
            self.fields["expected_version"].initial = case.version

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if PAST_PROMISE in self.errors:  # the warning: now the box to confirm shows, last
            confirm = self.fields.pop(PAST_PROMISE)
            confirm.widget = forms.CheckboxInput(attrs={"required": True})
            self.fields[PAST_PROMISE] = confirm

    def params(self) -> ActionParams:
        """The action's parameter object, built from the cleaned data (call after is_valid)."""
        values = self.values()
        if self.cleaned_data.get(PAST_PROMISE):
            values[PAST_PROMISE] = True
        return action_params(self.action, values)

    def values(self) -> dict[str, Any]:
        """The cleaned values of the action's parameters, by name (empty ones left out)."""
        params: dict[str, Any] = {}
        for name in self.param_names:
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if isinstance(value, Department | Window | Center):
                value = value.pk
            params[name] = value
        return params


class NoteOnlyForm(CaseActionForm):
    pass


class OpinionForm(CaseActionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("Opinion")


class ReasonForm(CaseActionForm):
    reason = _text(_("Reason"), required=True, rows=2, max_length=2000)
    param_names = ("reason",)


class _SuspensionReasonField(forms.ChoiceField):
    """A legal ground of suspension; a Chinese name (听证, 现场核查, …) is read as its code."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return suspension_reason_of(text) or text

    def bound_data(self, data: Any, initial: Any) -> Any:
        # Re-shown after a refusal: the ground chosen stays selected, whichever name was sent.
        return suspension_reason_of(str(data or "")) or data


class SuspendForm(CaseActionForm):
    """Suspension only on a legal ground (行政许可法 §45); the note is kept with it."""

    reason = _SuspensionReasonField(
        label=_("Legal ground"), choices=with_empty_choice(SuspensionReason.choices)
    )
    param_names = ("reason", "note")


class ReasonBasisForm(CaseActionForm):
    reason = _text(_("Reason"), required=True, rows=2, max_length=2000)
    basis = _text(_("Legal basis of the decision"), required=True, rows=2, max_length=2000)
    param_names = ("reason", "basis")


class PrereviewReturnForm(CaseActionForm):
    reason = _text(_("Reason"), required=True, rows=2, max_length=2000)
    basis = _text(_("Legal basis of the decision"), rows=2, max_length=2000)
    param_names = ("reason", "basis")


def _material_choices(case: Case, *, only_missing: bool) -> list[tuple[int, str]]:
    materials = case.materials.all()
    if only_missing:
        materials = materials.filter(received=False, not_applicable=False)
    return [(m.pk, m.name) for m in materials]


class RequestSupplementForm(CaseActionForm):
    missing = forms.TypedMultipleChoiceField(
        label=_("Missing materials"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    extra = _text(_("Other things to bring (one per line)"), rows=2, max_length=2000)
    override_reason = _text(_("Reason for a second notice (management only)"), max_length=300)
    param_names = ("missing", "override_reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["missing"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = _material_choices(self.case, only_missing=False)
        if not self.is_bound:
            field.initial = [pk for pk, _name in _material_choices(self.case, only_missing=True)]
        if not self.case.supplement_notices:
            del self.fields["override_reason"]

    def values(self) -> dict[str, Any]:
        params = super().values()
        extra = [line.strip() for line in self.cleaned_data.get("extra", "").splitlines()]
        if any(extra):
            params["extra"] = [line for line in extra if line]
        return params


class SupplementReceivedForm(CaseActionForm):
    received = forms.TypedMultipleChoiceField(
        label=_("Materials now received"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    param_names = ("received",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["received"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = _material_choices(self.case, only_missing=True)
        if not self.is_bound:
            field.initial = [pk for pk, _name in field.choices]


class PendingReceivedForm(CaseActionForm):
    received = forms.TypedMultipleChoiceField(
        label=_("Pending materials now received"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    param_names = ("received",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["received"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (m.pk, m.name) for m in self.case.materials.filter(pending=True, received=False)
        ]
        if not self.is_bound:
            field.initial = [pk for pk, _name in field.choices]


def _other_departments(case: Case) -> list[tuple[int, str]]:
    return [
        (d.pk, d.name)
        for d in Department.objects.filter(center_id=case.center_id)
        .exclude(pk=case.department_id)
        .order_by("code", "id")
    ]


class AcceptForm(CaseActionForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *CaseKind.choices]
    )
    joint_departments = forms.TypedMultipleChoiceField(
        label=_("Participating departments (joint cases)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    param_names: tuple[str, ...] = ("kind", "joint_departments")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.case.kind:
            del self.fields["kind"]
            self.param_names = ("joint_departments",)
        field = self.fields["joint_departments"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = _other_departments(self.case)
        if not self.is_bound:
            field.initial = list(self.case.item.joint_departments.values_list("pk", flat=True))


class StartJointForm(CaseActionForm):
    departments = forms.TypedMultipleChoiceField(
        label=_("Participating departments"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    task_days = forms.IntegerField(
        label=_("Working days for each task"), min_value=1, max_value=365, required=False
    )
    param_names = ("departments", "task_days")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["departments"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = _other_departments(self.case)
        if not self.is_bound:
            field.initial = list(self.case.item.joint_departments.values_list("pk", flat=True))
            self.fields["task_days"].initial = self.case.item.promised_days or None


class ExtendForm(CaseActionForm):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=365)
    reason = _text(_("Reason"), required=True, rows=2, max_length=300)
    param_names = ("days", "reason")


class TransferForm(CaseActionForm):
    window_id = forms.TypedChoiceField(label=_("To window"), coerce=int)
    param_names = ("window_id",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        windows = (
            Window.objects.filter(
                center_id=self.case.center_id,
                is_active=True,
                item_windows__item_id=self.case.item_id,
            )
            .exclude(pk=self.case.window_id or 0)
            .distinct()
            .order_by("number")
        )
        field = self.fields["window_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(w.pk, f"{w.number} · {w.name}") for w in windows]


class EscalateForm(CaseActionForm):
    center_id = forms.TypedChoiceField(
        label=_("Forward to"), coerce=int, required=False, empty_value=None
    )
    forward_by = forms.DateField(
        label=_("Promised forwarding date"), required=False, widget=DATE_WIDGET
    )
    param_names = ("center_id", "forward_by")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        path = self.case.center.path
        ancestor_ids = [int(part) for part in path.strip("/").split("/") if part.isdigit()]
        ancestors = Center.objects.filter(pk__in=ancestor_ids).exclude(pk=self.case.center_id)
        field = self.fields["center_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", _("The level that decides the item")),
            *[(c.pk, c.name) for c in ancestors.order_by("-path")],
        ]


class ReceiveResultForm(CaseActionForm):
    result = _text(_("Result from the higher level"), required=True, rows=3, max_length=2000)
    approved = forms.BooleanField(label=_("Approved"), required=False)
    param_names = ("result", "approved")

    def values(self) -> dict[str, Any]:
        params = super().values()
        params["approved"] = bool(self.cleaned_data.get("approved"))
        return params


class MakeCertificateForm(CaseActionForm):
    certificate_number = _text(_("Certificate number"), max_length=64)
    param_names = ("certificate_number",)


class DeliverForm(CaseActionForm):
    method = forms.ChoiceField(
        label=_("Delivery"),
        choices=DeliveryMethod.choices,
        initial=DeliveryMethod.PICKUP,
        widget=forms.RadioSelect,
    )
    recipient_name = _text(_("Received by"), required=True, max_length=100)
    id_last4 = forms.CharField(
        label=_("Last 4 characters of the applicant's ID number (pickup)"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "size": 6}),
    )
    tracking_number = _text(_("Tracking number (express)"), max_length=64)
    param_names = ("method", "recipient_name", "id_last4", "tracking_number")

    def __init__(self, *args: Any, case: Case, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, case=case, action=action, **kwargs)
        # issue 19: what the applicant chose online (pickup, or express to an address)
        if case.delivery_method:
            chosen = str(DeliveryMethod(case.delivery_method).label)
            if case.delivery_method == DeliveryMethod.EXPRESS and case.delivery_address:
                chosen = f"{chosen}: {case.delivery_address}"
            self.fields["method"].help_text = _("The applicant chose: %(choice)s") % {
                "choice": chosen
            }
            if not self.is_bound:
                self.fields["method"].initial = case.delivery_method


ACTION_FORMS: dict[str, type[CaseActionForm]] = {
    "prereview_pass": NoteOnlyForm,
    "prereview_return": PrereviewReturnForm,
    "request_supplement": RequestSupplementForm,
    "receive_supplement": SupplementReceivedForm,
    "receive_pending": PendingReceivedForm,
    "accept": AcceptForm,
    "return": ReasonBasisForm,
    "forward": OpinionForm,
    "review": OpinionForm,
    "approve": OpinionForm,
    "deny": ReasonBasisForm,
    "start_joint": StartJointForm,
    "suspend": SuspendForm,
    "resume": NoteOnlyForm,
    "extend": ExtendForm,
    "transfer": TransferForm,
    "escalate": EscalateForm,
    "receive_result": ReceiveResultForm,
    "make_certificate": MakeCertificateForm,
    "deliver": DeliverForm,
    "withdraw": ReasonForm,
    "void": ReasonForm,
    "archive": NoteOnlyForm,
}

# Actions whose button is drawn as dangerous (red).
DANGEROUS_ACTIONS = frozenset({"prereview_return", "return", "deny", "withdraw", "void", "suspend"})


def action_form(action: str, *, case: Case, data: Any = None) -> CaseActionForm:
    form_class = ACTION_FORMS.get(action, NoteOnlyForm)
    return form_class(data, case=case, action=action)


# --- notices, joint work, fees ------------------------------------------------------------------


class NoticeConfirmForm(forms.Form):
    confirmed_by_name = forms.CharField(label=_("Applicant's name (as signed)"), max_length=100)


class JointTaskForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("Opinion"),
        choices=[("1", _("Agree")), ("0", _("Disagree"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    opinion = _text(_("Opinion in writing"), required=True, rows=2, max_length=2000)


class JointProposalForm(forms.Form):
    """The lead window's joint-handling proposal to the director (联办意见, seeds/000… 篇5 五)."""

    text = _text(_("Joint-handling proposal"), required=True, rows=3, max_length=4000)


class JointMeetingForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Held at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    participants = _text(_("Participants"), required=True, rows=2, max_length=4000)
    conclusions = _text(_("Conclusions"), required=True, rows=3, max_length=8000)

    @staticmethod
    def default_time() -> datetime.datetime:
        return datetime.datetime.now().replace(second=0, microsecond=0)


class FeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · ¥{obj.standard_amount}/{obj.unit}"


class FeeForm(forms.Form):
    fee_item = FeeChoiceField(label=_("Fee item"), queryset=FeeItem.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100000, initial=1)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    receipt_number = _text(_("Receipt number"), max_length=64)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fee_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = FeeItem.objects.filter(item_id=case.item_id).order_by("id")
