"""The benches run as bench/README.md writes them (issue 20 item 10).

`python bench/workdays.py` once crashed: run as a script, bench/ is sys.path[0], and
bench/queue.py shadowed the standard library's `queue` (now bench/queue_calls.py). So: every
command of the README names a script that exists and answers `--help` when run exactly as
written from the repository's root, and no file or package under bench/ carries the name of a
standard library module.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BENCH = ROOT / "bench"
COMMAND = re.compile(r"(?P<python>(?:\.venv/bin/)?python3?) (?P<script>bench/[\w/.-]+\.py)")


def documented_commands() -> list[tuple[str, str]]:
    """(python as written, script) of every bench command in bench/README.md."""
    text = (BENCH / "README.md").read_text(encoding="utf-8")
    return sorted({(m["python"], m["script"]) for m in COMMAND.finditer(text)})


def test_the_readme_documents_the_benches() -> None:
    scripts = {script for _python, script in documented_commands()}
    # The benches of the README's sections (a new one shows here too).
    assert {"bench/workdays.py", "bench/cases.py", "bench/queue_calls.py"} <= scripts
    assert {"bench/supervision.py", "bench/stats.py", "bench/push.py"} <= scripts
    assert {"bench/load/seed.py", "bench/load/run.py", "bench/load/faults.py"} <= scripts


def test_every_documented_command_runs_as_written() -> None:
    commands = documented_commands()
    missing = [script for _python, script in commands if not (ROOT / script).is_file()]
    assert not missing, f"bench/README.md names scripts that do not exist: {missing}"
    loose = [f"{python} {script}" for python, script in commands if python != ".venv/bin/python"]
    assert not loose, f"write the benches' commands with .venv/bin/python: {loose}"
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.skip("no .venv in this checkout (scripts/bootstrap makes it)")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}

    def run(script: str) -> tuple[str, int, str]:
        # Exactly as the README writes it: the relative interpreter and script from the root.
        try:
            done = subprocess.run(
                [".venv/bin/python", script, "--help"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return script, -1, "timed out"
        return script, done.returncode, (done.stderr or done.stdout)[-1500:]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, sorted({script for _python, script in commands})))
    failed = [(script, code, output) for script, code, output in results if code != 0]
    assert not failed, "\n\n".join(f"{s} --help exited {c}:\n{o}" for s, c, o in failed)


def shadowing(directory: Path) -> list[str]:
    """Files and folders under `directory` importable under a standard library module's name
    when a script of `directory` runs (its folder is then sys.path[0])."""
    shadows = []
    for path in sorted(directory.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        if path.is_file() and path.suffix == ".py":
            name = path.stem
        elif path.is_dir():
            name = path.name
        else:
            continue
        if name in sys.stdlib_module_names:
            shadows.append(path.relative_to(directory).as_posix())
    return shadows


def test_nothing_in_bench_shadows_the_standard_library() -> None:
    shadows = shadowing(BENCH)
    assert not shadows, f"these shadow standard library modules when bench/ is run: {shadows}"


def test_the_shadow_check_sees_a_queue_module(tmp_path: Path) -> None:
    (tmp_path / "load").mkdir()
    for name in ("queue.py", "queue_calls.py", "load/statistics.py", "load/seed.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "json").mkdir()
    assert shadowing(tmp_path) == ["json", "load/statistics.py", "queue.py"]
