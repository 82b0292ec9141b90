"""The `govhall` console command for operators.

`govhall <command>` runs a Django management command with the govhall settings; a few have
short operator names: serve (runserver), demo (load_demo), import-calendar (import_calendar).
The calendar commands `deadline` and `workdays` print answers scripts can read.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"serve": "runserver", "demo": "load_demo", "import-calendar": "import_calendar"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    args[0] = "govhall"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
