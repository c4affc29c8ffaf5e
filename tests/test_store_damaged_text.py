"""A compressed older reading damaged inside a sound SQLite page (integrity_check cannot see it): commands that
need it say so in one line (exit 2) instead of a zlib traceback."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.libraries import sample_library  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args, db):
    """The command line over `db`; a new library gets the sample first (report #1): a --db library starts empty."""
    if not Path(db).exists():
        sample_library(db).close()
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args), "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_a_damaged_compressed_reading_is_one_line(tmp_path, sample_path):
    db = tmp_path / "lib.db"
    assert _cli("list", db=db).returncode == 0  # the sample, imported on creation (see _cli)
    newer = tmp_path / sample_path.name
    newer.write_text(sample_path.read_text(encoding="utf-8") + "\n补充说明：本报告的新版本。", encoding="utf-8")
    assert "新版本" in _cli("import", newer, db=db).stdout
    conn = sqlite3.connect(db)
    damaged = conn.execute("UPDATE readings SET text_z = ? WHERE text_z IS NOT NULL", (b"x\x9c not zlib",)).rowcount
    conn.commit()
    conn.close()
    assert damaged >= 1
    done = _cli("export", "bundle", "--all", "-o", tmp_path / "out.fzr", db=db)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "已损坏" in lines[0] and "repair" in lines[0], done.stderr
