"""Fails when a translation catalog is incomplete or its committed .mo is stale.

For every govhall/locale/*/LC_MESSAGES/django.po: msgfmt must accept it, report no fuzzy or
untranslated message, and produce exactly the committed django.mo.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    problems = []
    catalogs = sorted((ROOT / "govhall" / "locale").glob("*/LC_MESSAGES/django.po"))
    if not catalogs:
        problems.append("no translation catalogs under govhall/locale")
    for po in catalogs:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "django.mo"
            run = subprocess.run(
                ["msgfmt", "--check", "--statistics", "-o", str(out), str(po)],
                capture_output=True,
                text=True,
                env={"LC_ALL": "C"},
            )
            stats = run.stderr.strip()
            if run.returncode != 0:
                problems.append(f"{po}: msgfmt failed: {stats}")
                continue
            if "fuzzy" in stats or "untranslated" in stats:
                problems.append(f"{po.relative_to(ROOT)}: incomplete ({stats})")
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != out.read_bytes():
                problems.append(f"{mo.relative_to(ROOT)} is stale: run manage.py compilemessages")
        print(f"{po.relative_to(ROOT)}: {stats}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
