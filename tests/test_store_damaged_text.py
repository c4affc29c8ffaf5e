"""A compressed older reading damaged inside a sound SQLite page (integrity_check cannot see it): commands that
need it say so in one line (exit 2) instead of a zlib traceback."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.libraries import cli as _cli, sample_library

ROOT = Path(__file__).resolve().parents[1]



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
