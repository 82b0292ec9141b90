"""Front desk (SPEC §7): first inquiries, the queue and appointments, one module per topic."""

from govhall.frontdesk.models.appointment import Appointment, AppointmentStatus, PhoneCode, Slot
from govhall.frontdesk.models.inquiry import Inquiry, InquiryChannel, InquiryOutcome, InquiryStatus
from govhall.frontdesk.models.notices import HallNotice
from govhall.frontdesk.models.outreach import (
    FollowUp,
    HomeVisit,
    KeyProject,
    Overtime,
    VisitReason,
    VisitStatus,
)
from govhall.frontdesk.models.queue import (
    ServiceGroup,
    Ticket,
    TicketCall,
    TicketCounter,
    TicketPriority,
    TicketStatus,
)

__all__ = [
    "Appointment",
    "AppointmentStatus",
    "FollowUp",
    "HallNotice",
    "HomeVisit",
    "Inquiry",
    "InquiryChannel",
    "InquiryOutcome",
    "InquiryStatus",
    "KeyProject",
    "Overtime",
    "PhoneCode",
    "ServiceGroup",
    "Slot",
    "Ticket",
    "TicketCall",
    "TicketCounter",
    "TicketPriority",
    "TicketStatus",
    "VisitReason",
    "VisitStatus",
]
