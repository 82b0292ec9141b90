from govhall.assessment.models.evaluation import (
    DEFAULT_WEIGHTS,
    EvaluationMark,
    EvaluationSource,
    EvaluationWeights,
)
from govhall.assessment.models.sheets import EntryKind, ScoreEntry, ScoreSheet, SheetStatus

__all__ = [
    "DEFAULT_WEIGHTS",
    "EntryKind",
    "EvaluationMark",
    "EvaluationSource",
    "EvaluationWeights",
    "ScoreEntry",
    "ScoreSheet",
    "SheetStatus",
]
