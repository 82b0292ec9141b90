"""Public progress inquiries, kept to slow down guessing."""

from __future__ import annotations

from django.db import models


class ProgressLookup(models.Model):
    """One public progress inquiry, kept to slow down guessing (rate limit by address and case)."""

    at = models.DateTimeField(auto_now_add=True)
    client = models.CharField(max_length=64)
    case_number = models.CharField(max_length=48)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["client", "at"], name="progress_client_idx"),
            models.Index(fields=["case_number", "at"], name="progress_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.case_number}"
