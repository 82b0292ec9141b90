"""Backups: the database and the uploaded files in one archive, with a checksum manifest
(issue 20 item 8).

Entry points (the `govhall backup` and `govhall restore` commands are thin faces over them):

def backup_create(out: Path, *, alias="default", media_root=None) -> Manifest
def backup_verify(archive: Path) -> Manifest   # each member's sha256 and size, or BackupError
def backup_restore(archive, *, target=None, media_root=None, force=False) -> RestoreReport
def table_checks_of(settings_dict) -> dict[str, TableCheck]   # rows, content checksum per table
def backups_prune(directory: Path, *, keep_days: int, now=None) -> list[Path]

The archive is a plain tar file:

    database.pgdump     pg_dump -Fc of the database (PostgreSQL), or
    database.sqlite3    a copy of the SQLite file made with SQLite's online backup API
    media/...           every file under MEDIA_ROOT
    MANIFEST.json       format, created at, app version, migration heads, database vendor,
                        each member's sha256 and size, per table its rows and content checksum

The content checksum of a table is the md5 of its rows' md5s, sorted (so it depends on the
rows, not on their physical order): on PostgreSQL computed in SQL (`md5(t::text)` per row), on
SQLite in Python over a streamed cursor. On PostgreSQL the checksums and pg_dump read one
snapshot (`pg_export_snapshot` → `pg_dump --snapshot`), so the manifest describes exactly what
the dump holds even while the hall keeps working; on SQLite the checksums are read from the
copy in the archive.

A restore first verifies every member against the manifest (a changed, missing or extra member
refuses the archive and changes nothing), refuses a database that already has tables (and a
media directory that already has files) unless forced, restores (pg_restore --no-owner in one
transaction; the SQLite file through the backup API), then recomputes the checksums of the
restored database and files and compares them with the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

import psycopg
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

FORMAT = "govhall-backup"
FORMAT_VERSION = 1
MANIFEST = "MANIFEST.json"
PG_MEMBER = "database.pgdump"
SQLITE_MEMBER = "database.sqlite3"
MEDIA_PREFIX = "media/"
ARCHIVE_NAME = re.compile(r"^govhall-\d{8}-\d{6}\.tar$")
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class TableCheck:
    rows: int
    checksum: str


@dataclass
class Manifest:
    data: dict[str, Any]

    @property
    def vendor(self) -> str:
        return str(self.data["database"]["vendor"])

    @property
    def members(self) -> dict[str, dict[str, Any]]:
        return dict(self.data["members"])

    @property
    def tables(self) -> dict[str, TableCheck]:
        return {
            name: TableCheck(rows=int(t["rows"]), checksum=str(t["checksum"]))
            for name, t in self.data["tables"].items()
        }


@dataclass(frozen=True)
class Comparison:
    name: str
    expected: TableCheck | None
    found: TableCheck | None

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclass
class RestoreReport:
    manifest: Manifest
    tables: list[Comparison] = field(default_factory=list)
    media_files: int = 0
    media_mismatches: list[str] = field(default_factory=list)
    code_heads: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.tables) and not self.media_mismatches


# --- checksums ---------------------------------------------------------------------------------


def _digest_of_hashes(hashes: list[bytes]) -> str:
    hashes.sort()
    total = hashlib.md5(usedforsecurity=False)
    for one in hashes:
        total.update(one)
    return total.hexdigest()


def _sqlite_open(name: str | Path, *, readonly: bool) -> sqlite3.Connection:
    """A plain sqlite3 connection (no type converters) to a file or to a `file:` URI (the test
    suite's shared in-memory database)."""
    text = str(name)
    if text.startswith("file:"):
        return sqlite3.connect(text, uri=True)
    if readonly:
        return sqlite3.connect(f"file:{Path(text).resolve()}?mode=ro", uri=True)
    return sqlite3.connect(text)


def sqlite_table_checks(path: str | Path) -> dict[str, TableCheck]:
    """Rows and content checksum of every table of a SQLite database (plain sqlite3, no type
    converters, so the same file always gives the same figures)."""
    db = _sqlite_open(path, readonly=True)
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        result = {}
        for name in names:
            cursor = db.execute(f'SELECT * FROM "{name}"')  # names from the catalog
            hashes: list[bytes] = []
            while batch := cursor.fetchmany(5000):
                hashes.extend(
                    hashlib.md5(repr(row).encode(), usedforsecurity=False).digest() for row in batch
                )
            result[name] = TableCheck(rows=len(hashes), checksum=_digest_of_hashes(hashes))
        return result
    finally:
        db.close()


PG_TABLES = """
SELECT schemaname, tablename FROM pg_tables
WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2
"""


def _pg_table_checks(conn: psycopg.Connection[Any]) -> dict[str, TableCheck]:
    result = {}
    for schema, table in conn.execute(PG_TABLES).fetchall():
        ident = sql.Identifier(schema, table)
        query = sql.SQL(
            "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
            "FROM (SELECT md5(t::text) AS h FROM {} t) s"
        ).format(ident)
        row = conn.execute(query).fetchone()
        assert row is not None
        name = table if schema == "public" else f"{schema}.{table}"
        # The md5 over the hex strings of the rows' md5s, sorted: a digest of the sorted rows.
        result[name] = TableCheck(rows=int(row[0]), checksum=str(row[1]))
    return result


def _pg_params(settings_dict: dict[str, Any]) -> dict[str, Any]:
    options = settings_dict.get("OPTIONS") or {}
    params: dict[str, Any] = {
        "dbname": settings_dict.get("NAME") or "postgres",
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            params[key] = options[key]
    return {k: v for k, v in params.items() if v is not None}


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore (the password never on a command line)."""
    names = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "passfile": "PGPASSFILE",
        "service": "PGSERVICE",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in _pg_params(settings_dict).items():
        env[names[key]] = str(value)
    return env


@contextmanager
def _pg_connect(settings_dict: dict[str, Any]) -> Iterator[psycopg.Connection[Any]]:
    try:
        conn = psycopg.connect(**_pg_params(settings_dict), autocommit=True)
    except psycopg.OperationalError as exc:
        raise BackupError(
            _("Cannot connect to the database: %(error)s") % {"error": str(exc).strip()}
        ) from exc
    try:
        # The rows' text must not depend on the session: the same time zone and formats always.
        conn.execute("SET TIME ZONE 'UTC'")
        conn.execute("SET DateStyle = 'ISO, YMD'")
        conn.execute("SET IntervalStyle = 'postgres'")
        conn.execute("SET extra_float_digits = 1")
        yield conn
    finally:
        conn.close()


def table_checks_of(settings_dict: dict[str, Any]) -> dict[str, TableCheck]:
    """Rows and content checksum per table of the database these Django settings name."""
    if _vendor(settings_dict) == "sqlite":
        name = str(settings_dict["NAME"])
        if not name.startswith("file:") and not Path(name).exists():
            return {}
        return sqlite_table_checks(name)
    with _pg_connect(settings_dict) as conn:
        return _pg_table_checks(conn)


def _vendor(settings_dict: dict[str, Any]) -> str:
    engine = str(settings_dict.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(
        _("Backups support PostgreSQL and SQLite only, not %(engine)s.") % {"engine": engine}
    )


def _pg_bin(conn: psycopg.Connection[Any], tool: str) -> str:
    """pg_dump/pg_restore of the server's major version (or newer), else the one on PATH."""
    major = conn.info.server_version // 10000
    configured = os.environ.get("GOVHALL_PG_BIN", "")
    candidates = [Path(configured)] if configured else []
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    candidates += [p for p in found if p.parent.name.isdigit() and int(p.parent.name) == major]
    candidates += [p for p in found if p.parent.name.isdigit() and int(p.parent.name) > major]
    for directory in candidates:
        if (directory / tool).is_file():
            return str(directory / tool)
    on_path = shutil.which(tool)
    if on_path:
        return on_path
    raise BackupError(
        _("%(tool)s was not found: install the PostgreSQL client of version %(major)s or newer.")
        % {"tool": tool, "major": major}
    )


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s failed: %(error)s")
            % {"what": what, "error": (done.stderr or done.stdout).strip()[-2000:]}
        )


# --- archive helpers -------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_stream(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o640
    with path.open("rb") as handle:
        tar.addfile(info, handle)
    # Hashed after adding, from the same file: a file changed meanwhile shows at verify time.
    return {"sha256": _sha256_file(path), "size": info.size}


def _migration_heads(alias: str) -> list[str]:
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())


