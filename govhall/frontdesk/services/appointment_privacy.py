"""Logging every view of an appointment's full personal data (SPEC §11; issue 12 item 6).

Lists, the day sheet, the requests and every API list show the applicant's ID and phone numbers
masked (govhall.core.idnumbers.mask_id / mask_phone, through Appointment.masked_id and
masked_phone); the appointment's own page and the single-appointment API show them in full, and
each such view is an event "appointment.view_personal_data" (who, when, which appointment,
why), like "case.view_personal_data" for cases and "inquiry.view_contact" for inquiries.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import Event, User
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import Appointment

PURPOSE_MAX_LENGTH = 300


@transaction.atomic
def appointment_personal_data_view_record(
    *, actor: User, appointment: Appointment, purpose: str
) -> Event:
    """Record that `actor` was shown the full ID and phone numbers of `appointment`."""
    purpose = (purpose or "").strip()[:PURPOSE_MAX_LENGTH]
    if not purpose:
        raise ValidationError(_("Say why the personal data was viewed."))
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Only a signed-in staff member can view personal data."))
    return record_event(
        actor=actor,
        action=FrontdeskEvent.APPOINTMENT_VIEW_PERSONAL_DATA,
        obj=appointment,
        center_id=appointment.center_id,
        note=purpose,
        data={"purpose": purpose, "fields": ["id_number", "phone"]},
    )
