"""First inquiries (首问负责制, SPEC §7): logging a contact, and the receiving department taking
on (签收) and finishing a transferred matter.

Rules (seeds/000… 篇1 首问负责制度 and 篇5; seeds/001… 首问责任制):
- every contact (visit, phone, fax, web) is logged by its first responder, who must work in the
  center (所有"中心"工作人员均属首问责任人范围);
- the outcome is one of: answered (with the answer); guided to a window of the center; transferred
  to a department stationed in the center with a named contact person; outside our duties, with
  the explanation given (确实超出本人或本部门职责范围的，应以诚恳的态度给予详尽到位的解释);
- a transferred matter stays open on the first responder's follow-up list until the receiving
  department marks it done (首问责任人对转办的事情仍需进行督办，直到事情办理结束); the first
  responder cannot close it themselves unless they manage the hall.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog.models import ServiceItem
from govhall.core.events import record_event
from govhall.core.idnumbers import normalize, phone_error
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.validation import FieldErrors, StateRefusal, clean_text, refusal_error
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.inquiry_transitions import INQUIRY_TRANSITIONS, RECEIVER, InquiryAction
from govhall.frontdesk.models import Inquiry, InquiryChannel, InquiryOutcome, InquiryStatus
from govhall.frontdesk.services.standing import manages, works_in
from govhall.org.models import Center, Department, Staff, Window
from govhall.staffing.queries.cover import posts_served_by, serves_window

MATTER_MAX = 2000
ANSWER_MAX = 2000
RESULT_MAX = 2000
CONTACT_NAME_MAX = 64
# A fixed-line number with its area code (0571-88881234); mobiles are checked by idnumbers.
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
# Logging a contact a little ahead of the server clock is fine; the future is not.
_CLOCK_SLACK = datetime.timedelta(minutes=2)


def contact_phone_error(value: str) -> str | None:
    """Why `value` is not a callable number: mobiles per govhall.core.idnumbers, or a landline
    with its area code (phone inquiries often come from fixed lines)."""
    number = normalize(value)
    if number.startswith("0"):
        if _LANDLINE.match(number):
            return None
        return _("A landline number starts with its area code, for example 0571-88881234.")
    return phone_error(number)


def _window_served_now(actor: User, center: Center, at: datetime.datetime) -> Window | None:
    windows = sorted(
        (post.window for post in posts_served_by(actor, at) if post.window.center_id == center.pk),
        key=lambda window: window.number,
    )
    return windows[0] if windows else None


@transaction.atomic
def inquiry_log(
    *,
    actor: User,
    center: Center,
    channel: str,
    matter: str,
    outcome: str,
    contact_name: str = "",
    contact_phone: str = "",
    item: ServiceItem | None = None,
    window: Window | None = None,
    answer: str = "",
    guided_window: Window | None = None,
    transferred_department: Department | None = None,
    transferred_contact: str = "",
    at: datetime.datetime | None = None,
) -> Inquiry:
    """Log one contact with its first responder (the actor) and its outcome.

    `window` is where the actor served when the contact came (default: the window the actor
    serves now, none at the guide's desk). Fields that do not belong to the outcome are dropped.
    """
    now = timezone.now()
    moment = at if at is not None else now
    if actor is None or not actor.is_active or not works_in(actor, center):
        raise ValidationError(_("You do not work in this center, so you cannot log its inquiries."))
    # Collect every refusal first, then apply.
    errors = FieldErrors()
    errors.choice(
        "channel",
        channel,
        InquiryChannel.values,
        message=_("Choose how the contact came: visit, phone, fax or web."),
    )
    errors.choice(
        "outcome",
        outcome,
        InquiryOutcome.values,
        message=_("Choose the outcome: answered, guided, transferred or outside our duties."),
    )
    matter = errors.text(
        "matter", matter, max_length=MATTER_MAX, required=_("Write down what the matter is.")
    )
    contact_name = errors.text("contact_name", contact_name, max_length=CONTACT_NAME_MAX)
    contact_phone = normalize(contact_phone)
    if contact_phone:
        message = contact_phone_error(contact_phone)
        if message:
            errors.add("contact_phone", message)
    if at is not None and at > now + _CLOCK_SLACK:
        errors.add("at", _("The time of the contact cannot be in the future."))
    if item is not None and item.center_id != center.pk:
        errors.add("item", _("The service item is not in this center's catalog."))
    if window is None:
        window = _window_served_now(actor, center, moment)
    elif window.center_id != center.pk or not window.is_active:
        errors.add("window", _("The window is not an open window of this center."))
    elif not (serves_window(actor, window, moment) or manages(actor, center)):
        errors.add("window", _("You do not serve this window now."))

    if outcome != InquiryOutcome.GUIDED:
        guided_window = None
    if outcome != InquiryOutcome.TRANSFERRED:
        transferred_department, transferred_contact = None, ""
    answer_required = ""
    if outcome == InquiryOutcome.ANSWERED:
        answer_required = _("Write down the answer you gave.")
    elif outcome == InquiryOutcome.OUTSIDE:
        answer_required = _("Write down the explanation you gave and where the person can go.")
    answer = errors.text("answer", answer, max_length=ANSWER_MAX, required=answer_required)
    if outcome == InquiryOutcome.GUIDED:
        if guided_window is None:
            errors.add("guided_window", _("Choose the window the person was guided to."))
        elif guided_window.center_id != center.pk or not guided_window.is_active:
            errors.add("guided_window", _("The window is not an open window of this center."))
    transferred_contact = errors.text(
        "transferred_contact",
        transferred_contact,
        max_length=CONTACT_NAME_MAX,
        required=(
            _("Name the person of the department who takes it on.")
            if outcome == InquiryOutcome.TRANSFERRED
            else ""
        ),
    )
    if outcome == InquiryOutcome.TRANSFERRED:
        if transferred_department is None:
            errors.add("transferred_department", _("Choose the department the matter goes to."))
        elif transferred_department.center_id != center.pk or not transferred_department.is_active:
            errors.add(
                "transferred_department",
                _("The department is not stationed in this center."),
            )
    errors.raise_if_any()

    transferred = outcome == InquiryOutcome.TRANSFERRED
    inquiry = Inquiry.objects.create(
        center=center,
        channel=channel,
        matter=matter,
        item=item,
        contact_name=contact_name,
        contact_phone=contact_phone,
        first_responder=actor,
        window=window,
        outcome=outcome,
        answer=answer,
        guided_window=guided_window,
        transferred_department=transferred_department,
        transferred_contact=transferred_contact,
        status=InquiryStatus.OPEN if transferred else InquiryStatus.DONE,
        received_at=moment,
        done_at=None if transferred else moment,
        done_by=None if transferred else actor,
    )
    record_event(
        actor=actor,
        action=FrontdeskEvent.INQUIRY_LOG,
        obj=inquiry,
        center_id=center.pk,
        data={
            "channel": channel,
            "outcome": outcome,
            "window_id": inquiry.window_id,
            "guided_window_id": inquiry.guided_window_id,
            "transferred_department_id": inquiry.transferred_department_id,
            "transferred_contact": transferred_contact,
            "item_id": inquiry.item_id,
        },
    )
    return inquiry


class InquiryViewer:
    """Whether `user` receives inquiries (the party of the inquiry table): staff of the
    department the matter was transferred to, or a manager of the hall. What it reads (the
    user's departments, the centers they manage) is read once per viewer, so a list asks a
    few times, not once per row."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self._manages: dict[int, bool] = {}
        self._departments: set[int] | None = None

    def is_receiver(self, inquiry: Inquiry) -> bool:
        actor = self.user
        if actor is None or not actor.is_active:
            return False
        if inquiry.center_id not in self._manages:
            self._manages[inquiry.center_id] = manages(actor, Center(pk=inquiry.center_id))
        if self._manages[inquiry.center_id]:
            return True
        if inquiry.transferred_department_id is None or actor.pk == inquiry.first_responder_id:
            return False
        if self._departments is None:
            self._departments = {
                pk
                for pk in Staff.objects.filter(user_id=actor.pk).values_list(
                    "department_id", flat=True
                )
                if pk is not None
            }
        return inquiry.transferred_department_id in self._departments

    def parties(self, inquiry: Inquiry) -> frozenset[str]:
        return RECEIVER if self.is_receiver(inquiry) else frozenset()


def is_receiver(actor: User | None, inquiry: Inquiry) -> bool:
    """Staff of the department the matter was transferred to, or a manager of the hall."""
    return InquiryViewer(actor).is_receiver(inquiry)


def inquiry_refusal(
    actor: User | None,
    inquiry: Inquiry,
    action: str,
    *,
    viewer: InquiryViewer | None = None,
) -> str | None:
    """Why `actor` may not take `action` on `inquiry` (the transition table, its party and
    guard), or None when allowed; a `StateRefusal` when it is already taken on or finished."""
    finish = action == InquiryAction.FINISH
    if inquiry.outcome != InquiryOutcome.TRANSFERRED:
        if finish:
            return _("Only a transferred matter is finished by its receiver.")
        return _("Only a transferred matter is taken on by a department.")
    row = INQUIRY_TRANSITIONS.row(inquiry.status, action)
    if row is None:
        return StateRefusal(_("This matter is already finished."))
    if row.guard == "not_taken_on" and inquiry.acknowledged_at is not None:
        return StateRefusal(_("This matter has already been taken on."))
    if not (viewer or InquiryViewer(actor)).parties(inquiry) & row.who:
        if finish and actor is not None and actor.pk == inquiry.first_responder_id:
            return _(
                "The first responder follows the matter up but cannot close it: the "
                "receiving department marks it done."
            )
        if finish:
            return _(
                "Only the staff of the receiving department or the hall's management may finish it."
            )
        return _(
            "Only the staff of the receiving department or the hall's management may take it on."
        )
    return None


def inquiry_actions(
    user: User | None, inquiry: Inquiry, *, viewer: InquiryViewer | None = None
) -> list[Transition]:
    """The rows of the inquiry table `user` may take on `inquiry` (the page's buttons and the
    API's `actions`): exactly what the services accept."""
    viewer = viewer or InquiryViewer(user)
    return [
        row
        for row in INQUIRY_TRANSITIONS.rows_from(inquiry.status)
        if inquiry_refusal(user, inquiry, row.action, viewer=viewer) is None
    ]


def _locked(inquiry: Inquiry) -> Inquiry:
    found = Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
    if found is None:
        raise ValidationError(_("No such inquiry."))
    return found


def _refuse_unless_allowed(actor: User, found: Inquiry, action: str) -> None:
    refusal = inquiry_refusal(actor, found, action)
    if refusal:
        raise refusal_error(refusal)


@transaction.atomic
def inquiry_acknowledge(
    *, actor: User, inquiry: Inquiry, at: datetime.datetime | None = None
) -> Inquiry:
    """The receiving department takes the transferred matter on (签收)."""
    moment = at if at is not None else timezone.now()
    found = _locked(inquiry)
    _refuse_unless_allowed(actor, found, InquiryAction.ACKNOWLEDGE)
    if moment < found.received_at:
        raise ValidationError(_("A matter cannot be taken on before it was received."))
    found.acknowledged_at = moment
    found.acknowledged_by = actor
    found.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.INQUIRY_ACKNOWLEDGE,
        obj=found,
        center_id=found.center_id,
        data={"department_id": found.transferred_department_id},
    )
    return found


@transaction.atomic
def inquiry_finish(
    *, actor: User, inquiry: Inquiry, result: str, at: datetime.datetime | None = None
) -> Inquiry:
    """The receiver marks a transferred matter done with its result; it leaves the first
    responder's follow-up list. Finishing without taking it on first takes it on as well."""
    moment = at if at is not None else timezone.now()
    found = _locked(inquiry)
    _refuse_unless_allowed(actor, found, InquiryAction.FINISH)
    errors = FieldErrors()
    result = errors.text(
        "result",
        result,
        max_length=RESULT_MAX,
        required=_("Write down how the matter was settled."),
    )
    errors.raise_if_any()
    if moment < found.received_at:
        raise ValidationError(_("A matter cannot be finished before it was received."))
    row = INQUIRY_TRANSITIONS.row(found.status, InquiryAction.FINISH)
    assert row is not None and row.next_state is not None
    fields = ["status", "done_at", "done_by", "result"]
    if found.acknowledged_at is None:
        found.acknowledged_at = moment
        found.acknowledged_by = actor
        fields += ["acknowledged_at", "acknowledged_by"]
    found.status = row.next_state
    found.done_at = moment
    found.done_by = actor
    found.result = result
    found.save(update_fields=fields)
    record_event(
        actor=actor,
        action=FrontdeskEvent.INQUIRY_FINISH,
        obj=found,
        center_id=found.center_id,
        data={"department_id": found.transferred_department_id, "result": result[:200]},
    )
    return found


@transaction.atomic
def inquiry_contact_view_record(*, actor: User, inquiry: Inquiry, purpose: str = "") -> None:
    """Log that a staff member saw the contact's full phone number (SPEC §11)."""
    if not inquiry.contact_phone:
        return
    record_event(
        actor=actor,
        action=FrontdeskEvent.INQUIRY_VIEW_CONTACT,
        obj=inquiry,
        center_id=inquiry.center_id,
        note=str(clean_text(purpose or ""))[:300],
    )