def _app_version() -> str:
    try:
        return metadata.version("govhall")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- backup ----------------------------------------------------------------------------------


def backup_create(out: Path, *, alias: str = "default", media_root: Path | None = None) -> Manifest:
    """Writes the archive to `out` (via a temporary file beside it, renamed at the end) and
    `out.sha256` (the archive's own checksum, in sha256sum's format)."""
    settings_dict = connections[alias].settings_dict
    vendor = _vendor(settings_dict)
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    out.parent.mkdir(parents=True, exist_ok=True)
    members: dict[str, dict[str, Any]] = {}
    database: dict[str, Any] = {"vendor": vendor}
    with tempfile.TemporaryDirectory(prefix="govhall-backup-", dir=out.parent) as work:
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            if vendor == "postgresql":
                dump = Path(work) / PG_MEMBER
                with _pg_connect(settings_dict) as conn:
                    database["server_version"] = conn.info.server_version
                    pg_dump = _pg_bin(conn, "pg_dump")
                    with conn.transaction():
                        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
                        assert row is not None
                        _run(
                            [pg_dump, "-Fc", f"--snapshot={row[0]}", "-f", str(dump)],
                            _pg_env(settings_dict),
                            "pg_dump",
                        )
                        tables = _pg_table_checks(conn)
                members[PG_MEMBER] = _add_file(tar, dump, PG_MEMBER)
                dump.unlink()
            else:
                copy = Path(work) / SQLITE_MEMBER
                source = connections[alias]
                source.ensure_connection()
                target = sqlite3.connect(copy)
                try:
                    source.connection.backup(target)
                finally:
                    target.close()
                tables = sqlite_table_checks(copy)
                members[SQLITE_MEMBER] = _add_file(tar, copy, SQLITE_MEMBER)
                copy.unlink()
            for path in _media_files(media):
                name = MEDIA_PREFIX + path.relative_to(media).as_posix()
                members[name] = _add_file(tar, path, name)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(timespec="seconds"),
                "app_version": _app_version(),
                "migration_heads": _migration_heads(alias),
                "database": database,
                "members": members,
                "tables": {
                    name: {"rows": t.rows, "checksum": t.checksum}
                    for name, t in sorted(tables.items())
                },
            }
            raw = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mode = 0o640
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(raw))
        os.replace(partial, out)
    (out.parent / f"{out.name}.sha256").write_text(f"{_sha256_file(out)}  {out.name}\n")
    return Manifest(manifest)


