from govhall.assessment.models.annual import AnnualResult, DepartmentReport, ReportKind
from govhall.assessment.models.evaluation import (
    DEFAULT_WEIGHTS,
    EvaluationMark,
    EvaluationSource,
    EvaluationWeights,
)
from govhall.assessment.models.sheets import EntryKind, ScoreEntry, ScoreSheet, SheetStatus

__all__ = [
    "DEFAULT_WEIGHTS",
    "AnnualResult",
    "DepartmentReport",
    "EntryKind",
    "EvaluationMark",
    "EvaluationSource",
    "EvaluationWeights",
    "ReportKind",
    "ScoreEntry",
    "ScoreSheet",
    "SheetStatus",
]
