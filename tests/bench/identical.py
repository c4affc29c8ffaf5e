"""Proof that reader speed work changed no output: `extract` and `extract --json` of the sample, the corpus,
tests/followup_pairs/*.txt and 300 generated realistic reports, hashed and compared with a saved baseline.

    python tests/bench/identical.py --save    # once, on main's code: writes tests/bench/extract_baseline.json
                                              # (the committed one: 30f6cfc, the code before issue 21, run on
                                              # today's inputs, batch 7 of the follow-up pairs included)
    python tests/bench/identical.py           # after a change: exit 1 and the differing files if any

The outputs are made by the CLI's own handler (desktop.commands.report.run_extract) on real files.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from realistic import write_reports  # noqa: E402

BASELINE = Path(__file__).with_name("extract_baseline.json")
SHARED = ROOT.parent / "shared" / "corpus"
GENERATED = 300


def files(tmp: Path) -> dict[str, Path]:
    """Label -> file: the sample, the corpus, the follow-up pairs and generated reports (written into tmp)."""
    out = {"sample": ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"}
    corpus = SHARED if SHARED.is_dir() else Path("/work/shared/corpus")
    out.update({f"corpus/{p.name}": p for p in sorted(corpus.glob("*.txt"))})
    out.update({f"pairs/{p.name}": p for p in sorted((ROOT / "tests" / "followup_pairs").glob("*.txt"))})
    out.update({f"generated/{p.name}": p for p in write_reports(tmp, GENERATED, seed=11)})
    return out


def outputs(path: Path) -> dict[str, str]:
    """sha256 of what `extract FILE --json` and `extract FILE` print (or of the one-line refusal)."""
    from desktop.commands.common import CommandError
    from desktop.commands.report import run_extract

    got, here = {}, os.getcwd()
    for mode in ("json", "plain"):
        buf = io.StringIO()
        try:  # run from the file's folder so the printed source name is the same in every checkout
            os.chdir(path.parent)
            with contextlib.redirect_stdout(buf):
                run_extract(argparse.Namespace(file=path.name, json=mode == "json"))
        except CommandError as exc:
            buf.write(f"refused: {exc}")
        finally:
            os.chdir(here)
        got[mode] = hashlib.sha256(buf.getvalue().encode("utf-8")).hexdigest()
    return got


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", action="store_true", help="write the baseline (run on main's code)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="identical-") as tmp:
        current = {label: outputs(path) for label, path in files(Path(tmp)).items()}
    if args.save:
        BASELINE.write_text(json.dumps(current, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                            encoding="utf-8")
        print(f"baseline of {len(current)} files written to {BASELINE}")
        return 0
    saved = json.loads(BASELINE.read_text(encoding="utf-8"))
    differ = [f"{label} ({mode})" for label, modes in saved.items() for mode, digest in modes.items()
              if current.get(label, {}).get(mode) != digest]
    missing = sorted(set(saved) - set(current))  # an input of the baseline that is gone: a failure
    new = sorted(set(current) - set(saved))  # an input added since (a new test file): nothing to compare
    for line in differ + [f"{m}: not in this run" for m in missing]:
        print("DIFFERS:", line)
    if new:
        print(f"{len(new)} new inputs without a baseline, not compared (save a new baseline on the old code to "
              f"include them): {', '.join(new[:5])}{' …' if len(new) > 5 else ''}")
    print(f"{len(saved)} files × 2 outputs compared with the baseline: "
          f"{'identical' if not differ and not missing else f'{len(differ) + len(missing)} differ'}")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
