"""The 报告库 overview on a larger library: rows are built a page at a time as shown, sorting and filtering read
the light index, stale checks are not recomputed for every view; the desk's start loads no reader or writer."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.review.service import refresh_findings
from desktop.season.batch import import_batch
from desktop.season.overview import overview, row_values
from desktop.store.db import open_library
from desktop.ui.app import make_app, make_window
from desktop.ui.settings import DeskSettings
from tests.conftest import ROOT
from tests.season_texts import variant

N = 300
CITIES = [a + b for a in "宁温嘉湖绍金衢舟台丽" for b in "安平和阳"][:30]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """300 distinct reports (30 units × 10 years), imported as a folder with their checks stored."""
    folder = tmp_path_factory.mktemp("overview-300")
    texts = folder / "reports"
    texts.mkdir()
    for n in range(N):
        (texts / f"r{n}.txt").write_text(variant(CITIES[n % 30], 2014 + n // 30, figures=n), encoding="utf-8")
    path = folder / "lib.db"
    repo = open_library(path, seed_sample=False, backups=False)
    import_batch(repo, [str(texts)])
    refresh_findings(repo)  # stored checks, as after an import in the desk
    assert repo.reports.report_count() == N
    repo.close()
    return path


@pytest.fixture
def desk(qtbot, library, tmp_path):
    """The desk on the library, with every full overview row the store builds counted (a spy, not a stand-in)."""
    repo = open_library(library, seed_sample=False, backups=False)
    built = []
    real = repo.overview.overview_rows

    def counted(*args, **kwargs):
        rows = real(*args, **kwargs)
        built.extend(r["id"] for r in rows)
        return rows

    repo.overview.overview_rows = counted
    make_app()
    w = make_window(repo, settings=DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w, repo, built
    w.desk.undo_stack.clear()
    repo.close()


def _open_small(w, qtbot):
    panel = w.overview_panel
    panel.resize(900, 300)  # a small visible area: about ten rows
    w.actions_["overview"].trigger()
    qtbot.waitExposed(panel)
    return panel


def _column(model, header):
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)


def test_opening_the_overview_builds_only_the_rows_on_screen(desk, qtbot):
    w, repo, built = desk
    panel = _open_small(w, qtbot)
    proxy = panel.table.model()
    assert proxy.rowCount() == N and panel.count_label.text() == f"{N} / {N} 份"
    assert panel.table.grab().width() > 0  # painted: the first rows are shown
    assert proxy.index(0, 0).data()
    assert 0 < len(built) <= 80, len(built)  # one page, not 300 rows
    # filtering and sorting by a column the light index holds build nothing more
    before = len(built)
    panel.search.setText("温安")
    assert proxy.rowCount() == 10 and all(proxy.index(r, 0).data() == "温安市司法局" for r in range(10))
    panel.search.clear()
    panel.year_box.setCurrentText("2016年度")
    assert proxy.rowCount() == 30
    panel.year_box.setCurrentText("全部年度")
    unit = _column(proxy, "单位")
    panel.table.sortByColumn(unit, Qt.SortOrder.DescendingOrder)
    assert panel.table.grab().width() > 0
    assert len(built) - before <= 160, len(built) - before  # the rows now in view, not every row
    units = [proxy.index(r, unit).data() for r in range(N)]  # (reading every cell builds every row)
    assert units == sorted(units, reverse=True) and units[0] != units[-1]
    panel.refresh()  # a change elsewhere reloads the index: the order the reviewer chose stays
    assert [proxy.index(r, unit).data() for r in range(N)] == units


def test_the_shown_values_are_the_full_overview_and_sorting_by_score_orders_all_rows(desk, qtbot):
    from desktop.review.service import set_score

    w, repo, built = desk
    ids = [r.id for r in repo.reports.list_reports()]
    for k, rid in enumerate(ids[::7]):
        set_score(repo, rid, "completeness", 1 + k % 5, who="甲")
    panel = _open_small(w, qtbot)
    proxy = panel.table.model()
    score = _column(proxy, "团队评分")
    panel.table.sortByColumn(score, Qt.SortOrder.DescendingOrder)
    shown = [float(proxy.index(r, score).data() or -1) for r in range(N)]
    assert shown == sorted(shown, reverse=True) and shown[0] > 0
    full = {r.report_id: row_values(r) for r in overview(repo, include_sample=True)}
    from desktop.ui.season_overview import COLUMN_KEYS, ID_ROLE

    for r in range(N):  # every cell the lazy model shows is what the full overview computes
        rid = proxy.index(r, 0).data(ID_ROLE)
        assert [proxy.index(r, c).data() for c in range(len(COLUMN_KEYS))] == [str(full[rid][k]) for k in COLUMN_KEYS]


def test_stale_checks_are_recomputed_on_request_not_for_every_view(desk, qtbot):
    """After 牵头单位 are assigned every stored result is stale: opening the overview starts no check job; 更新检查
    recomputes them in the background (cancellable) and the table shows the new results."""
    from desktop.review.rubric import load_rubric
    from desktop.review.service import rubric_hash

    w, repo, built = desk
    updates = [(t.id, {"lead_unit": "市司法局"}) for r in repo.reports.list_reports()[:40]
               for t in repo.items.work_items(r.id, kind="plan_task")]
    repo.items.apply_work_item_updates(updates, who="组长")
    key = rubric_hash(load_rubric())
    assert len(repo.checks.stale_check_ids(key)) == 40
    panel = _open_small(w, qtbot)
    assert not panel._checking and len(built) <= 80
    assert panel.count_label.text() == f"{N} / {N} 份；40 份的检查结果待更新（“更新检查”）"
    assert panel.recheck_stale() == 40
    qtbot.waitUntil(lambda: not panel._checking, timeout=60000)
    assert repo.checks.stale_check_ids(key) == [] and panel.count_label.text() == f"{N} / {N} 份"
    assert panel.model.rowCount() == N and panel.model.fetched <= 80  # reloaded, again one page


_PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from desktop.ui.launch import launch
heavy = ("openpyxl", "docx", "pypdf", "docxtpl", "opencc", "pdfminer", "desktop.report.ocr", "desktop.report.sources",
         "pandas", "numpy", "lxml", "jinja2")
rc = launch({db!r}, {shot!r})
print(json.dumps({{"rc": rc, "loaded": [m for m in heavy if sys.modules.get(m) is not None]}}))
"""


def test_the_desk_shows_the_sample_without_loading_readers_or_writers(tmp_path):
    """`main.py --screenshot`: the window and the sample shown load no workbook, Word, PDF, OCR or 繁简 library."""
    from tests.libraries import import_sample

    shot, db = tmp_path / "desk.png", tmp_path / "lib.db"
    import_sample(db)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(root=str(ROOT), db=str(db), shot=str(shot))],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"rc": 0, "loaded": []} and shot.stat().st_size > 5000
