"""Proof that a refactoring changed no output: `check`, `follow-up`, `import-ledger`, `ledger-status` and the
exports (`export ledger`, `export letter`, `export summary`) on the sample, the corpus, the follow-up pairs and
generated realistic reports, hashed and compared with a baseline saved from the code before the refactoring.

    python tests/bench/identical_outputs.py --save   # once, on the old code: writes outputs_baseline.json
    python tests/bench/identical_outputs.py          # after a change: exit 1 and the differing outputs if any
    python tests/bench/identical_outputs.py --keep DIR   # also write each canonical output to DIR (to diff two runs)

Everything runs through the CLI's own entry point (desktop.cli.main) on real files and real libraries, built by
the CLI too (import, annotate, score, assign, lead, import-ledger), so the script runs unchanged on old and new
code. Printed text is compared as printed; workbooks as a canonical dump of sheets, cell values and styles,
merged cells, sizes, validations, conditional formats and chart parts (not the zip bytes); letters as their
word/document.xml text. What differs between two runs of the same code is masked: times of day, today's date,
UUIDs (the library id) and the temporary folder.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from realistic import write_reports  # noqa: E402

BASELINE = Path(__file__).with_name("outputs_baseline.json")
SAMPLE = ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"
PAIRS = ROOT / "tests" / "followup_pairs" / "pairs.json"
GENERATED, SEED = 24, 5
UNITS = ("市司法局", "市发改委", "市公安局", "市市场监管局", "市生态环境局")
CRITERIA = ("completeness", "timeliness", "evidence", "candour", "responsibility")
STATUSES = ("未启动", "推进中", "已完成", "滞后", "常态化推进")
LETTER = ["--date", "2026-03-01", "--office", "某市司法局", "--doc-no", "某法审〔2026〕1号"]


def corpus_dir() -> Path:
    here = ROOT.parent / "shared" / "corpus"
    return here if here.is_dir() else Path("/work/shared/corpus")


class Masker:
    """Turns text that legitimately differs between two runs of the same code into fixed placeholders."""

    def __init__(self, tmp: Path):
        today = dt.date.today()
        self.paths = [(str(tmp), "<tmp>"), (str(ROOT), "<root>"), (str(corpus_dir()), "<corpus>")]
        self.today = re.compile("|".join(re.escape(s) for s in (
            today.isoformat(), f"{today.year}年{today.month}月{today.day}日",
            f"{today.year}年{today.month:02d}月{today.day:02d}日", f"{today.year}/{today.month}/{today.day}",
            today.strftime("%Y%m%d"))))
        self.rules = [
            (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
            (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?"), "<datetime>"),
            (re.compile(r"(?<!\d)\d{1,2}:\d{2}(:\d{2})?(?!\d)"), "<time>"),
        ]

    def __call__(self, text: str) -> str:
        for path, mark in self.paths:
            text = text.replace(path, mark)
        for rx, mark in self.rules:
            text = rx.sub(mark, text)
        return self.today.sub("<today>", text)


def run_cli(argv: list[str], cwd: Path) -> str:
    """One CLI command in this process: its exit status, stdout and stderr as one text."""
    from desktop.cli import main

    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in argv])
            except SystemExit as exc:  # argparse refusals
                code = exc.code
    finally:
        os.chdir(here)
    return f"exit {code}\n--- stdout\n{out.getvalue()}--- stderr\n{err.getvalue()}"


def _style(cell) -> list:
    f, a, b, fill = cell.font, cell.alignment, cell.border, cell.fill
    return [cell.number_format, cell.data_type,
            [f.name, f.sz, f.b, f.i, f.u, f.strike, f.color.rgb if f.color is not None else None],
            [a.horizontal, a.vertical, a.wrap_text, a.indent, a.text_rotation, a.shrink_to_fit],
            [getattr(side, "style", None) for side in (b.left, b.right, b.top, b.bottom)],
            [fill.fill_type, getattr(fill.fgColor, "rgb", None)], cell.protection.locked]


def workbook_dump(path: Path) -> str:
    """A workbook as canonical text: every sheet's frame, cells (value and style) and the chart parts."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    lines = [f"sheets {wb.sheetnames}"]
    for ws in wb.worksheets:
        lines.append(f"== {ws.title} state={ws.sheet_state} dims={ws.dimensions} freeze={ws.freeze_panes}")
        lines.append(f"merged {sorted(str(r) for r in ws.merged_cells.ranges)}")
        lines.append(f"cols {sorted((k, d.width, d.hidden) for k, d in ws.column_dimensions.items())}")
        lines.append(f"rows {sorted((k, d.height, d.hidden) for k, d in ws.row_dimensions.items())}")
        lines.append(f"print titles={ws.print_title_rows} {ws.print_title_cols} area={ws.print_area} "
                     f"orient={ws.page_setup.orientation} scale={ws.page_setup.scale} "
                     f"fit={ws.page_setup.fitToWidth}x{ws.page_setup.fitToHeight} "
                     f"breaks={[b.id for b in ws.row_breaks.brk]} protect={ws.protection.sheet}")
        for dv in ws.data_validations.dataValidation:
            lines.append(f"validation {dv.sqref} {dv.type} {dv.formula1} {dv.formula2} {dv.prompt} {dv.error}")
        for rng in ws.conditional_formatting:
            lines.append(f"conditional {rng.sqref} {[(r.type, r.formula, r.operator) for r in rng.rules]}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                lines.append(json.dumps([cell.coordinate, str(cell.value) if cell.value is not None else None,
                                         _style(cell)], ensure_ascii=False, default=str))
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("xl/charts/")):
            lines.append(f"== part {name}\n{z.read(name).decode('utf-8')}")
    return "\n".join(lines)


