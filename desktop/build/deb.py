"""Wrap the one-folder bundle as a Debian package: /opt/fazhi-review, a command on the PATH, a .desktop entry, icons."""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path

from desktop.build.recipe import APP_NAME, APP_TITLE, COMMENT, DEB_NAME

INSTALL_DIR = Path("opt") / APP_NAME
# Qt's xcb platform plugin loads these system libraries; naming them as Depends lets apt bring them (the
# Debian names; the t64 name of Debian 13 / Ubuntu 24.04 given as an alternative). The C library's floor is
# the build machine's (glibc_floor): build on the oldest system the package is for.
DEPENDS = (
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xfixes0", "libxcb-xkb1", "libxcb1", "libx11-xcb1",
    "libxkbcommon-x11-0", "libxkbcommon0", "libfontconfig1", "libfreetype6", "libegl1", "libgl1",
    "libdbus-1-3", "libglib2.0-0t64 | libglib2.0-0",
)
RECOMMENDS = ("fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei",)
MAINTAINER = "法治政府建设年度报告审阅台维护组 <fazhi-review@localhost>"

# No maintainer scripts: the menu and icon caches are refreshed by the file triggers of desktop-file-utils and
# hicolor-icon-theme, so installing and removing touch nothing but the package's own files.


def glibc_floor() -> str:
    """The C library the bundle was built against (its binaries need at least that one): `libc6 (>= 2.36)`."""
    found = os.confstr("CS_GNU_LIBC_VERSION") if hasattr(os, "confstr") else None  # "glibc 2.36"
    version = found.split()[-1] if found else "2.28"
    return f"libc6 (>= {version})"


def deb_arch() -> str:
    """The Debian architecture of this machine (amd64, arm64…): the bundle holds this machine's binaries."""
    if shutil.which("dpkg"):
        out = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64", "loongarch64": "loong64"}.get(machine, machine)


def desktop_entry() -> str:
    """The menu entry (freedesktop .desktop file) with the Chinese name and the icon."""
    return "\n".join([
        "[Desktop Entry]", "Type=Application", "Version=1.0",
        f"Name={APP_TITLE}", f"Name[zh_CN]={APP_TITLE}", "GenericName=报告审阅",
        f"Comment={COMMENT}", f"Exec={APP_NAME}", f"Icon={APP_NAME}", "Terminal=false",
        "Categories=Office;Qt;", "Keywords=法治政府;年度报告;审阅;台账;", "StartupNotify=true",
        f"StartupWMClass={APP_NAME}", "",
    ])


def control(version: str, arch: str, installed_kb: int) -> str:
    return "\n".join([
        f"Package: {DEB_NAME}", f"Version: {version}", f"Architecture: {arch}", f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kb}", f"Depends: {', '.join((glibc_floor(), *DEPENDS))}", f"Recommends: {', '.join(RECOMMENDS)}",
        "Section: utils", "Priority: optional", "Homepage: https://example.invalid/fazhi-review",
        f"Description: {APP_TITLE}",
        " 审阅法治政府建设年度报告的桌面程序：读入报告（文本、网页、Word、PDF），",
        " 章节树与正文并排，批注、评分，导出台账（Excel）和审阅意见书（Word）。",
        " 自带运行环境，无需安装 Python。", "",
    ])


def _size_kb(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) // 1024 + 1


def build_deb(bundle: Path, out_dir: Path, icons: Path, version: str, work: Path) -> Path:
    """Lay the package tree out under `work` and build `out_dir/fazhi-review_<version>_<arch>.deb` with dpkg-deb."""
    if not shutil.which("dpkg-deb"):
        raise RuntimeError("没有找到 dpkg-deb（Debian/Ubuntu 的 dpkg 软件包提供），无法生成 .deb")
    arch = deb_arch()
    root = work / "deb-root"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    os.symlink(f"/{INSTALL_DIR}/{APP_NAME}", root / "usr" / "bin" / APP_NAME)
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{APP_NAME}.desktop").write_text(desktop_entry(), encoding="utf-8")
    for size in (48, 256):
        target = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(icons / f"{APP_NAME}-{size}.png", target / f"{APP_NAME}.png")
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control(version, arch, _size_kb(root)), encoding="utf-8")
    for path in [root, *root.rglob("*")]:  # dpkg wants 0755 folders and no group/world-writable files
        if not path.is_symlink():
            path.chmod((path.stat().st_mode & 0o755) | (0o755 if path.is_dir() else 0o644))
    target = out_dir / f"{DEB_NAME}_{version}_{arch}.deb"
    result = subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root), str(target)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dpkg-deb 打包失败：{result.stderr.strip().splitlines()[-1] if result.stderr else ''}")
    shutil.rmtree(root)
    return target
