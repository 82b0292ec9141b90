"""`govhall backup [--out FILE | --dir DIR] [--keep-days N]`: the database (pg_dump -Fc, or the
SQLite file) and the uploaded files (MEDIA_ROOT) in one tar archive with a checksum manifest
(govhall/core/backup.py). Without --out the archive is DIR/govhall-YYYYmmdd-HHMMSS.tar (DIR:
GOVHALL_BACKUP_DIR); --keep-days (default GOVHALL_BACKUP_KEEP_DAYS) then removes that
directory's archives older than that many days. Exit 1 when the backup fails.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.core.backup import BackupError, archive_name, backup_create, backups_prune


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="", help="the archive to write (.tar)")
        parser.add_argument("--dir", default="", help="directory for a dated archive")
        parser.add_argument(
            "--keep-days", type=int, default=None, help="remove dated archives older than this"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        directory = Path(options["dir"] or settings.GOVHALL_BACKUP_DIR)
        out = Path(options["out"]) if options["out"] else directory / archive_name()
        try:
            manifest = backup_create(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = out.stat().st_size
        media = sum(1 for name in manifest.members if name.startswith("media/"))
        rows = sum(t.rows for t in manifest.tables.values())
        self.stdout.write(
            _(
                "Backup written: %(file)s (%(mb).1f MB; %(tables)s tables, %(rows)s rows, "
                "%(files)s uploaded files) in %(seconds).1f s."
            )
            % {
                "file": out,
                "mb": size / 1e6,
                "tables": len(manifest.tables),
                "rows": rows,
                "files": media,
                "seconds": time.monotonic() - started,
            }
        )
        if not options["out"]:
            keep = options["keep_days"]
            keep = settings.GOVHALL_BACKUP_KEEP_DAYS if keep is None else keep
            if keep > 0:
                for path in backups_prune(directory, keep_days=keep):
                    self.stdout.write(_("Removed old backup %(file)s.") % {"file": path})
