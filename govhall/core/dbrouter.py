"""The database router of an installation with a read replica (issue 20).

With `GOVHALL_REPLICA_DATABASE_URL` set, settings add a second database, `replica` (a PostgreSQL
streaming replica of `default`), and this router. Reads of the models of the apps in
`GOVHALL_REPLICA_APPS` (default: `stats`, the case rollups and period reports the statistics
pages, the big screen and the reports read) go to the replica, so a province's reporting never
takes the windows' database time. Everything else goes to `default`, and so does every read
made while `default` is inside a transaction: the services that write rollups and reports read
and write in one transaction, and must see their own writes, never the replica's slightly older
copy. Writes and migrations are `default`'s only (a streaming replica is read-only).

Without the setting there is no router and no second database: nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model

REPLICA = "replica"
DEFAULT = "default"


class ReplicaRouter:
    def _replica_apps(self) -> set[str]:
        return set(getattr(settings, "GOVHALL_REPLICA_APPS", ()))

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if REPLICA not in settings.DATABASES:
            return None
        if model._meta.app_label not in self._replica_apps():
            return DEFAULT
        if connections[DEFAULT].in_atomic_block:
            return DEFAULT
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return DEFAULT

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows as default: objects of either may be related.
        aliases = {DEFAULT, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == DEFAULT
