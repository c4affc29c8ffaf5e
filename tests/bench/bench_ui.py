"""Desk benchmark, every figure a ratio to a bare PySide6 window started the same way in the same run:
cold start to the shown window (target ≤ 2×), the 报告库 overview populated on realistic libraries of 1,000
and 5,000 reports (tests/bench/realistic_library.py; targets ≤ 1 s and ≤ 3 s), the RSS of those processes, and
sorting / filtering a 100,000-row indicator table (target ≤ 300 ms).

Run: python tests/bench/bench_ui.py [--sizes 1000,5000] [--runs 5]
The libraries are built once under $BENCH_UI_CACHE (default /tmp/bench-ui-libraries; 5,000 takes minutes) and
reused. BENCH_UI_ROOT=/path/to/another/checkout measures that checkout's desk on the same libraries (before/after).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DESK_ROOT = Path(os.environ.get("BENCH_UI_ROOT", ROOT))  # the checkout whose desk is measured
CACHE = Path(os.environ.get("BENCH_UI_CACHE", "/tmp/bench-ui-libraries"))

STARTUP = r"""
import os, sys, time
t0 = float(sys.argv[1])
sys.path.insert(0, {root!r})
from desktop.ui.app import make_app, make_window, skip_optional_heavy_imports
skip_optional_heavy_imports()  # as launch() does
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from desktop.ui.settings import DeskSettings
app = make_app()
settings = DeskSettings(QSettings(sys.argv[3], QSettings.Format.IniFormat))
w = make_window(None, settings=settings)  # as launch() does: the window first, then the library
w.show()
QApplication.processEvents()
shown, cpu = time.time() - t0, time.process_time()
assert w.open_library(sys.argv[2])
QApplication.processEvents()
assert w.tree_model.section_count(w.report_id) == (4, 14) and w.indicator_model.rowCount() == 43
print(shown, time.time() - t0, cpu)
"""


BARE = r"""
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1280, 800)
w.show()
QApplication.processEvents()
import resource
print(time.time() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, time.process_time())
"""

OVERVIEW = r"""
import resource, sys, time
sys.path.insert(0, {root!r})
from desktop.ui.app import make_app, make_window, skip_optional_heavy_imports
skip_optional_heavy_imports()  # as launch() does
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from desktop.store.db import open_library
from desktop.ui.settings import DeskSettings
app = make_app()
repo = open_library(sys.argv[1], seed_sample=False, backups=False)
w = make_window(repo, settings=DeskSettings(QSettings(sys.argv[2], QSettings.Format.IniFormat)))
w.show()
QApplication.processEvents()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
w.actions_["overview"].trigger()  # 视图 → 报告库…
QApplication.processEvents()  # the table painted: its first screenful of rows shown
panel = w.overview_panel
assert panel.isVisible() and panel.table.model().index(0, 0).data()
shown = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
fetched = getattr(panel.model, "fetched", panel.model.rowCount())  # full rows built (older desks: all)
print(shown, rss, before, panel.model.rowCount(), fetched, flush=True)
w.desk.undo_stack.clear()
import os
os._exit(0)  # PySide's teardown on the 5,000 library aborts at exit (on main too); the figures are printed
"""


def cold_start(runs: int = 5) -> tuple[list[float], list[float], list[float], list[float], list[float]]:
    """(desk shown, desk with the sample shown, bare window, desk's CPU to shown, bare window's CPU), interleaved so
    all see the same machine load. CPU seconds (the process's own, from its start) move less with the load of a
    shared machine than wall times do."""
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    db, ini = folder / "lib.db", folder / "desk.ini"
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    code = STARTUP.format(root=str(DESK_ROOT))
    from tests.libraries import sample_library

    sample_library(db, backups=False).close()  # a new library starts empty: the sample imported as a reviewer would
    subprocess.run([sys.executable, "-c", BARE, str(time.time())], env=env, check=True, capture_output=True)
    times, loaded, bare, cpu, bare_cpu = [], [], [], [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code, str(time.time()), str(db), str(ini)], env=env,
                             check=True, capture_output=True, text=True).stdout.split()
        times.append(float(out[0]))
        loaded.append(float(out[1]))
        cpu.append(float(out[2]))
        out = subprocess.run([sys.executable, "-c", BARE, str(time.time())], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        bare.append(float(out[0]))
        bare_cpu.append(float(out[2]))
    return times, loaded, bare, cpu, bare_cpu


def library(n: int) -> Path:
    """The realistic library of n reports, built once and cached (5,000 takes minutes)."""
    from realistic_library import build_library

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"lib{n}.db"
    repo = build_library(path, n)
    try:
        from desktop.review.service import refresh_findings

        refresh_findings(repo)  # checks stored once where an import left none (what import and `summary` do)
    finally:
        repo.close()
    return path


def overview_start(n: int, runs: int = 3) -> dict:
    """The 报告库 overview opened on the n-report library in a fresh desk process (library already open in the
    window), interleaved with bare windows: seconds to the first rows shown, peak RSS, full rows built."""
    path = library(n)
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    code = OVERVIEW.format(root=str(DESK_ROOT))
    shown, rss, before, bare, bare_rss, rows, fetched = [], [], [], [], [], 0, 0
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code, str(path), str(folder / "desk.ini")], env=env,
                             check=True, capture_output=True, text=True).stdout.split()
        shown.append(float(out[0]))
        rss.append(float(out[1]))
        before.append(float(out[2]))
        rows, fetched = int(out[3]), int(out[4])
        out = subprocess.run([sys.executable, "-c", BARE, str(time.time())], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        bare.append(float(out[0]))
        bare_rss.append(float(out[1]))
    return {"shown": shown, "rss": rss, "before": before, "bare": bare, "bare_rss": bare_rss, "rows": rows,
            "fetched": fetched}


def table_100k():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop.store.records import IndicatorRecord
    from desktop.ui.context import Desk
    from desktop.ui.app import make_app
    from desktop.ui.settings import DeskSettings
    from desktop.ui.table_models import IndicatorTableModel

    make_app()
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    desk = Desk(None, DeskSettings(QSettings(str(folder / "d.ini"), QSettings.Format.IniFormat)))
    names = ["行政复议收案", "纠错率", "调解结案", "法律援助", "公证服务", "合法性审查", "执法证换证", "满意率"]
    kinds = ["count", "rate", "money", "rank", "ratio", "amount"]
    records = [IndicatorRecord(id=i + 1, report_id=1, uid=f"u{i}", section_path=f"一.({'一二三四五六七八'[i % 8]})",
                               text=f"{i % 977}件", value=float((i * 7919) % 100003) / 7, unit="件", qualifier="exact",
                               kind=kinds[i % 6], name=f"{names[i % 8]}{i % 131}",
                               context=f"全年{names[i % 8]}{i % 977}件，同比增长{i % 13}个百分点。",
                               start=i, end=i + 3, position=i)
               for i in range(100_000)]
    model = IndicatorTableModel(desk)
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.resize(1200, 700)
    view.show()
    t = time.perf_counter()
    model.set_records(records)
    QApplication.processEvents()
    load = time.perf_counter() - t
    out = {"load": [load]}

    def measure(label, fn, runs=5):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            QApplication.processEvents()
            times.append(time.perf_counter() - t)
        out[label] = times

    value_col, name_col = model.column_of("value"), model.column_of("name")
    flip = [Qt.SortOrder.AscendingOrder]

    def sort_by(col):
        def go():
            flip[0] = Qt.SortOrder.DescendingOrder if flip[0] == Qt.SortOrder.AscendingOrder else \
                Qt.SortOrder.AscendingOrder
            view.sortByColumn(col, flip[0])
        return go

    measure("sort by value (number)", sort_by(value_col))
    measure("sort by name (text)", sort_by(name_col))
    terms = iter(["复议", "满意率", "合法性", "执法", "公证", "调解", "援助"] * 3)
    measure("filter free text (cold cache first)", lambda: (model.set_filters(text=""), model.set_filters(text=next(terms))))
    measure("filter section + kind", lambda: model.set_filters(text="", section="一.(三)", kind="rate"))
    measure("clear filters", lambda: model.set_filters(text="", section=None, kind=None))
    assert model.rowCount() == 100_000
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-table", action="store_true", help="skip the 100,000-row indicator table")
    args = parser.parse_args()
    med = statistics.median
    print(f"desk measured: {DESK_ROOT}; {os.cpu_count()} cores")
    times, loaded, bare, cpu, bare_cpu = cold_start(args.runs)

    def runs(values):
        return ", ".join(f"{t:.3f}" for t in values)

    ref = med(bare)
    print(f"bare PySide6 window, same run: median {ref:.3f} s (runs {runs(bare)})")
    print(f"cold start to the shown desk window: median {med(times):.3f} s (runs {runs(times)}); "
          f"{med(times) / ref:.2f}× the bare window (target ≤ 2×); load average {os.getloadavg()[0]:.1f}")
    print(f"  CPU to the shown window: desk median {med(cpu):.3f} s (runs {runs(cpu)}), bare window {med(bare_cpu):.3f} s "
          f"(runs {runs(bare_cpu)}): {med(cpu) / med(bare_cpu):.2f}× (target ≤ 2×)")
    print(f"... and to the sample shown in it (library opened, tree, text, tables): median {med(loaded):.3f} s "
          f"(runs {runs(loaded)}); {med(loaded) / ref:.2f}× the bare window")
    for n in (int(x) for x in args.sizes.split(",") if x):
        got = overview_start(n, max(1, min(args.runs, 3)))
        ref_n, target = med(got["bare"]), 1.0 if n <= 1000 else 3.0
        print(f"overview (报告库) populated, {got['rows']:,} reports: median {med(got['shown']):.3f} s "
              f"(runs {runs(got['shown'])}; target ≤ {target:.0f} s); {med(got['shown']) / ref_n:.2f}× a bare "
              f"window shown in the same run ({ref_n:.3f} s); full rows built {got['fetched']:,} of {got['rows']:,}")
        print(f"  RSS with the overview shown: {med(got['rss']):.0f} MB ({med(got['rss']) - med(got['before']):+.0f} MB "
              f"for the overview); {med(got['rss']) / med(got['bare_rss']):.2f}× a bare window "
              f"({med(got['bare_rss']):.0f} MB)")
    if args.no_table:
        return
    for label, values in table_100k().items():
        m = statistics.median(values) * 1000
        extra = f"; target ≤ 300 ms; ratio {m / 300:.2f}" if label != "load" else ""
        print(f"100,000-row indicator table, {label}: median {m:.0f} ms{extra}")


if __name__ == "__main__":
    main()
