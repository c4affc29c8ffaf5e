"""The application bundle and the .deb, built from a clean copy of the checkout and run with an empty environment
(issue 20). Slow (one PyInstaller build, about two minutes): `python -m pytest -m "not slow"` leaves it out."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample-hangzhou-sfj-2023.txt"
pytestmark = pytest.mark.slow
DEB_TOOLS = shutil.which("dpkg-deb") and shutil.which("dpkg")


def clean_copy(dest: Path) -> Path:
    """The checkout's files as git sees them (tracked and new, none that .gitignore names), or all but caches."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True) if shutil.which("git") else None
    if listed is not None and listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            source = ROOT / name
            if source.is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / name)
    else:
        shutil.copytree(ROOT, dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".git", "build", ".*cache*"))
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build once: DIR/fazhi-review/ and (where dpkg-deb exists) the .deb."""
    checkout = clean_copy(tmp_path_factory.mktemp("checkout"))
    out = tmp_path_factory.mktemp("dist")
    argv = [sys.executable, "-m", "desktop.build", "-o", str(out)] + (["--deb"] if DEB_TOOLS else [])
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    started = time.monotonic()
    result = subprocess.run(argv, cwd=checkout, env=env, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\nbuild: {time.monotonic() - started:.0f} s; {result.stdout.strip()}")
    debs = sorted(out.glob("fazhi-review_*.deb"))
    return {"exe": out / "fazhi-review" / "fazhi-review", "bundle": out / "fazhi-review",
            "deb": debs[0] if debs else None, "checkout": checkout}


def frozen(exe: Path, *args, home: Path, cwd: Path, path: str = "/usr/bin:/bin", timeout: int = 180, **extra):
    """Run the frozen program as a new user would: no Python, an empty environment but HOME and PATH."""
    env = {"HOME": str(home), "PATH": path, **extra}
    return subprocess.run(["env", "-i", *[f"{k}={v}" for k, v in env.items()], str(exe), *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout)


def source(*args, cwd: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def test_extract_prints_what_the_source_run_prints(built, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "报告.txt")
    empty_path = tmp_path / "no-python"  # not even /usr/bin: nothing outside the bundle is needed
    empty_path.mkdir()
    ours = frozen(built["exe"], "extract", "报告.txt", "--json", home=tmp_path, cwd=tmp_path, path=str(empty_path))
    theirs = source("extract", "报告.txt", "--json", cwd=tmp_path)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout and json.loads(ours.stdout)["work_items"]
    plain = frozen(built["exe"], "extract", "报告.txt", home=tmp_path, cwd=tmp_path)
    assert plain.returncode == 0 and plain.stdout == source("extract", "报告.txt", cwd=tmp_path).stdout


def test_the_first_start_import_ledger_and_letter(built, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    exe, home = built["exe"], tmp_path / "home"
    home.mkdir()
    listed = frozen(exe, "list", home=home, cwd=tmp_path)  # the first start: a library with the sample
    assert listed.returncode == 0 and "杭州市司法局" in listed.stdout, listed.stderr
    assert (home / ".local" / "share" / "fazhi-review" / "library.db").is_file()
    report = tmp_path / "第二份.txt"
    report.write_text(SAMPLE.read_text(encoding="utf-8").replace("杭州市司法局", "宁波市司法局"), encoding="utf-8")
    imported = frozen(exe, "import", report, "--json", home=home, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    data = home / ".local" / "share" / "fazhi-review"
    assert list((data / "library-backups").glob("*daily*")), "a write makes the daily backup, as from source"
    ledger = frozen(exe, "export", "ledger", "--all", "-o", "台账.xlsx", home=home, cwd=tmp_path)
    assert ledger.returncode == 0, ledger.stderr
    book = load_workbook(tmp_path / "台账.xlsx")
    assert book.sheetnames[0] == "工作要点跟踪台账" and book.active.max_row > 10
    letter = frozen(exe, "export", "letter", "1", "-o", "意见.docx", "--office", "某市法治政府建设办公室",
                    home=home, cwd=tmp_path)
    assert letter.returncode == 0, letter.stderr
    text = "\n".join(p.text for p in Document(str(tmp_path / "意见.docx")).paragraphs)
    assert "审阅意见" in text and "某市法治政府建设办公室" in text
    bad = frozen(exe, "export", "ledger", "--nope", home=home, cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("错误：") and bad.stderr.count("\n") == 1
    assert "fazhi-review" in bad.stderr  # the program's own name, not python main.py
    version = frozen(exe, "--version", home=home, cwd=tmp_path)
    assert version.returncode == 0 and "版本" in version.stdout and str(built["bundle"]) in version.stdout


def test_a_folder_is_read_by_reader_processes_in_the_bundle_too(built, tmp_path):
    """Ten files start the reader processes (spawn): in the frozen program each must read, not run the CLI again."""
    exe, home = built["exe"], tmp_path / "home"
    home.mkdir()
    folder = tmp_path / "收到的报告"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for n, city in enumerate(("宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水")):
        (folder / f"{n:02d}-{city}.txt").write_text(text.replace("杭州", city), encoding="utf-8")
    result = frozen(exe, "import", folder, "--json", home=home, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert [r["label"] for r in json.loads(result.stdout)] == ["新导入"] * 10


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_the_desk_renders_offscreen(built, tmp_path):
    shots = tmp_path / "shots"
    shots.mkdir()
    result = frozen(built["exe"], "--screenshot", shots, home=tmp_path, cwd=tmp_path, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in shots.glob("*.png")}
    assert {"main.png", "file-dialog.png", "about.png", "guide.png", "letter-preview.png"} <= names
    assert _png_size(shots / "main.png") == (1480, 900)
    assert (shots / "main.png").stat().st_size > 50_000  # text, tree and tables, not an empty frame
    # Qt's translations travel: the file dialog's labels (查找范围, 文件名称, 文件类型 — Chinese from source, see
    # tests/test_qt_chinese.py) are drawn pixel for pixel as the source run draws them, in the same home folder.
    ours = tmp_path / "source-shots"
    ours.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--screenshot", ours], cwd=tmp_path, env=env,
                   check=True, capture_output=True, timeout=180)
    from PySide6.QtGui import QImage

    frozen_dialog, source_dialog = QImage(str(shots / "file-dialog.png")), QImage(str(ours / "file-dialog.png"))
    assert frozen_dialog.size() == source_dialog.size()
    labels = [(x, y) for x in range(0, 95) for y in [*range(0, 40), *range(450, source_dialog.height())]]
    assert all(frozen_dialog.pixel(x, y) == source_dialog.pixel(x, y) for x, y in labels)


@pytest.fixture
def xvfb(tmp_path):
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (.ci/run installs it)")
    for number in range(91, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.1)
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_desk_renders_under_xvfb(built, tmp_path, xvfb):
    shot = tmp_path / "desk.png"
    result = frozen(built["exe"], "--screenshot", shot, home=tmp_path, cwd=tmp_path, DISPLAY=xvfb,
                    QT_QPA_PLATFORM="xcb")
    assert result.returncode == 0, result.stderr
    assert _png_size(shot) == (1480, 900) and shot.stat().st_size > 50_000


def test_the_bundle_carries_what_it_reads_and_leaves_out_unused_qt(built):
    internal = built["bundle"] / "_internal"
    for name in ("sample-hangzhou-sfj-2023.txt", "letter-template.docx", "guide.md", "qt-supplement_zh_CN.qm"):
        assert (internal / "resources" / name).is_file(), name
    assert (internal / "desktop" / "review" / "rubric.toml").is_file()
    assert list(internal.rglob("t2s.json")), "OpenCC's tables"
    translations = {p.name for p in internal.rglob("translations/*.qm")}
    assert "qtbase_zh_CN.qm" in translations and not any("_de" in n or "_ja" in n for n in translations)
    platforms = {p.name for p in internal.rglob("platforms/*.so")} | {p.name for p in internal.rglob("platforms/*.dll")}
    assert {"libqxcb.so", "libqoffscreen.so"} <= platforms or "qwindows.dll" in platforms
    names = " ".join(p.name for p in internal.rglob("*"))
    for unused in ("QtNetwork", "Qt6Network", "QtQml", "QtQuick", "Qt6Quick", "QtSql", "libqvnc", "libqeglfs",
                   "pandas", "numpy", "tkinter"):
        assert unused not in names, unused
    size = sum(p.stat().st_size for p in built["bundle"].rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nbundle on disk: {size / 1e6:.0f} MB")
    assert size < 250e6


needs_deb = pytest.mark.skipif(not DEB_TOOLS, reason="dpkg-deb is not installed (not a Debian-based system)")


@needs_deb
def test_the_deb_declares_itself(built, tmp_path):
    deb = built["deb"]
    info = subprocess.run(["dpkg-deb", "-f", deb], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(": ", 1) for line in info.splitlines() if ": " in line and not line.startswith(" "))
    assert fields["Package"] == "fazhi-review" and fields["Version"] == __import__("desktop").__version__
    assert fields["Architecture"] == subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                                                    text=True).stdout.strip()
    for library in ("libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libegl1", "libgl1"):
        assert library in fields["Depends"]
    contents = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    assert "./opt/fazhi-review/fazhi-review" in contents
    assert "./usr/bin/fazhi-review -> /opt/fazhi-review/fazhi-review" in contents
    assert "./usr/share/applications/fazhi-review.desktop" in contents
    assert "./usr/share/icons/hicolor/256x256/apps/fazhi-review.png" in contents
    unpacked = tmp_path / "x"
    subprocess.run(["dpkg-deb", "-x", deb, unpacked], check=True)
    entry = (unpacked / "usr/share/applications/fazhi-review.desktop").read_text(encoding="utf-8")
    assert "Name=法治政府建设年度报告审阅台" in entry and "Exec=fazhi-review" in entry and "Icon=fazhi-review" in entry
    assert _png_size(unpacked / "usr/share/icons/hicolor/256x256/apps/fazhi-review.png") == (256, 256)
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", unpacked / "usr/share/applications/fazhi-review.desktop"],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


@needs_deb
def test_the_deb_installs_runs_and_removes_cleanly(built, tmp_path):
    """Into a throw-away root (dpkg --root; maintainer scripts honour $DPKG_ROOT and leave the host alone)."""
    root = tmp_path / "root"
    (root / "var/lib/dpkg/info").mkdir(parents=True)
    (root / "var/lib/dpkg/updates").mkdir()
    (root / "var/lib/dpkg/status").touch()
    dpkg = ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends", "--force-not-root"]
    installed = subprocess.run([*dpkg, "-i", built["deb"]], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    exe = root / "opt/fazhi-review/fazhi-review"
    assert os.readlink(root / "usr/bin/fazhi-review") == "/opt/fazhi-review/fazhi-review"
    shutil.copy(SAMPLE, tmp_path / "报告.txt")
    ran = frozen(exe, "extract", "报告.txt", "--json", home=tmp_path, cwd=tmp_path)
    assert ran.returncode == 0 and json.loads(ran.stdout)["metadata"]["issuer"], ran.stderr
    removed = subprocess.run([*dpkg, "--purge", "fazhi-review"], capture_output=True, text=True, timeout=300)
    assert removed.returncode == 0, removed.stderr
    left = [p for p in root.rglob("*") if "var/lib/dpkg" not in str(p.relative_to(root)) and not p.is_dir()]
    assert left == [] and not (root / "opt/fazhi-review").exists()


@needs_deb
def test_the_deb_names_the_system_libraries_qt_loads(built):
    """Every library Qt's xcb plugin needs that the bundle does not carry belongs to a package in Depends."""
    if not shutil.which("objdump"):
        pytest.skip("objdump (binutils) is not installed")
    internal = built["bundle"] / "_internal"
    carried = {p.name for p in internal.rglob("*.so*")}
    plugin = next(internal.rglob("platforms/libqxcb.so"))
    needed = set()
    for binary in [plugin, *internal.rglob("libQt6XcbQpa.so*"), *internal.rglob("libQt6Gui.so*")]:
        dump = subprocess.run(["objdump", "-p", binary], capture_output=True, text=True).stdout
        needed |= {line.split()[1] for line in dump.splitlines() if line.strip().startswith("NEEDED")}
    depends = subprocess.run(["dpkg-deb", "-f", built["deb"], "Depends"], capture_output=True, text=True).stdout
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout if shutil.which("ldconfig") \
        else subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    for soname in sorted(needed - carried):
        paths = [line.split(" => ")[1] for line in cache.splitlines() if line.strip().startswith(soname + " ")]
        assert paths, f"{soname} is not installed here"
        owner = subprocess.run(["dpkg", "-S", paths[0]], capture_output=True, text=True)
        if owner.returncode != 0:  # merged /usr: dpkg knows the /usr/lib or the /lib spelling
            alt = paths[0].removeprefix("/usr") if paths[0].startswith("/usr/") else "/usr" + paths[0]
            owner = subprocess.run(["dpkg", "-S", alt], capture_output=True, text=True)
        package = owner.stdout.split(":")[0].strip()
        assert package and package in depends, f"{soname} comes from {package!r}, not named in Depends"
