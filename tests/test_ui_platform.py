"""The Qt-free start-up check: missing xcb libraries and a missing display give a clear message."""
from __future__ import annotations

import subprocess
import sys

from desktop.ui.platform_check import XCB_PACKAGES, check_platform, missing_packages


def test_missing_libraries_named_with_apt_get_line():
    absent = {"xcb-cursor", "xkbcommon-x11"}
    result = check_platform({"DISPLAY": ":0"}, "linux", finder=lambda lib, so: lib not in absent)
    assert not result.ok
    assert "libxcb-cursor0" in result.message and "libxkbcommon-x11-0" in result.message
    assert "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0" in result.message
    assert "libxcb-icccm4" not in result.message


def test_all_libraries_present_is_ok():
    assert check_platform({"DISPLAY": ":0"}, "linux", finder=lambda lib, so: True).ok


def test_no_display_and_no_wayland():
    result = check_platform({}, "linux", finder=lambda lib, so: True)
    assert not result.ok
    assert "DISPLAY" in result.message and "WAYLAND_DISPLAY" in result.message and "xvfb-run" in result.message


def test_offscreen_and_other_systems_skip_the_check():
    never = lambda lib, so: False  # noqa: E731
    assert check_platform({"QT_QPA_PLATFORM": "offscreen"}, "linux", finder=never).ok
    assert check_platform({"QT_QPA_PLATFORM": "minimal"}, "linux", finder=never).ok
    assert check_platform({}, "win32", finder=never).ok
    assert check_platform({}, "darwin", finder=never).ok


def test_wayland_session_needs_no_xcb():
    assert check_platform({"WAYLAND_DISPLAY": "wayland-0"}, "linux", finder=lambda lib, so: False).ok


def test_lookup_uses_the_sonames():
    seen = []
    assert missing_packages(lambda lib, so: seen.append(so) or False) == list(XCB_PACKAGES)
    assert set(seen) == {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"}


def test_check_module_does_not_import_qt():
    code = "import sys, desktop.ui.platform_check as p; p.check_platform(); print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_main_without_display_exits_2_with_message(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "xcb"}
    out = subprocess.run([sys.executable, "main.py", "--db", str(tmp_path / "x.db")], capture_output=True,
                         text=True, env=env, cwd=str(__import__("pathlib").Path(__file__).parents[1]), timeout=60)
    assert out.returncode == 2
    assert "DISPLAY" in out.stderr
    assert not (tmp_path / "x.db").exists()
