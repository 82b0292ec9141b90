"""Importing a catalog workbook into one center: the upload kept privately, then a job that reads
the file, checks every row and reports every problem, and writes all of it or nothing.

Import is an upsert into one center: a code of that center updates the item (only the columns
present in the file), a new code creates it, items not in the file stay as they are. The format,
and each step, are in `govhall.catalog.spreadsheet`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from govhall.catalog.services.changes import require_catalog_manager
from govhall.catalog.spreadsheet.files import FilesArchive, check_files_upload
from govhall.catalog.spreadsheet.reading import ProblemList, check_upload, read_workbook
from govhall.catalog.spreadsheet.validating import Progress, validate_import
from govhall.catalog.spreadsheet.writing import ImportOutcome, write_import
from govhall.core.models import Job, User
from govhall.core.tasks import job_fail, job_finish, job_set_total, job_start
from govhall.org.models import Center


def _upload_dir() -> Path:
    # Outside MEDIA_ROOT: uploaded files are never public (SPEC §11).
    return Path(settings.VAR_DIR) / "uploads" / "catalog"


@transaction.atomic
def catalog_import_start(
    *, actor: User, center: Center, upload: UploadedFile, files: UploadedFile | None = None
) -> Job:
    """Check the upload, keep it privately and start the import job (progress on the job).
    Only a manager of `center` imports into its catalog. `files`: a .zip of the materials'
    blank forms and samples named in the 材料 sheet (catalog.spreadsheet.files)."""
    require_catalog_manager(actor, center.pk)
    check_upload(upload)
    if files is not None:
        check_files_upload(files)
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}.xlsx"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    files_path = ""
    if files is not None:
        kept = directory / f"{uuid.uuid4().hex}.zip"
        with kept.open("wb") as target:
            for chunk in files.chunks():
                target.write(chunk)
        files_path = str(kept)
    return job_start(
        actor=actor,
        kind="catalog.import",
        func=run_catalog_import,
        center_id=center.pk,
        actor_id=actor.pk,
        target_center_id=center.pk,
        path=str(path),
        files_path=files_path,
        file_name=upload.name or "",
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def run_catalog_import(
    *,
    job_id: int,
    actor_id: int,
    target_center_id: int,
    path: str,
    file_name: str = "",
    language: str = "",
    files_path: str = "",
) -> None:
    """The job: import the kept file (and zip of files) into the center, then delete them.

    Messages are in the language of the request that started the job (a thread has none).
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        _run_import(job_id, actor_id, target_center_id, path, file_name, files_path)


def _run_import(
    job_id: int,
    actor_id: int,
    target_center_id: int,
    path: str,
    file_name: str,
    files_path: str = "",
) -> None:
    try:
        actor = User.objects.get(pk=actor_id)
        center = Center.objects.get(pk=target_center_id)
        try:
            outcome = import_catalog(
                actor=actor,
                center=center,
                source=path,
                job_id=job_id,
                file_name=file_name,
                files=files_path or None,
            )
        except ValidationError as refused:
            job_fail(job_id, message=" ".join(refused.messages))
            return
        if outcome.problems:
            total = outcome.problem_count
            message = _(
                "The workbook was checked and has %(count)d problems. "
                "Correct them and import the file again."
            ) % {"count": total}
            if total > len(outcome.problems):
                message += " " + _("Only the first %(n)d are listed.") % {
                    "n": len(outcome.problems)
                }
            job_fail(job_id, message=message, errors=[dict(p) for p in outcome.problems])
        else:
            job_finish(job_id, message=outcome.summary(), result=outcome.result())
    finally:
        Path(path).unlink(missing_ok=True)
        if files_path:
            Path(files_path).unlink(missing_ok=True)


def import_catalog(
    *,
    actor: User | None,
    center: Center,
    source: str | Path | bytes,
    job_id: int | None = None,
    file_name: str = "",
    files: str | Path | bytes | None = None,
) -> ImportOutcome:
    """Check every row of the workbook, then write it all in one transaction or nothing.

    With `job_id`, progress goes to the job: one unit per row checked plus one per item and
    material, fee and window row written, reported every `validating.PROGRESS_EVERY` rows.
    """
    progress = Progress(job_id)
    problems = ProblemList()
    sheets = read_workbook(source, problems)
    if not sheets:
        return ImportOutcome(problems=problems.sorted(), problem_count=problems.count)
    row_count = sum(len(sheet.rows) for sheet in sheets.values())
    if job_id is not None:
        job_set_total(job_id, 2 * row_count)  # each row is checked, then written
    archive = FilesArchive(files) if files is not None else None
    plan = validate_import(center, sheets, problems, progress, files=archive)
    if problems:
        return ImportOutcome(problems=problems.sorted(), problem_count=problems.count)
    if job_id is not None:
        Job.objects.filter(pk=job_id).update(
            message=_("All %(n)d rows are valid; saving…") % {"n": row_count}
        )
    with transaction.atomic():
        return write_import(
            plan, actor=actor, progress=progress, job_id=job_id, file_name=file_name
        )
