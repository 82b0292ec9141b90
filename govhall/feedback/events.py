"""Every event name the feedback app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `FeedbackConfig.ready()`.

Each helper adds the names of its part in its own block; keep them grouped."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackEvent(models.TextChoices):
    # A full view of a person's data in any register (services/privacy.py)
    VIEW_PERSONAL_DATA = "feedback.view_personal_data", _("Personal data viewed in full")
    # Ratings (好差评)
    RATING_GIVE = "rating.give", _("Rating given")
    # The follow-up of a bad rating (rating_transitions.py)
    RATING_CALL_BACK = "rating.call_back", _("Bad rating called back and verified")
    RATING_RECTIFY = "rating.rectify", _("Bad rating rectified")
    RATING_TELL = "rating.tell", _("Result told to the citizen")
    RATING_APPEAL = "rating.appeal", _("Bad rating appealed as malicious or mistaken")
    RATING_EXCLUDE = "rating.exclude", _("Appeal agreed: rating excluded from the figures")
    RATING_REJECT_APPEAL = "rating.reject_appeal", _("Appeal of a bad rating rejected")
    # Rating screens at the windows (评价器)
    RATING_SCREEN_CREATE = "rating_screen.create", _("Rating screen added to a window")
    RATING_SCREEN_ISSUE_CODE = "rating_screen.issue_code", _("Rating screen pairing code issued")
    RATING_SCREEN_PAIR = "rating_screen.pair", _("Rating screen paired with a tablet")
    RATING_SCREEN_REVOKE = "rating_screen.revoke", _("Rating screen revoked")
    # Complaints (投诉)
    COMPLAINT_REGISTER = "complaint.register", _("Complaint registered")
    COMPLAINT_ASSIGN = "complaint.assign", _("Complaint assigned to a department (交办单)")
    COMPLAINT_REPLY = "complaint.reply", _("Department replied to a complaint's assignment")
    COMPLAINT_ANSWER = "complaint.answer", _("Complaint answered with a finding")
    COMPLAINT_TELL = "complaint.tell", _("Complainant told the result")
    COMPLAINT_CLOSE = "complaint.close", _("Complaint closed")
    # Petitions (信访)
    PETITION_REGISTER = "petition.register", _("Petition registered")
    PETITION_ANSWER = "petition.answer", _("Petition answered")
    PETITION_ACCEPT = "petition.accept", _("Petition accepted")
    PETITION_REFUSE = "petition.refuse", _("Petition not accepted")
    PETITION_EXTEND = "petition.extend", _("Petition's time limit extended")
    PETITION_ASSIGN = "petition.assign", _("Petition assigned to a department")
    PETITION_CLOSE = "petition.close", _("Petition closed with an opinion")
    PETITION_REQUEST_REVIEW = "petition.request_review", _("Petition review requested")
    PETITION_ANSWER_REVIEW = "petition.answer_review", _("Petition review answered")
    PETITION_SCHEDULE_RECEPTION = "petition.schedule_reception", _("Leader reception day scheduled")
    PETITION_RECEIVE = "petition.receive", _("Petition received by a leader")
    # 12345 work orders
    WORK_ORDER_RECEIVE = "work_order.receive", _("12345 work order received")
    HOTLINE_ACCOUNT_SET = "hotline_account.set", _("12345 hotline account set up")
    WORK_ORDER_ROUTE = "work_order.route", _("12345 work order routed to a department")
    WORK_ORDER_SIGN = "work_order.sign", _("12345 work order signed for")
    WORK_ORDER_SEND_BACK = "work_order.send_back", _("12345 work order sent back as not ours")
    WORK_ORDER_EXTEND = "work_order.extend", _("12345 work order extended")
    WORK_ORDER_REPLY = "work_order.reply", _("12345 work order replied to")
    WORK_ORDER_RETURN_VISIT = (
        "work_order.record_return_visit",
        _("12345 work order return visit recorded"),
    )
    WEBHOOK_DELIVERY_RETRY = "webhook_delivery.retry", _("Hotline webhook delivery retried")
    # Suggestion box and message book
    SUGGESTION_RECEIVE = "suggestion.receive", _("Suggestion or message received")
    SUGGESTION_REPLY = "suggestion.reply", _("Suggestion or message replied to")
    SUGGESTION_SUMMARY_SEND = "suggestion.send_summary", _("Monthly suggestion summary sent")
    # Social supervisors and surveys
    SUPERVISOR_APPOINT = "supervisor.appoint", _("Social supervisor appointed")
    SUPERVISOR_END = "supervisor.end", _("Social supervisor's term ended early")
    SUPERVISOR_VISIT_RECORD = "supervisor_visit.record", _("Social supervisor's record made")
    SUPERVISOR_VISIT_RESPOND = "supervisor_visit.respond", _("Social supervisor's record answered")
    SURVEY_CREATE = "survey.create", _("Satisfaction survey defined")
    SURVEY_OPEN = "survey.open", _("Satisfaction survey opened")
    SURVEY_CLOSE = "survey.close", _("Satisfaction survey closed")
