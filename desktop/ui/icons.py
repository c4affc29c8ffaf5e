"""Icons drawn with QPainter (no image files, no fonts): the app icon and the review-state dots."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

STATE_COLORS = {"unreviewed": "#b0b0b0", "annotated": "#e69500", "reviewed": "#2e9d49"}


def _app_pixmap(size: int) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#b22222"))
    p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 12 * s, 12 * s)
    # a page with text lines
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(15 * s, 10 * s, 34 * s, 44 * s), 3 * s, 3 * s)
    p.setPen(QPen(QColor("#b22222"), 3 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for y in (20, 28, 36):
        p.drawLine(QPointF(21 * s, y * s), QPointF(43 * s, y * s))
    # a check mark in gold
    p.setPen(QPen(QColor("#f2c200"), 5 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    path = QPainterPath(QPointF(28 * s, 44 * s))
    path.lineTo(35 * s, 51 * s)
    path.lineTo(52 * s, 32 * s)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.end()
    return pix


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addPixmap(_app_pixmap(size))
    return icon


@lru_cache(maxsize=8)
def state_icon(state: str) -> QIcon:
    """A coloured dot: grey not reviewed, orange annotated, green reviewed."""
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#606060"), 0.8))
    p.setBrush(QColor(STATE_COLORS.get(state, "#b0b0b0")))
    p.drawEllipse(QRectF(3, 3, 10, 10))
    p.end()
    return QIcon(pix)


def write_icon_files(folder) -> list:
    """The app icon as files for a package or an installer: PNG at 48 and 256 pixels, and a Windows .ico."""
    from pathlib import Path

    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["icons"])  # noqa: F841 (QPixmap needs an application)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in (48, 256):
        path = folder / f"fazhi-review-{size}.png"
        if not _app_pixmap(size).save(str(path), "PNG"):
            raise OSError(f"{path}: 无法保存图标")
        written.append(path)
    ico = folder / "fazhi-review.ico"
    if _app_pixmap(256).save(str(ico), "ICO"):  # needs Qt's ico image plugin; a missing .ico only loses the exe's icon
        written.append(ico)
    return written


if __name__ == "__main__":  # `python -m desktop.ui.icons DIR` (run by the bundle build, offscreen)
    import sys

    for written_path in write_icon_files(sys.argv[1]):
        print(written_path)
