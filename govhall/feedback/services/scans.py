"""The feedback app's supervision scans (issue 15 item 7): every overdue step of a bad rating,
complaint, petition, 12345 work order or suggestion-box entry raises an alert.

Each scan lives in its own module of this package, is idempotent, takes `now` and `full` like the
supervision scans, and writes alerts only through `govhall.supervision.services.raising`. They
join the supervision registry in `FeedbackConfig.ready()` (supervision sits beside feedback in
layer 4 and never imports it), so the beat task and `govhall supervise` run them with the rest.
"""

from __future__ import annotations

from govhall.feedback.services.complaint_scan import scan_complaints
from govhall.feedback.services.petition_scan import scan_petitions
from govhall.feedback.services.rating_scan import scan_rating_overdue
from govhall.feedback.services.suggestion_scan import scan_suggestions
from govhall.feedback.services.work_order_scan import scan_work_orders
from govhall.supervision.models import AlertSubject
from govhall.supervision.services.scans import RegisteredScan

# name → scan, in the order they run; each part adds its own line.
FEEDBACK_SCANS: dict[str, RegisteredScan] = {
    "suggestion_overdue": RegisteredScan(scan_suggestions, AlertSubject.SUGGESTION_OVERDUE.label),
    "work_order_overdue": RegisteredScan(scan_work_orders, AlertSubject.WORK_ORDER_OVERDUE.label),
    "petition_overdue": RegisteredScan(scan_petitions, AlertSubject.PETITION_OVERDUE.label),
    "complaint_overdue": RegisteredScan(scan_complaints, AlertSubject.COMPLAINT_OVERDUE.label),
    "rating_overdue": RegisteredScan(
        scan_rating_overdue, AlertSubject.RATING_FOLLOW_UP_OVERDUE.label
    ),
}
