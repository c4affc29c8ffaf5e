"""The bundle's recipe, shared by Linux and Windows: what travels inside, which modules stay out, the names."""
from __future__ import annotations

from pathlib import Path

from desktop.kernel.paths import APP_NAME, APP_TITLE, RESOURCES

ROOT = Path(__file__).resolve().parents[2]  # the checkout: main.py, desktop/, resources/
ENTRY = ROOT / "main.py"
DEB_NAME = APP_NAME
DESKTOP_ID = "cn.fazhi.review"  # reverse-DNS id of the .desktop entry and the icon
COMMENT = "审阅法治政府建设年度报告：章节树、批注、评分、台账与审阅意见书"

# Files the program reads at run time, as (source relative to the checkout, folder inside the bundle).
# Everything in resources/ goes (sample, letter template, user guide); the rubric and the JSON/TOML tables
# sit beside their modules, where the code finds them through __file__.
RESOURCE_FILES = ("sample-hangzhou-sfj-2023.txt", "letter-template.docx", "guide.md",
                  "qt-supplement_zh_CN.qm")
PACKAGE_DATA_SUFFIXES = (".toml", ".json")

# Python packages whose data files (tables, templates) must travel: OpenCC's dictionaries, python-docx's
# default parts, docxtpl. PyInstaller's community hooks cover most of them; naming them keeps the recipe honest.
DATA_PACKAGES = ("opencc", "docx", "docxtpl")

# Qt modules the desk uses: QtCore, QtGui, QtWidgets. The rest of PySide6 stays out (size), as do libraries
# that are installed next to ours but never used by the program (sqlite-utils imports pandas/numpy if present).
QT_UNUSED = (
    "QtNetwork", "QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest", "QtQmlFeatures",
    "QtSql", "QtDBus", "QtOpenGL", "QtOpenGLWidgets", "QtPrintSupport", "QtSvg", "QtSvgWidgets", "QtTest",
    "QtHelp", "QtDesigner", "QtUiTools", "QtConcurrent", "QtXml", "QtLabsStyleKit", "QtPdf", "QtPdfWidgets",
    "QtMultimedia", "QtWebEngineCore", "QtWebEngineWidgets", "QtCharts", "Qt3DCore", "QtNetworkAuth",
)
PY_UNUSED = (
    "tkinter", "pandas", "numpy", "matplotlib", "IPython", "pytest", "hypothesis", "PIL", "setuptools",
    "pip", "importlinter", "grimp", "pytest_qt", "pytestqt", "pydoc_data", "lib2to3", "unittest.mock",
    # The OCR extra (RapidOCR, ONNX Runtime, OpenCV) stays out: the bundle says scans need a source install.
    "rapidocr_onnxruntime", "onnxruntime", "cv2",
)
EXCLUDES = tuple(f"PySide6.{m}" for m in QT_UNUSED) + PY_UNUSED

# Qt plugins the desk needs; PyInstaller's PySide6 hook collects these for QtGui/QtWidgets.
# Translations: only the Chinese .qm files are kept (the hook would copy every language).
KEEP_TRANSLATIONS = ("qtbase_zh_CN.qm", "qt_zh_CN.qm")


def resource_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source, destination folder) pairs for resources/ and the package data beside the modules."""
    missing = [name for name in RESOURCE_FILES if not (root / RESOURCES / name).is_file()]
    if missing:  # a bundle without them would start and then fail on a reviewer's PC
        raise FileNotFoundError(f"resources/ lacks {', '.join(missing)}")
    pairs = [(str(root / RESOURCES / name), RESOURCES) for name in RESOURCE_FILES]
    for path in sorted((root / "desktop").rglob("*")):
        if path.suffix in PACKAGE_DATA_SUFFIXES and "build" not in path.relative_to(root / "desktop").parts[:1]:
            pairs.append((str(path), str(path.parent.relative_to(root))))
    return pairs


def library_datas() -> list[tuple[str, str]]:
    """Data files of third-party packages (collected by PyInstaller's helper; headers and sources left out)."""
    from PyInstaller.utils.hooks import collect_data_files

    pairs: list[tuple[str, str]] = []
    for package in DATA_PACKAGES:
        pairs += collect_data_files(package, excludes=["**/include/**", "**/*.hpp", "**/*.h", "**/__pycache__"])
    return pairs


# Qt plugins for embedded devices and remote displays (and the Qt libraries only they load): a reviewer's PC uses
# xcb (X11, 统信UOS/麒麟), wayland or Windows; offscreen and minimal serve screenshots and tests.
UNUSED_PLUGIN_DIRS = ("egldeviceintegrations", "generic")
UNUSED_PLATFORMS = ("libqeglfs", "libqlinuxfb", "libqvnc", "libqminimalegl", "libqvkkhrdisplay", "qdirect2d")
UNUSED_QT_LIBS = ("Qt6Network", "Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport")


def is_unused_qt_file(dest: str) -> bool:
    """Files of the PySide6 hook's output to drop: other languages' translations, QML, device-only plugins."""
    parts = dest.replace("\\", "/").split("/")
    name = parts[-1]
    if "translations" in parts and name.endswith(".qm"):
        return name not in KEEP_TRANSLATIONS
    if "qml" in parts or any(folder in parts for folder in UNUSED_PLUGIN_DIRS):
        return True
    if "platforms" in parts and name.startswith(UNUSED_PLATFORMS):
        return True
    return name.removeprefix("lib").startswith(UNUSED_QT_LIBS)
