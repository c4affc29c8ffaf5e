"""Proof that work on the checks changed no output: `check FILE` and `check FILE --json` of the sample, the corpus,
tests/followup_pairs/*.txt and 300 generated realistic reports, hashed and compared with a saved baseline.

    python tests/bench/identical_checks.py --save    # once, on the code before the change: writes check_baseline.json
    python tests/bench/identical_checks.py           # after a change: exit 1 and the differing files if any

The outputs are made by the CLI's own handler (desktop.commands.review.run_check, a file target: no library) on
real files, from the file's folder; the checkout's own path (the bundled rubric's source) is written as <root>,
so two checkouts of the same code hash alike. The files are those of identical.py (the reader's proof).
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

from identical import files  # noqa: E402

BASELINE = Path(__file__).with_name("check_baseline.json")


def outputs(path: Path) -> dict[str, str]:
    """sha256 of what `check FILE --json` and `check FILE` print (or of the one-line refusal)."""
    try:
        from desktop.commands.common import CommandError
    except ImportError:  # code from before the subcommands shared commands/common.py: a baseline of older code
        from desktop.commands import CommandError
    from desktop.commands.review import run_check

    got, here = {}, os.getcwd()
    for mode in ("json", "plain"):
        buf = io.StringIO()
        try:
            os.chdir(path.parent)
            with contextlib.redirect_stdout(buf):
                run_check(argparse.Namespace(target=path.name, json=mode == "json", rubric=None, db=None))
        except CommandError as exc:
            buf.write(f"refused: {exc}")
        finally:
            os.chdir(here)
        text = buf.getvalue().replace(str(ROOT), "<root>")
        got[mode] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return got


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", action="store_true", help="write the baseline (run on the code before the change)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="identical-checks-") as tmp:
        current = {label: outputs(path) for label, path in files(Path(tmp)).items()}
    if args.save:
        BASELINE.write_text(json.dumps(current, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                            encoding="utf-8")
        print(f"baseline of {len(current)} files written to {BASELINE}")
        return 0
    saved = json.loads(BASELINE.read_text(encoding="utf-8"))
    differ = [f"{label} ({mode})" for label, modes in saved.items() for mode, digest in modes.items()
              if current.get(label, {}).get(mode) != digest]
    missing = sorted(set(saved) ^ set(current))
    for line in differ + [f"{m}: not in both runs" for m in missing]:
        print("DIFFERS:", line)
    print(f"{len(saved)} files × 2 outputs compared with the baseline: "
          f"{'identical' if not differ and not missing else f'{len(differ) + len(missing)} differ'}")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
