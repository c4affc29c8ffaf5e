"""Qt-free start-up checks: a usable display and Qt's xcb system libraries, with the apt-get line to fix them."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from desktop.kernel.paths import program_name

# Debian package -> (library name for find_library, soname looked up in the ldconfig cache)
XCB_PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor0": ("xcb-cursor", "libxcb-cursor.so.0"),
    "libxcb-icccm4": ("xcb-icccm", "libxcb-icccm.so.4"),
    "libxcb-keysyms1": ("xcb-keysyms", "libxcb-keysyms.so.1"),
    "libxkbcommon-x11-0": ("xkbcommon-x11", "libxkbcommon-x11.so.0"),
}
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str = ""


def _ldconfig_sonames() -> set[str] | None:
    import subprocess  # here: the desk starts without it (locale and signal come with it, ~15 ms)

    for exe in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            out = subprocess.run([exe, "-p"], capture_output=True, text=True, timeout=5).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        return {line.split()[0] for line in out.splitlines()[1:] if line.strip()}
    return None


def library_present(lib: str, soname: str, cache: set[str] | None = None) -> bool:
    """True when the shared library is listed in the ldconfig cache or found by ctypes (which runs a
    program per call on Linux, so it is asked only when the cache does not know the library)."""
    if cache and soname in cache:
        return True
    import ctypes.util

    return bool(ctypes.util.find_library(lib))


def missing_packages(finder=None) -> list[str]:
    """Debian packages whose libraries cannot be found. `finder(lib, soname) -> bool` replaces the lookup."""
    if finder is None:
        from desktop.kernel.paths import bundle_root

        cache, carried = _ldconfig_sonames(), bundle_root()  # the frozen bundle carries its own copies
        finder = lambda lib, soname: bool(carried and (carried / soname).exists()) or \
            library_present(lib, soname, cache)  # noqa: E731
    return [pkg for pkg, (lib, soname) in XCB_PACKAGES.items() if not finder(lib, soname)]


def check_platform(env=None, platform: str | None = None, finder=None) -> CheckResult:
    """Decide whether a Qt window can open here; the message says what to do when it cannot."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return CheckResult(True)
    qpa = (env.get("QT_QPA_PLATFORM") or "").split(":")[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return CheckResult(True)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return CheckResult(False, "无法打开窗口：没有图形显示（DISPLAY 和 WAYLAND_DISPLAY 都未设置）。"
                                  f"请在桌面会话中运行，或用 xvfb-run {program_name()}；"
                                  f"命令行功能见 {program_name()} --help")
    if qpa == "wayland" or (env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY")):
        return CheckResult(True)  # the xcb plugin is not used
    missing = missing_packages(finder)
    if missing:
        return CheckResult(False, "无法打开窗口：Qt 需要的系统库缺失（" + "、".join(missing) + "）。请安装：\n"
                                  "  sudo apt-get install " + " ".join(missing))
    return CheckResult(True)