def backups_prune(
    directory: Path, *, keep_days: int, now: datetime.datetime | None = None
) -> list[Path]:
    """Removes the archives `govhall-YYYYmmdd-HHMMSS.tar` (and their .sha256) in `directory`
    older than `keep_days` days; other files are never touched. Returns what it removed."""
    moment = now or timezone.now()
    removed = []
    for path in sorted(directory.glob("govhall-*.tar")):
        if not ARCHIVE_NAME.match(path.name):
            continue
        stamp = datetime.datetime.strptime(path.name[8:23], "%Y%m%d-%H%M%S").replace(
            tzinfo=datetime.UTC
        )
        if moment - stamp > datetime.timedelta(days=keep_days):
            path.unlink()
            path.with_name(path.name + ".sha256").unlink(missing_ok=True)
            removed.append(path)
    return removed


def archive_name(now: datetime.datetime | None = None) -> str:
    moment = (now or timezone.now()).astimezone(datetime.UTC)
    return f"govhall-{moment:%Y%m%d-%H%M%S}.tar"


# --- verify ----------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def backup_verify(archive: Path) -> Manifest:
    """Checks the archive against its manifest: every member present with its size and sha256,
    nothing more, nothing but plain files. Raises BackupError (nothing was changed)."""
    refused = _("The archive %(file)s is damaged or was altered; nothing was restored: %(why)s")

    def refuse(why: str) -> BackupError:
        return BackupError(refused % {"file": archive.name, "why": why})

    if not archive.is_file():
        return_error = _("The archive %(file)s does not exist.") % {"file": archive}
        raise BackupError(return_error)
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.is_file():
        expected = sidecar.read_text().split()[:1]
        if expected != [_sha256_file(archive)]:
            raise refuse(_("its checksum differs from %(file)s") % {"file": sidecar.name})
    try:
        tar = tarfile.open(archive, "r:")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise refuse(_("it is not a tar archive (%(error)s)") % {"error": exc}) from exc
    with tar:
        try:
            infos = tar.getmembers()
        except (tarfile.TarError, OSError) as exc:
            raise refuse(_("it is not a tar archive (%(error)s)") % {"error": exc}) from exc
        by_name = {}
        for info in infos:
            if not info.isfile() or not _safe_member_name(info.name) or info.name in by_name:
                raise refuse(_("unexpected member %(name)s") % {"name": info.name})
            by_name[info.name] = info
        if MANIFEST not in by_name:
            raise refuse(_("it has no %(name)s") % {"name": MANIFEST})
        handle = tar.extractfile(by_name.pop(MANIFEST))
        assert handle is not None
        try:
            data = json.loads(handle.read().decode("utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(data.get("format"))
            listed = data["members"]
            if not isinstance(data["tables"], dict) or not data["database"]["vendor"]:
                raise ValueError("tables")
        except (ValueError, KeyError, TypeError) as exc:
            raise refuse(_("its manifest cannot be read")) from exc
        if int(data.get("format_version", 0)) > FORMAT_VERSION:
            raise BackupError(
                _("The archive was made by a newer govhall (format %(version)s); update first.")
                % {"version": data.get("format_version")}
            )
        for name in sorted(set(by_name) - set(listed)):
            raise refuse(_("member %(name)s is not in the manifest") % {"name": name})
        for name, expected in sorted(listed.items()):
            if name not in by_name:
                raise refuse(_("member %(name)s is missing") % {"name": name})
            member = tar.extractfile(by_name[name])
            assert member is not None
            digest, size = _sha256_stream(member)
            if size != expected.get("size") or digest != expected.get("sha256"):
                raise refuse(_("member %(name)s does not match its checksum") % {"name": name})
    return Manifest(data)


# --- restore ---------------------------------------------------------------------------------


def _database_tables(settings_dict: dict[str, Any]) -> list[str]:
    if _vendor(settings_dict) == "sqlite":
        name = str(settings_dict["NAME"])
        if not name.startswith("file:") and (
            not Path(name).exists() or Path(name).stat().st_size == 0
        ):
            return []
        db = _sqlite_open(name, readonly=True)
        try:
            return [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
        finally:
            db.close()
    with _pg_connect(settings_dict) as conn:
        return [f"{s}.{t}" for s, t in conn.execute(PG_TABLES).fetchall()]


def _target_description(settings_dict: dict[str, Any]) -> str:
    if _vendor(settings_dict) == "sqlite":
        return str(settings_dict["NAME"])
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"{settings_dict.get('NAME')} @ {host}:{port}"


def restore_target_state(
    target: dict[str, Any] | None = None, media_root: Path | None = None
) -> tuple[str, int, int]:
    """Where a restore would go, and how many tables and media files are already there."""
    settings_dict = target if target is not None else connections["default"].settings_dict
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    return (
        _target_description(settings_dict),
        len(_database_tables(settings_dict)),
        len(_media_files(media)),
    )


def backup_restore(
    archive: Path,
    *,
    target: dict[str, Any] | None = None,
    media_root: Path | None = None,
    force: bool = False,
) -> RestoreReport:
    """Restores the archive into the database `target` (Django settings; default: the
    configured one) and `media_root`, then compares the restored tables and files with the
    manifest (the report says what differs; `report.ok`)."""
    manifest = backup_verify(archive)
    settings_dict = target if target is not None else connections["default"].settings_dict
    vendor = _vendor(settings_dict)
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    if manifest.vendor != vendor:
        raise BackupError(
            _("The archive holds a %(archived)s database; the target is %(target)s.")
            % {"archived": manifest.vendor, "target": vendor}
        )
    if not force:
        if _database_tables(settings_dict):
            raise BackupError(
                _(
                    "The database %(target)s is not empty; nothing was restored. Restore into "
                    "a new, empty database, or add --force to replace its contents."
                )
                % {"target": _target_description(settings_dict)}
            )
        if _media_files(media):
            raise BackupError(
                _(
                    "The media directory %(dir)s already holds files; nothing was restored. "
                    "Empty it, or add --force to overwrite."
                )
                % {"dir": media}
            )
    with tarfile.open(archive, "r:") as tar:
        work_parent = media.parent if media.parent.is_dir() else None
        with tempfile.TemporaryDirectory(prefix="govhall-restore-", dir=work_parent) as work:
            if vendor == "postgresql":
                dump = Path(work) / PG_MEMBER
                tar.extract(PG_MEMBER, work, filter="data")
                _pg_restore(dump, settings_dict, clean=force)
            else:
                copy = Path(work) / SQLITE_MEMBER
                tar.extract(SQLITE_MEMBER, work, filter="data")
                _sqlite_restore(copy, str(settings_dict["NAME"]))
            media.mkdir(parents=True, exist_ok=True)
            for name in manifest.members:
                if name.startswith(MEDIA_PREFIX):
                    info = tar.getmember(name)
                    info.name = name[len(MEDIA_PREFIX) :]
                    tar.extract(info, media, filter="data")
    report = RestoreReport(manifest=manifest)
    found = table_checks_of(settings_dict)
    expected = manifest.tables
    for name in sorted(set(expected) | set(found)):
        report.tables.append(Comparison(name, expected.get(name), found.get(name)))
    for name, member in sorted(manifest.members.items()):
        if not name.startswith(MEDIA_PREFIX):
            continue
        report.media_files += 1
        path = media / name[len(MEDIA_PREFIX) :]
        if not path.is_file() or _sha256_file(path) != member["sha256"]:
            report.media_mismatches.append(name[len(MEDIA_PREFIX) :])
    try:
        report.code_heads = _migration_heads("default")
    except Exception:  # only a hint for the operator
        report.code_heads = []
    return report


def _pg_restore(dump: Path, settings_dict: dict[str, Any], *, clean: bool) -> None:
    with _pg_connect(settings_dict) as conn:
        pg_restore = _pg_bin(conn, "pg_restore")
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", "-d", str(settings_dict.get("NAME"))]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump)], _pg_env(settings_dict), "pg_restore")


def _sqlite_restore(copy: Path, name: str) -> None:
    if not name.startswith("file:"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    source = _sqlite_open(copy, readonly=True)
    target = _sqlite_open(name, readonly=False)
    try:
        source.backup(target)  # replaces every page of the target, WAL or not
    finally:
        source.close()
        target.close()