def letter_dump(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def folder_dump(folder: Path) -> str:
    """Every workbook or letter in a folder, by name."""
    parts = []
    for p in sorted(folder.iterdir()):
        body = workbook_dump(p) if p.suffix == ".xlsx" else letter_dump(p) if p.suffix == ".docx" else p.name
        parts.append(f"##### {p.name}\n{body}")
    return "\n".join(parts)


def fill_ledgers(folder: Path, seed: int, *, skip: int = 4) -> list[Path]:
    """A department's answers in each by-unit ledger: 进展情况 and 完成状态 on most task rows (a fixed pattern)."""
    import openpyxl

    done = []
    for k, path in enumerate(sorted(folder.glob("*.xlsx"))):
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
        cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
        n = 0
        for r in range(header + 1, ws.max_row + 1):
            if not isinstance(ws.cell(r, 1).value, int):
                continue  # a theme row
            n += 1
            if (n + k + seed) % skip == 0:
                continue  # left blank: not reported
            ws.cell(r, cols["进展情况"]).value = f"第{seed}轮已推进{(n * 7 + seed) % 100}%，召开推进会{n % 5 + 1}次"
            ws.cell(r, cols["完成状态"]).value = STATUSES[(n + seed) % len(STATUSES)]
        wb.save(path)
        done.append(path)
    return done


def build_library(db: Path, files: list[Path], work: Path) -> dict[str, str]:
    """Import `files` into a new library and do a season's work through the CLI; returns label -> output."""
    got = {"import": run_cli(["--db", db, "import", "--who", "张敏", *files], work)}
    ids = [str(i) for i in range(1, len(files) + 1)]
    for k, rid in enumerate(ids):
        who = ("张敏", "李强")[k % 2]
        got[f"assign {rid}"] = run_cli(["--db", db, "assign", "--who", "组长", rid, who, "王芳"], work)
        got[f"lead {rid}"] = run_cli(["--db", db, "lead", "--unit", UNITS[k % len(UNITS)], "--with",
                                      UNITS[(k + 1) % len(UNITS)], "--report", rid, "--who", "组长"], work)
        for j, crit in enumerate(CRITERIA):
            for m, reviewer in enumerate(("张敏", "李强")):
                value = ("3.5", "4", "2.5", "5", "1.5")[(j + m * (k % 3) + k) % 5]
                run_cli(["--db", db, "score", "--reviewer", reviewer, rid, crit, value], work)
        if k % 3 == 0:
            got[f"annotate {rid}"] = run_cli(["--db", db, "annotate", "--whole", "--comment", "数据来源未说明，请补充。",
                                              "--status", "需整改", "--tag", "数据存疑", "--reviewer", who, rid], work)
            run_cli(["--db", db, "annotate", "--whole", "--comment", "成效表述笼统，请核实。", "--status", "需核实",
                     "--reviewer", who, rid], work)
    got["check library 1"] = run_cli(["--db", db, "check", "1"], work)
    return got


def ledger_season(db: Path, work: Path) -> dict[str, str]:
    """Export the ledgers, read two rounds back (one with a conflict) and export everything again."""
    got = {}
    whole, units = work / "ledger.xlsx", work / "units"
    got["export ledger"] = run_cli(["--db", db, "export", "ledger", "--all", "-o", whole, "--round", "第一季度"], work)
    got["export ledger (book)"] = workbook_dump(whole) if whole.exists() else "none"
    got["export ledger --by-unit"] = run_cli(["--db", db, "export", "ledger", "--all", "--by-unit", "-o", units,
                                              "--round", "第一季度"], work)
    got["export ledger --by-unit (books)"] = folder_dump(units) if units.is_dir() else "none"
    if units.is_dir():
        fill_ledgers(units, 1)
        got["import-ledger --dry-run"] = run_cli(["--db", db, "import-ledger", "--dry-run", "--round", "第一季度",
                                                  units], work)
        got["import-ledger round 1"] = run_cli(["--db", db, "import-ledger", "--round", "第一季度", "--reviewer",
                                                "张敏", units], work)
        second = work / "units2"
        shutil.copytree(units, second)
        fill_ledgers(second, 2, skip=3)
        files = sorted(second.glob("*.xlsx"))
        if files:
            rival = second / f"重复-{files[0].name}"
            shutil.copy(files[0], rival)
            fill_ledgers_one(rival)
        got["import-ledger round 2 (conflict)"] = run_cli(["--db", db, "import-ledger", "--round", "第二季度",
                                                           second], work)
        if files:
            got["import-ledger round 2 --prefer"] = run_cli(["--db", db, "import-ledger", "--round", "第二季度",
                                                             "--prefer", files[0], second], work)
    for rnd in ("第一季度", "第二季度"):
        got[f"ledger-status {rnd}"] = run_cli(["--db", db, "ledger-status", "--round", rnd], work)
        got[f"ledger-status {rnd} --json"] = run_cli(["--db", db, "ledger-status", "--round", rnd, "--json"], work)
    after = work / "ledger-after.xlsx"
    got["export ledger after"] = run_cli(["--db", db, "export", "ledger", "--all", "-o", after, "--round",
                                          "第二季度"], work)
    got["export ledger after (book)"] = workbook_dump(after) if after.exists() else "none"
    letters = work / "letters"
    letters.mkdir()
    got["export letter"] = run_cli(["--db", db, "export", "letter", "--all", "-o", letters, *LETTER], work)
    got["export letter (documents)"] = folder_dump(letters)
    summary = work / "summary.xlsx"
    got["export summary"] = run_cli(["--db", db, "export", "summary", "-o", summary], work)
    got["export summary (book)"] = workbook_dump(summary) if summary.exists() else "none"
    got["summary --json"] = run_cli(["--db", db, "summary", "--json"], work)
    return got


def fill_ledgers_one(path: Path) -> None:
    """A second copy of a unit's ledger that says something else about its first answered task: a conflict."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(header + 1, ws.max_row + 1):
        if isinstance(ws.cell(r, 1).value, int) and ws.cell(r, cols["进展情况"]).value:
            ws.cell(r, cols["进展情况"]).value = "另一份台账：已全部完成"
            break
    wb.save(path)


def file_outputs(files: dict[str, Path], work: Path) -> dict[str, str]:
    """`check FILE` and `check FILE --json` of every file (no library needed)."""
    db = work / "check.db"
    got = {}
    for label, path in files.items():
        got[f"check {label}"] = run_cli(["--db", db, "check", path], work)
        got[f"check --json {label}"] = run_cli(["--db", db, "check", "--json", path], work)
    return got


def followup_outputs(work: Path) -> dict[str, str]:
    """`follow-up EARLIER LATER` and `--json` of each hand-labelled pair of batches 1–6."""
    db = work / "followup.db"
    got = {}
    for pair in json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]:
        if pair.get("batch") == 7:
            continue
        earlier, later = ROOT / pair["earlier"], ROOT / pair["later"]
        got[f"follow-up {pair['name']}"] = run_cli(["--db", db, "follow-up", earlier, later], work)
        got[f"follow-up --json {pair['name']}"] = run_cli(["--db", db, "follow-up", "--json", earlier, later], work)
    return got


def collect(tmp: Path) -> dict[str, str]:
    """Label -> canonical output text of every command this script runs."""
    os.environ["FAZHI_DATA_DIR"] = str(tmp / "data")  # cli.log and the default library: never the user's
    generated = write_reports(tmp / "generated", GENERATED, seed=SEED)
    corpus = sorted(corpus_dir().glob("*.txt"))
    files = {"sample": SAMPLE, **{f"corpus/{p.name}": p for p in corpus},
             **{f"generated/{p.name}": p for p in generated}}
    out = {}
    out.update(file_outputs(files, tmp))
    out.update(followup_outputs(tmp))
    for name, members in (("sample", [SAMPLE]), ("corpus", corpus), ("generated", generated)):
        work = tmp / f"season-{name}"
        work.mkdir()
        got = build_library(work / "library.db", members, work)
        got.update(ledger_season(work / "library.db", work))
        out.update({f"{name}: {label}": text for label, text in got.items()})
    mask = Masker(tmp)
    return {label: mask(text) for label, text in out.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", action="store_true", help="write the baseline (run on the code before the change)")
    ap.add_argument("--keep", metavar="DIR", help="also write every canonical output into DIR")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="identical-outputs-") as tmp:
        current = collect(Path(tmp))
    if args.keep:
        keep = Path(args.keep)
        keep.mkdir(parents=True, exist_ok=True)
        for k, (label, text) in enumerate(sorted(current.items())):
            safe = re.sub(r"[^\w.-]+", "_", label)[:120]
            (keep / f"{k:04d}-{safe}.txt").write_text(text, encoding="utf-8")
    digests = {label: hashlib.sha256(text.encode("utf-8")).hexdigest() for label, text in current.items()}
    if args.save:
        BASELINE.write_text(json.dumps(digests, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                            encoding="utf-8")
        print(f"baseline of {len(digests)} outputs written to {BASELINE}")
        return 0
    saved = json.loads(BASELINE.read_text(encoding="utf-8"))
    differ = sorted(label for label, digest in saved.items() if label in digests and digests[label] != digest)
    missing = sorted(set(saved) - set(digests))  # an input of the baseline that is gone: a failure
    new = sorted(set(digests) - set(saved))  # an input added since (a new test file): nothing to compare
    for line in differ + [f"{m}: not in this run" for m in missing]:
        print("DIFFERS:", line)
    if new:
        print(f"{len(new)} new inputs without a baseline, not compared (save a new baseline on the old code to "
              f"include them): {', '.join(new[:5])}{' …' if len(new) > 5 else ''}")
    print(f"{len(saved)} outputs compared with the baseline: "
          f"{'identical' if not differ and not missing else f'{len(differ) + len(missing)} differ'}")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
