"""Desk benchmark: cold start to a shown window with the sample against a bare PySide6 window started the same
way in the same run (median of 5 each; target ≤ 2× the bare window), and sorting / filtering a 100,000-row
indicator table (target ≤ 300 ms). Run: python tests/bench/bench_ui.py"""
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

STARTUP = r"""
import os, sys, time
t0 = float(sys.argv[1])
sys.path.insert(0, {root!r})
from desktop.ui.launch import make_app, make_window, skip_optional_heavy_imports
skip_optional_heavy_imports()  # as launch() does
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from desktop.ui.settings import DeskSettings
app = make_app()
settings = DeskSettings(QSettings(sys.argv[3], QSettings.Format.IniFormat))
w = make_window(None, settings=settings)  # as launch() does: the window first, then the library
w.show()
QApplication.processEvents()
shown = time.time() - t0
assert w.open_library(sys.argv[2])
QApplication.processEvents()
assert w.tree_model.section_count(w.report_id) == (4, 14) and w.indicator_model.rowCount() == 43
print(shown, time.time() - t0)
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
print(time.time() - t0)
"""


def cold_start(runs: int = 5) -> tuple[list[float], list[float], list[float]]:
    """(desk shown, desk with the sample shown, bare window), interleaved so all see the same machine load."""
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    db, ini = folder / "lib.db", folder / "desk.ini"
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    code = STARTUP.format(root=str(ROOT))
    # first run creates the library with the sample imported; measured runs open it as a reviewer would
    subprocess.run([sys.executable, "-c", code, str(time.time()), str(db), str(ini)], env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", BARE, str(time.time())], env=env, check=True, capture_output=True)
    times, loaded, bare = [], [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code, str(time.time()), str(db), str(ini)], env=env,
                             check=True, capture_output=True, text=True).stdout.split()
        times.append(float(out[0]))
        loaded.append(float(out[1]))
        out = subprocess.run([sys.executable, "-c", BARE, str(time.time())], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        bare.append(float(out[0]))
    return times, loaded, bare


def table_100k():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop.store.records import IndicatorRecord
    from desktop.ui.context import Desk
    from desktop.ui.launch import make_app
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
    times, loaded, bare = cold_start()
    med, full, ref = statistics.median(times), statistics.median(loaded), statistics.median(bare)

    def runs(values):
        return ", ".join(f"{t:.3f}" for t in values)

    print(f"bare PySide6 window, same run: median {ref:.3f} s (runs {runs(bare)})")
    print(f"cold start to the shown desk window: median {med:.3f} s (runs {runs(times)}); "
          f"{med / ref:.2f}× the bare window (target ≤ 2×)")
    print(f"... and to the sample shown in it (library opened, tree, text, tables): median {full:.3f} s "
          f"(runs {runs(loaded)}); {full / ref:.2f}× the bare window")
    for label, values in table_100k().items():
        m = statistics.median(values) * 1000
        extra = f"; target ≤ 300 ms; ratio {m / 300:.2f}" if label != "load" else ""
        print(f"100,000-row indicator table, {label}: median {m:.0f} ms{extra}")


if __name__ == "__main__":
    main()
