"""Where the program's own files are, in a checkout, an installed wheel or the frozen bundle: the one frozen-aware place."""
from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "fazhi-review"  # the executable, the .deb, the user data folder
APP_TITLE = "法治政府建设年度报告审阅台"
RESOURCES = "resources"  # folder name in the checkout and inside the bundle


def is_frozen() -> bool:
    """True inside the PyInstaller bundle (`sys.frozen`, files unpacked under `sys._MEIPASS`)."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_root() -> Path | None:
    """The bundle's data folder (`fazhi-review/_internal`), None when running from source."""
    return Path(sys._MEIPASS) if is_frozen() else None


def resource_dirs() -> list[Path]:
    """Folders that may hold resources/, in order: the bundle, the checkout, beside the installed package."""
    here = Path(__file__).resolve().parents[1]  # …/desktop (this file is desktop/kernel/paths.py)
    dirs = [bundle_root() / RESOURCES] if is_frozen() else []
    return dirs + [here.parent / RESOURCES, here / RESOURCES]


def resource(name: str) -> Path | None:
    """A bundled file (`sample-….txt`, `letter-template.docx`, `guide.md`…), or None when this install lacks it."""
    for folder in resource_dirs():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def program_name() -> str:
    """How the user starts this program, for messages that tell them a command to run."""
    return APP_NAME if is_frozen() else "python main.py"


def qt_translations_dirs() -> list[Path]:
    """Where Qt's own .qm files may be: the bundle's PySide6 copy first, then PySide6's folder (found by QtCore)."""
    root = bundle_root()
    return [root / "PySide6" / "Qt" / "translations"] if root else []


def install_location() -> Path:
    """The folder the program runs from: the bundle's folder, or the checkout / installed package."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[2]


DATA_DIR_ENV = "FAZHI_DATA_DIR"  # overrides the user data folder (the tests point it at a temporary folder)


def data_folder() -> Path:
    """The user data folder (default library, backups, logs): $FAZHI_DATA_DIR when set, else platformdirs'."""
    import os

    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)
