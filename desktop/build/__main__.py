"""`python -m desktop.build -o DIR [--deb]`: the one-folder bundle DIR/fazhi-review (PyInstaller), and a .deb."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop import __version__
from desktop.build.recipe import APP_NAME, ROOT

SPEC = Path(__file__).with_name("fazhi-review.spec")


def parser() -> argparse.ArgumentParser:
    from desktop.cli import ChineseParser, speak_chinese

    speak_chinese()
    p = ChineseParser(prog="python -m desktop.build",
                                description="生成独立运行的程序文件夹（无需 Python），可再打包为 Debian 软件包。")
    p.add_argument("-o", "--output", metavar="文件夹", required=True,
                   help=f"输出文件夹：程序在 文件夹/{APP_NAME}/，.deb 在 文件夹/")
    p.add_argument("--deb", action="store_true", help="同时生成 .deb 软件包（统信UOS、银河麒麟等 Debian 系桌面）")
    p.add_argument("--work", metavar="文件夹", help="中间文件的文件夹（默认临时文件夹，完成后删除）")
    return p


def _say(message: str) -> None:
    print(message, flush=True)


def render_icons(folder: Path) -> None:
    """The app icon as PNG/ICO files, drawn by the desk's own code under the offscreen platform."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "desktop.ui.icons", str(folder)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"无法生成图标：{(result.stderr.strip().splitlines() or ['?'])[-1]}")


def run_pyinstaller(out: Path, work: Path, icons: Path) -> Path:
    env = {**os.environ, "FAZHI_ICON_DIR": str(icons), "PYTHONPATH": str(ROOT)}
    log = work / "pyinstaller.log"
    with open(log, "w", encoding="utf-8") as sink:
        result = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                                 "--distpath", str(out), "--workpath", str(work / "pyinstaller"), str(SPEC)],
                                cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or ["?"]
        raise RuntimeError(f"PyInstaller 失败（详见 {log}）：{tail[0]}")
    bundle = out / APP_NAME
    shutil.copy2(icons / f"{APP_NAME}-256.png", bundle / "_internal" / "resources" / f"{APP_NAME}.png")
    return bundle


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def build(out: Path, *, deb: bool, work: Path) -> tuple[Path, Path | None]:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise RuntimeError("没有安装 PyInstaller：请先运行 pip install -e '.[build]'") from None
    icons = work / "icon"
    render_icons(icons)
    started = time.monotonic()
    bundle = run_pyinstaller(out, work, icons)
    _say(f"程序文件夹：{bundle}（{size_mb(bundle):.0f} MB，用时 {time.monotonic() - started:.0f} 秒）")
    package = None
    if deb:
        from desktop.build.deb import build_deb

        package = build_deb(bundle, out, icons, __version__, work)
        _say(f"软件包：{package}（{package.stat().st_size / 1e6:.0f} MB）")
    return bundle, package


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    out = Path(args.output).resolve()
    if not out.parent.is_dir():
        print(f"错误：{out.parent}：文件夹不存在", file=sys.stderr)
        return 2
    out.mkdir(exist_ok=True)
    temp = None if args.work else tempfile.mkdtemp(prefix="fazhi-build-")
    work = Path(args.work or temp).resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        build(out, deb=args.deb, work=work)
    except RuntimeError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
