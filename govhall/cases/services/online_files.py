"""Attaching an online application's files to its case's materials (issue 19 item 2).

def case_material_files_attach(*, case, files: list[SubmittedFile]) -> int

Called by the online hall's submit in the same transaction as `case_submit_online`: each
material handed in online gets the stored file (the same stored name, not a copy: the file
belongs to the case from now on, served only through access-checked views), its type, size and
SHA-256, or the library entry / electronic licence that stands for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from govhall.cases.models import Case, CaseMaterial


@dataclass(frozen=True)
class SubmittedFile:
    material_id: int
    file_name: str = ""
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    library_entry_id: int | None = None
    licence_id: int | None = None


@transaction.atomic
def case_material_files_attach(*, case: Case, files: list[SubmittedFile]) -> int:
    """Put the files on the case's materials; the number of materials that got one."""
    by_material = {row.material_id: row for row in CaseMaterial.objects.filter(case=case)}
    changed: list[CaseMaterial] = []
    for submitted in files:
        row = by_material.get(submitted.material_id)
        if row is None:
            continue
        row.file.name = submitted.file_name
        row.content_type = submitted.content_type
        row.size = submitted.size
        row.sha256 = submitted.sha256
        row.library_entry_id = submitted.library_entry_id
        row.licence_id = submitted.licence_id
        changed.append(row)
    CaseMaterial.objects.bulk_update(
        changed, ["file", "content_type", "size", "sha256", "library_entry", "licence"]
    )
    return len(changed)
