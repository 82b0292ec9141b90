"""The feedback app's supervision scans (issue 15 item 7): every overdue step of a bad rating,
complaint, petition, 12345 work order or suggestion-box entry raises an alert.

Each scan lives in its own module of this package, is idempotent, takes `now` and `full` like the
supervision scans, and writes alerts only through `govhall.supervision.services.raising`. They
join the supervision registry in `FeedbackConfig.ready()` (supervision sits beside feedback in
layer 4 and never imports it), so the beat task and `govhall supervise` run them with the rest.
"""

from __future__ import annotations

from govhall.supervision.services.scans import RegisteredScan

# name → scan, in the order they run; each part adds its own line.
FEEDBACK_SCANS: dict[str, RegisteredScan] = {}
