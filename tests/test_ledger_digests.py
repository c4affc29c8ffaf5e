"""Read-back skips a workbook already read in the round, byte for byte the same (per-round digests, migration 0014):
said in Chinese, the file not even opened; a changed cell, another round, an undone read-back or --reread read it."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.ledger import layout, service
from desktop.ledger.service import apply_round, preview_round

ROUND = "2024年第二季度"


def _fill(template: Path, out: Path, tasks, progress: str) -> Path:
    """A department's copy: every task's 进展情况 typed in, 填报单位 written, saved by openpyxl (as Excel would)."""
    wb = openpyxl.load_workbook(template)
    ws = wb[layout.SHEET_TRACKING]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    rows = {ws.cell(r, len(header)).value: r for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1)}
    for i, t in enumerate(tasks):
        ws.cell(rows[t.uid], header.index("进展情况") + 1).value = f"{progress}{i}"
    ws.cell(layout.FILLER_ROW, 1).value = "填报单位（盖章）：市司法局"
    wb.save(out)
    return out


@pytest.fixture
def returned(repo, tmp_path):
    """The sample's ledger exported, filled by a department and read back once in ROUND."""
    assert main(["export", "ledger", "--all", "-o", str(tmp_path / "l.xlsx"), "--db", str(repo.path)]) == 0
    tasks = repo.items.work_items(kind="plan_task")
    back = _fill(tmp_path / "l.xlsx", tmp_path / "司法局.xlsx", tasks, "第一次填报")
    assert main(["import-ledger", str(back), "--round", ROUND, "--db", str(repo.path)]) == 0
    return back, tasks


def _history_count(repo) -> int:
    return len(repo.annotations.history())


def test_the_same_file_again_is_skipped_unread_and_said_in_chinese(repo, returned, capsys, monkeypatch):
    back, _ = returned
    before = (_history_count(repo), len(repo.ledger.ledger_returns(ROUND)))
    copy = shutil.copy(back, back.parent / "再次发来.xlsx")  # the same bytes under another name

    def never(*args, **kwargs):
        raise AssertionError("an unchanged workbook must not be opened")

    monkeypatch.setattr(service, "read_ledger", never)
    capsys.readouterr()
    assert main(["import-ledger", str(back), str(copy), "--round", ROUND, "--db", str(repo.path)]) == 0
    out = capsys.readouterr().out
    assert out.count("内容完全相同，没有新的内容，已跳过") == 2, out
    assert "（司法局.xlsx）" in out  # the copy names the file it equals
    assert "没有新的内容：2 个文件都与本轮次此前读回的相同，未做任何改动" in out
    assert (_history_count(repo), len(repo.ledger.ledger_returns(ROUND))) == before


def test_a_changed_cell_is_read(repo, returned, capsys):
    back, tasks = returned
    wb = openpyxl.load_workbook(back)
    ws = wb[layout.SHEET_TRACKING]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    row = next(r for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1)
               if ws.cell(r, len(header)).value == tasks[2].uid)
    ws.cell(row, header.index("进展情况") + 1).value = "改过的一格"
    wb.save(back)  # the same name, one cell different
    capsys.readouterr()
    assert main(["import-ledger", str(back), "--round", ROUND, "--db", str(repo.path)]) == 0
    out = capsys.readouterr().out
    assert "已跳过" not in out and "1 处修改" in out
    assert next(w for w in repo.items.work_items() if w.uid == tasks[2].uid).progress == "改过的一格"


def test_the_same_file_in_another_round_is_read(repo, returned, capsys):
    back, _ = returned
    capsys.readouterr()
    assert main(["import-ledger", str(back), "--round", "2024年第三季度", "--db", str(repo.path)]) == 0
    out = capsys.readouterr().out
    assert "已跳过" not in out
    assert [r.file_name for r in repo.ledger.ledger_returns("2024年第三季度")] == [back.name]
    assert len(repo.ledger.ledger_returns(ROUND)) == 1  # the earlier round keeps its own single return


def test_an_undone_read_back_and_reread_read_the_file_again(repo, returned):
    back, tasks = returned
    plan = preview_round(repo, [back], ROUND)
    assert [Path(s.path).name for s in plan.skipped] == [back.name] and plan.diffs == []
    forced = preview_round(repo, [back], ROUND, reread=True)
    assert forced.skipped == [] and [Path(d.path).name for d in forced.diffs] == [back.name]
    earlier = repo.ledger.ledger_returns(ROUND)
    repo.ledger.withdraw_ledger_returns([r.id for r in earlier], [], None)  # the desk's undo of that read-back
    again = preview_round(repo, [back], ROUND)
    assert again.skipped == [] and len(again.diffs) == 1


def test_a_file_left_with_open_conflicts_is_not_remembered(repo, returned, tmp_path):
    """Two files disagree: nothing applied for those fields; given again (with --prefer) both must be read."""
    back, tasks = returned
    template = tmp_path / "l.xlsx"
    a = _fill(template, tmp_path / "甲.xlsx", tasks, "甲说")
    b = _fill(template, tmp_path / "乙.xlsx", tasks, "乙说")
    plan = preview_round(repo, [a, b], "2025年第一季度")
    assert plan.conflicts
    apply_round(repo, plan)
    again = preview_round(repo, [a, b], "2025年第一季度", prefer=[str(a)])
    assert again.skipped == [] and len(again.diffs) == 2


def test_the_desks_dialog_names_the_files_it_did_not_read(repo, returned, tmp_path, qtbot):
    from PySide6.QtWidgets import QLabel

    from desktop.ui.ledger_dialogs import ReadBackDialog

    back, tasks = returned
    other = _fill(tmp_path / "l.xlsx", tmp_path / "新交回.xlsx", tasks, "新的填报")
    plan = preview_round(repo, [back, other], ROUND)
    dialog = ReadBackDialog(plan)
    qtbot.addWidget(dialog)
    head = next(label.text() for label in dialog.findChildren(QLabel) if label.text().startswith("轮次："))
    assert "未读取（与本轮次此前读回的文件内容完全相同，没有新的内容）：司法局.xlsx" in head
    assert "文件：新交回.xlsx" in head and "另有 1 个文件与本轮此前读回的相同，已跳过" in head
