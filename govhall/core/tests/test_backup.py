"""Backups (issue 20 item 8): `govhall backup` and `govhall restore`.

The same tests run on the suite's database: on SQLite the archive holds a copy of the file made
through SQLite's backup API and is restored into a new file; on PostgreSQL (DATABASE_URL) it
holds pg_dump's custom format and is restored into a new database created on the same server
(dropped afterwards). Rows must be committed for the dump to see them: transactional tests.
"""

from __future__ import annotations

import datetime
import io
import sqlite3
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from govhall.core.backup import (
    MANIFEST,
    BackupError,
    backup_create,
    backup_restore,
    backup_verify,
    backups_prune,
    table_checks_of,
)
from govhall.core.models import User

UPLOAD = b"%PDF-1.4\n" + "营业执照扫描件".encode() * 100 + b"\n%%EOF\n"


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "media"
    (root / "online" / "2026").mkdir(parents=True)
    (root / "online" / "2026" / "licence.pdf").write_bytes(UPLOAD)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Django settings of a new, empty database of the suite's vendor."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield dict(source, NAME=str(tmp_path / "restored.sqlite3"))
        return
    name = f"govhall_restore_{uuid.uuid4().hex[:10]}"
    params = {
        "dbname": source["NAME"],
        "user": source.get("USER") or None,
        "password": source.get("PASSWORD") or None,
        "host": source.get("HOST") or None,
        "port": source.get("PORT") or None,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield dict(source, NAME=name)
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _people() -> None:
    for n in range(5):
        User.objects.create(username=f"backup-{n}", first_name=f"张{n}", email=f"{n}@example.cn")


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    _people()
    archive = tmp_path / "out" / "govhall-test.tar"
    manifest = backup_create(archive)

    users = manifest.tables["core_user"]
    assert users.rows == User.objects.count() >= 5
    member = manifest.members["media/online/2026/licence.pdf"]
    assert member["size"] == len(UPLOAD)
    assert manifest.data["database"]["vendor"] == connection.vendor
    assert any(head.startswith("core.") for head in manifest.data["migration_heads"])
    assert (
        (tmp_path / "out" / "govhall-test.tar.sha256").read_text().endswith("  govhall-test.tar\n")
    )

    restored_media = tmp_path / "restored-media"
    report = backup_restore(archive, target=fresh_database, media_root=restored_media)
    assert report.ok, [c for c in report.tables if not c.ok]
    assert {c.name for c in report.tables} == set(manifest.tables)
    assert report.media_files == 1
    assert (restored_media / "online" / "2026" / "licence.pdf").read_bytes() == UPLOAD

    # The checksums see the content: one changed field in the restored copy shows.
    after = table_checks_of(fresh_database)
    assert after == manifest.tables
    change = "UPDATE core_user SET first_name = '李四' WHERE username = 'backup-3'"
    if connection.vendor == "sqlite":
        lite = sqlite3.connect(fresh_database["NAME"])
        lite.execute(change)
        lite.commit()
        lite.close()
    else:
        source = connection.settings_dict
        with psycopg.connect(
            dbname=fresh_database["NAME"],
            user=source.get("USER") or None,
            password=source.get("PASSWORD") or None,
            host=source.get("HOST") or None,
            port=source.get("PORT") or None,
            autocommit=True,
        ) as db:
            db.execute(change)
    changed = table_checks_of(fresh_database)
    assert changed["core_user"].rows == users.rows
    assert changed["core_user"].checksum != users.checksum

    # A restore over a database that has tables is refused without --force.
    with pytest.raises(BackupError, match="不是空的"):
        backup_restore(archive, target=fresh_database, media_root=tmp_path / "other-media")
    if connection.vendor == "sqlite":
        # --force replaces the data (on PostgreSQL pg_restore --clean: a second full restore,
        # too slow for the suite's budget; run by hand with this guard removed, it passes).
        report = backup_restore(
            archive, target=fresh_database, media_root=restored_media, force=True
        )
        assert report.ok
        assert table_checks_of(fresh_database)["core_user"] == users


def _rewrite(archive: Path, target: Path, change: dict[str, bytes]) -> None:
    with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
        for info in src.getmembers():
            handle = src.extractfile(info)
            assert handle is not None
            data = change.get(info.name, handle.read())
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused_and_changes_nothing(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    _people()
    archive = tmp_path / "good.tar"
    backup_create(archive)
    assert backup_verify(archive).tables["core_user"].rows >= 5

    # A changed uploaded file (same size), the manifest untouched.
    bad = tmp_path / "bad.tar"
    _rewrite(archive, bad, {"media/online/2026/licence.pdf": UPLOAD.replace(b"1.4", b"1.7")})
    with pytest.raises(BackupError, match=r"已损坏或被改动.*media/online/2026/licence\.pdf"):
        backup_restore(bad, target=fresh_database, media_root=tmp_path / "m1")
    assert not (tmp_path / "m1").exists()
    assert table_checks_of(fresh_database) == {}

    # An archive whose own checksum file disagrees.
    (tmp_path / "bad.tar.sha256").write_text(
        (tmp_path / "good.tar.sha256").read_text().replace("good", "bad")
    )
    with pytest.raises(BackupError, match="已损坏或被改动"):
        backup_verify(bad)

    # A member the manifest does not list.
    extra = tmp_path / "extra.tar"
    _rewrite(archive, extra, {})
    with tarfile.open(extra, "a") as tar:
        info = tarfile.TarInfo("media/extra.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    with pytest.raises(BackupError, match=r"media/extra\.txt"):
        backup_verify(extra)

    # The command says it in Chinese and exits non-zero; nothing restored.
    with pytest.raises(CommandError, match="已损坏或被改动") as refused:
        call_command("restore", str(bad), "--yes")
    assert refused.value.returncode == 1
    with tarfile.open(bad) as tar:
        assert MANIFEST in tar.getnames()


@pytest.mark.django_db(transaction=True)
def test_commands_back_up_and_refuse_to_restore_over_data(
    tmp_path: Path, media: Path, settings: Any
) -> None:
    _people()
    settings.GOVHALL_BACKUP_DIR = tmp_path / "backups"
    out = io.StringIO()
    call_command("backup", stdout=out)
    written = sorted((tmp_path / "backups").glob("govhall-*.tar"))
    assert len(written) == 1
    assert "1" in out.getvalue() and str(written[0]) in out.getvalue()
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(written[0]), "--yes", stdout=io.StringIO())
    assert User.objects.filter(username__startswith="backup-").count() == 5


def test_old_archives_are_pruned(tmp_path: Path) -> None:
    now = datetime.datetime(2026, 12, 7, 18, 30, tzinfo=datetime.UTC)
    names = ["govhall-20261120-183000.tar", "govhall-20261130-183001.tar", "govhall-notes.tar"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        (tmp_path / f"{name}.sha256").write_text("x")
    removed = backups_prune(tmp_path, keep_days=7, now=now)
    assert [p.name for p in removed] == ["govhall-20261120-183000.tar"]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [
        "govhall-20261130-183001.tar",
        "govhall-20261130-183001.tar.sha256",
        "govhall-notes.tar",
        "govhall-notes.tar.sha256",
    ]
