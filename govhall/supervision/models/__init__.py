from govhall.supervision.models.alerts import (
    Alert,
    AlertQuerySet,
    AlertStatus,
    ScanState,
    WithdrawalReason,
)
from govhall.supervision.models.patrols import (
    CriticismNotice,
    NoticeKind,
    PatrolCheck,
    PatrolFinding,
    PatrolRound,
    PatrolSession,
    PatrolVisit,
)
from govhall.supervision.models.rules import AlertLevel, AlertRule, AlertSubject

__all__ = [
    "Alert",
    "AlertLevel",
    "AlertQuerySet",
    "AlertRule",
    "AlertStatus",
    "AlertSubject",
    "CriticismNotice",
    "NoticeKind",
    "PatrolCheck",
    "PatrolFinding",
    "PatrolRound",
    "PatrolSession",
    "PatrolVisit",
    "ScanState",
    "WithdrawalReason",
]
