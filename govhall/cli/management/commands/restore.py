"""`govhall restore FILE [--yes] [--force]`: restores an archive of `govhall backup` into the
configured database and MEDIA_ROOT (govhall/core/backup.py). Every member is checked against the
manifest first (a damaged or altered archive is refused, nothing changed); a database with
tables or a media directory with files is refused unless --force; afterwards the rows and
content checksum of every table and every restored file are compared with the manifest and
printed. Exit 1 on a refusal or any difference, 2 on bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.core.backup import BackupError, backup_restore, backup_verify, restore_target_state


class Command(BaseCommand):
    help = "Restore a backup archive into the configured database and media directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="an archive written by `govhall backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            manifest = backup_verify(archive)
            where, tables, files = restore_target_state()
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Archive verified: made %(created)s, %(vendor)s, %(members)s members.")
            % {
                "created": manifest.data.get("created_at", ""),
                "vendor": manifest.vendor,
                "members": len(manifest.members),
            }
        )
        if not options["yes"]:
            question = _(
                "Restore into %(target)s (%(tables)s tables, %(files)s uploaded files there "
                "now)? Type yes to go on: "
            ) % {"target": where, "tables": tables, "files": files}
            if not sys.stdin.isatty():
                raise CommandError(_("Not confirmed: add --yes to restore without a question."))
            if input(question).strip().lower() not in {"yes", "y", "是"}:
                raise CommandError(_("Nothing was restored."))
        try:
            report = backup_restore(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        header = (_("table"), _("rows in archive"), _("rows restored"), _("content"))
        width = max([len(header[0]), *(len(c.name) for c in report.tables)])
        self.stdout.write(f"{header[0]:<{width}}  {header[1]:>10}  {header[2]:>10}  {header[3]}")
        for c in report.tables:
            expected = "-" if c.expected is None else str(c.expected.rows)
            found = "-" if c.found is None else str(c.found.rows)
            same = _("same") if c.ok else _("DIFFERENT")
            self.stdout.write(f"{c.name:<{width}}  {expected:>10}  {found:>10}  {same}")
        self.stdout.write(
            _("Uploaded files: %(count)s restored, %(bad)s different.")
            % {"count": report.media_files, "bad": len(report.media_mismatches)}
        )
        for name in report.media_mismatches:
            self.stdout.write(_("  different: %(file)s") % {"file": name})
        archived = manifest.data.get("migration_heads") or []
        if report.code_heads and archived and sorted(archived) != report.code_heads:
            self.stdout.write(
                _(
                    "The archive was made with other migrations than this code has: run "
                    "`govhall migrate` next."
                )
            )
        if not report.ok:
            raise CommandError(
                _("The restored data differ from the archive's manifest (see above).")
            )
        self.stdout.write(_("Restore finished: every table and file matches the manifest."))
