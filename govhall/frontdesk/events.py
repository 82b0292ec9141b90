"""Every event name the front-desk app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Services pass these constants to
`record_event`; the app registers the class in `FrontdeskConfig.ready()`.

A ticket's actions (ticket_transitions.py) each write the event of the same verb
(`TICKET_ACTION_EVENTS`), an appointment's decisions those of appointment_transitions.py.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.frontdesk.ticket_transitions import TicketAction


class FrontdeskEvent(models.TextChoices):
    # The queue (排队叫号): tickets and their service groups
    TICKET_TAKE = "ticket.take", _("Ticket taken")
    TICKET_CALL = "ticket.call", _("Ticket called")
    TICKET_RECALL = "ticket.recall", _("Ticket called again")
    TICKET_MARK_NO_SHOW = "ticket.mark_no_show", _("Ticket marked as a no-show")
    TICKET_START = "ticket.start", _("Service of the ticket started")
    TICKET_FINISH = "ticket.finish", _("Service of the ticket finished")
    TICKET_TRANSFER = "ticket.transfer", _("Ticket transferred")
    TICKET_CANCEL = "ticket.cancel", _("Ticket cancelled")
    TICKET_CONFIRM_PRIORITY = "ticket.confirm_priority", _("Ticket priority confirmed")
    TICKET_UNDO_NO_SHOW = "ticket.undo_no_show", _("No-show of the ticket undone")
    TICKET_REQUEUE = "ticket.requeue", _("Ticket put back in line")
    TICKET_OPEN_CASE = "ticket.open_case", _("Case opened from the ticket")
    QUEUE_CREATE_GROUP = "queue.create_group", _("Service group created")
    QUEUE_UPDATE_GROUP = "queue.update_group", _("Service group changed")
    QUEUE_BUILD_GROUP = "queue.build_group", _("Service group built from the catalog")
    # The SMS code that proves a phone before a public booking
    PHONE_CODE_SEND = "phone_code.send", _("SMS code sent")
    # Appointments (预约服务)
    APPOINTMENT_BOOK = "appointment.book", _("Appointment booked")
    APPOINTMENT_REQUEST = "appointment.request", _("Off-hours appointment requested")
    APPOINTMENT_APPROVE = "appointment.approve", _("Off-hours request approved")
    APPOINTMENT_DECLINE = "appointment.decline", _("Off-hours request declined")
    APPOINTMENT_CANCEL = "appointment.cancel", _("Appointment cancelled")
    APPOINTMENT_CHECK_IN = "appointment.check_in", _("Appointment checked in")
    APPOINTMENT_SERVE = "appointment.serve", _("Appointment served")
    APPOINTMENT_MARK_NO_SHOW = "appointment.mark_no_show", _("Appointment marked as a no-show")
    APPOINTMENT_CANCEL_RANGE = "appointment.cancel_range", _("Appointments cancelled for an outage")
    APPOINTMENT_VIEW_PERSONAL_DATA = (
        "appointment.view_personal_data",
        _("Applicant's personal data viewed"),
    )
    APPOINTMENT_DECLARE_CANNOT_SERVE = (
        "appointment.declare_cannot_serve",
        _("Named staff member cannot serve the appointment"),
    )
    APPOINTMENT_REASSIGN = "appointment.reassign", _("Off-hours appointment reassigned")
    # Service beyond the counter (issue 21 item 6): 延时服务, 上门服务, 跟踪服务
    OVERTIME_START = "overtime.start", _("Extended service started")
    OVERTIME_END = "overtime.end", _("Extended service ended")
    HOME_VISIT_BOOK = "home_visit.book", _("Home visit booked")
    HOME_VISIT_SCHEDULE = "home_visit.schedule", _("Home visit assigned and scheduled")
    HOME_VISIT_RECORD_RESULT = "home_visit.record_result", _("Result of the home visit recorded")
    HOME_VISIT_CANCEL = "home_visit.cancel", _("Home visit cancelled")
    HOME_VISIT_VIEW_PERSONAL_DATA = (
        "home_visit.view_personal_data",
        _("Personal data of a home visit viewed"),
    )
    KEY_PROJECT_CREATE = "key_project.create", _("Key project added for follow-up")
    KEY_PROJECT_LOG_CALL = "key_project.log_call", _("Follow-up call logged")
    # First inquiries (首问负责制)
    INQUIRY_LOG = "inquiry.log", _("Logged by the first responder")
    INQUIRY_ACKNOWLEDGE = "inquiry.acknowledge", _("Taken on by the receiving department")
    INQUIRY_FINISH = "inquiry.finish", _("Marked done")
    INQUIRY_VIEW_CONTACT = "inquiry.view_contact", _("Contact phone viewed")
    # Hall notices (公告, issue 18 item 5)
    NOTICE_CREATE = "hall_notice.create", _("Hall notice created")
    NOTICE_UPDATE = "hall_notice.update", _("Hall notice changed")
    NOTICE_DELETE = "hall_notice.delete", _("Hall notice deleted")
    NOTICE_WITHDRAW = "hall_notice.withdraw", _("Hall notice withdrawn")


# The event each action of the ticket table writes (`services.tickets.ticket_act`).
TICKET_ACTION_EVENTS: dict[str, FrontdeskEvent] = {
    TicketAction.CALL: FrontdeskEvent.TICKET_CALL,
    TicketAction.RECALL: FrontdeskEvent.TICKET_RECALL,
    TicketAction.NO_SHOW: FrontdeskEvent.TICKET_MARK_NO_SHOW,
    TicketAction.START: FrontdeskEvent.TICKET_START,
    TicketAction.FINISH: FrontdeskEvent.TICKET_FINISH,
    TicketAction.TRANSFER: FrontdeskEvent.TICKET_TRANSFER,
    TicketAction.CANCEL: FrontdeskEvent.TICKET_CANCEL,
    TicketAction.CONFIRM_PRIORITY: FrontdeskEvent.TICKET_CONFIRM_PRIORITY,
    TicketAction.UNDO_NO_SHOW: FrontdeskEvent.TICKET_UNDO_NO_SHOW,
    TicketAction.REQUEUE: FrontdeskEvent.TICKET_REQUEUE,
}
