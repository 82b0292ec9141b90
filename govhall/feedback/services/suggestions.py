"""The suggestion box and message book (意见箱, 留言簿; seeds/000… 篇3 四; issue 15 item 5).

Entry points:
def suggestion_submit(*, center, kind, content, name="", phone="", is_public=False, client="",
    at=None) -> Suggestion                       (the portal: rate limited, no actor)
def suggestion_receive(*, actor, center, kind, channel, content, name="", phone="",
    is_public=False, received_at=None) -> Suggestion   (typed from paper by staff, or the portal)
def suggestion_reply(*, actor, suggestion, reply, version=None, at=None) -> Suggestion

Every entry gets a reply by `reply_due_at`: closing time of the center's
GOVHALL_SUGGESTION_REPLY_WORKDAYS-th working day after the day it was received (the day itself
not counted). The hall's management of the entry's center replies (`access.suggestions`);
social supervisors record their own findings instead. Name and phone are optional; the writer
follows the entry and its reply by its `public_token`, and chooses whether it shows on the
portal's message wall (names masked there). An entry from paper is typed in by management,
with the day it was found in the box. A writer who left a phone gets an SMS when the reply is
given. Every write is atomic with its event; a refusal changes nothing.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core import idnumbers
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.ratelimit import HOUR, RateRule, rate_key, rate_limit
from govhall.core.validation import Conflict, FieldErrors
from govhall.feedback.access.suggestions import can_reply_suggestion, can_reply_suggestions
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import Suggestion, SuggestionChannel, SuggestionKind
from govhall.org.access.standing import manages_center
from govhall.org.models import Center
from govhall.workdays.queries.calendar import deadline_at

CONTENT_MAX = 5000
NAME_MAX = 60


def new_public_token() -> str:
    return secrets.token_urlsafe(16)[:24]


def follow_link(token: str) -> str:
    """Where the writer reads the entry and its reply (the portal page of the token)."""
    return settings.GOVHALL_PUBLIC_URL + reverse("portal:suggestion_follow", args=[token])


def reply_due(center: Center, received_at: datetime.datetime) -> datetime.datetime:
    """Closing time of the center's N-th working day after the day of receipt."""
    return deadline_at(
        center.pk,
        timezone.localdate(received_at),
        settings.GOVHALL_SUGGESTION_REPLY_WORKDAYS,
        center.closing_time,
    )


def suggestion_submit(
    *,
    center: Center,
    kind: str,
    content: str,
    name: str = "",
    phone: str = "",
    is_public: bool = False,
    client: str = "",
    at: datetime.datetime | None = None,
) -> Suggestion:
    """An entry from the portal's form: counted per client address and hour (outside the
    transaction, so a refused attempt stays counted), then received."""
    now = at or timezone.now()
    rate_limit(
        [
            RateRule(
                rate_key("suggestion.address", client or "unknown"),
                settings.GOVHALL_RATE_SUGGESTION_PER_ADDRESS_HOUR,
                HOUR,
                _("Too many messages from your network. Please try again later."),
            )
        ],
        at=now,
    )
    return suggestion_receive(
        actor=None,
        center=center,
        kind=kind,
        channel=SuggestionChannel.PORTAL,
        content=content,
        name=name,
        phone=phone,
        is_public=is_public,
        received_at=now,
    )


@transaction.atomic
def suggestion_receive(
    *,
    actor: User | None,
    center: Center,
    kind: str,
    channel: str,
    content: str,
    name: str = "",
    phone: str = "",
    is_public: bool = False,
    received_at: datetime.datetime | None = None,
) -> Suggestion:
    """Register an entry. From the portal (`actor` None, channel portal, received now) or typed
    from paper by the management of `center` (channel paper, received on the day given, not in
    the future)."""
    now = timezone.now()
    errors = FieldErrors()
    if actor is not None:
        if not (can_reply_suggestions(actor) and manages_center(actor, center.pk)):
            raise ValidationError({"center": [_("You may not enter messages for this center.")]})
        chosen_channel = errors.choice("channel", channel, [SuggestionChannel.PAPER])
    else:
        chosen_channel = errors.choice("channel", channel, [SuggestionChannel.PORTAL])
    if not center.is_active:
        errors.add("center", _("This center does not take messages."))
    chosen_kind = errors.choice("kind", kind, SuggestionKind.values)
    text = errors.text(
        "content", content, max_length=CONTENT_MAX, required=_("Write your suggestion or message.")
    )
    writer = errors.text("name", name, max_length=NAME_MAX)
    number = idnumbers.normalize(phone or "")
    if number and idnumbers.phone_error(number):
        errors.add("phone", _("Enter a valid mobile phone number, or leave it empty."))
    when = received_at or now
    if actor is None:
        when = now if received_at is None else received_at
    elif when > now:
        errors.add("received_at", _("The day of receipt cannot be in the future."))
    errors.raise_if_any()
    suggestion = Suggestion.objects.create(
        center=center,
        kind=chosen_kind,
        channel=chosen_channel,
        name=writer,
        phone=number,
        content=text,
        received_at=when,
        entered_by=actor,
        reply_due_at=reply_due(center, when),
        is_public=bool(is_public),
        public_token=new_public_token(),
    )
    record_event(
        actor=actor,
        action=FeedbackEvent.SUGGESTION_RECEIVE,
        obj=suggestion,
        center_id=center.pk,
        data={"kind": chosen_kind, "channel": chosen_channel, "public": bool(is_public)},
    )
    return suggestion


@transaction.atomic
def suggestion_reply(
    *,
    actor: User,
    suggestion: Suggestion,
    reply: str,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """Reply to an entry (once). The writer sees the reply by the entry's token, and on the
    message wall when they chose it; a phone left with the entry gets an SMS."""
    if not can_reply_suggestion(actor, suggestion):
        raise ValidationError(_("You may not reply to this message."))
    errors = FieldErrors()
    text = errors.text("reply", reply, max_length=CONTENT_MAX, required=_("Write the reply."))
    errors.raise_if_any()
    current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if current.replied_at is not None:
        raise Conflict({"reply": [_("This message has been replied to already.")]})
    if version is not None and current.version != version:
        raise Conflict(_("The message changed since you opened it; reload the page."))
    moment = at or timezone.now()
    current.reply = text
    current.replied_at = moment
    current.replied_by = actor
    current.version += 1
    current.save(update_fields=["reply", "replied_at", "replied_by", "version"])
    record_event(
        actor=actor,
        action=FeedbackEvent.SUGGESTION_REPLY,
        obj=current,
        center_id=current.center_id,
        data={"late": moment > current.reply_due_at},
    )
    if current.phone:
        phone, center_id, token = current.phone, current.center_id, current.public_token
        transaction.on_commit(
            lambda: send_sms(
                to=phone,
                text=_("Your message to the service center has a reply: %(link)s")
                % {"link": follow_link(token)},
                purpose="suggestion_reply",
                obj=current,
                center_id=center_id,
            )
        )
    suggestion.refresh_from_db()
    return current
