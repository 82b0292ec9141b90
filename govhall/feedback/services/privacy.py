"""Logging every full view of a person's data in the feedback registers (SPEC §11).

Lists show names and phone numbers masked (govhall.core.idnumbers); the page of one rating,
complaint, petition, work order or entry shows them in full to those entitled, and each such
view is an event "feedback.view_personal_data" (who, when, which record, why), like
"case.view_personal_data" for cases.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import Event, User
from govhall.feedback.events import FeedbackEvent

PURPOSE_MAX_LENGTH = 300


@transaction.atomic
def feedback_personal_data_view_record(
    *, actor: User, obj: models.Model, center_id: int, fields: list[str], purpose: str
) -> Event:
    """Record that `actor` was shown the named personal `fields` of `obj` in full."""
    purpose = (purpose or "").strip()[:PURPOSE_MAX_LENGTH]
    if not purpose:
        raise ValidationError(_("Say why the personal data was viewed."))
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Only a signed-in staff member can view personal data."))
    return record_event(
        actor=actor,
        action=FeedbackEvent.VIEW_PERSONAL_DATA,
        obj=obj,
        center_id=center_id,
        note=purpose,
        data={"purpose": purpose, "fields": fields},
    )
