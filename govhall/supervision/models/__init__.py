from govhall.supervision.models.alerts import Alert, AlertQuerySet, ScanState, WithdrawalReason
from govhall.supervision.models.rules import AlertLevel, AlertRule, AlertSubject

__all__ = [
    "Alert",
    "AlertLevel",
    "AlertQuerySet",
    "AlertRule",
    "AlertSubject",
    "ScanState",
    "WithdrawalReason",
]
