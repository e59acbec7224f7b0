"""Draw the fpdesk application icon with QPainter and write resources/icons/.

The icon is a white house (the household, 户) on a red rounded square, with a red heart in the house's
body (the family). It is drawn as vectors at every size, so small sizes stay crisp, and written as:

* ``resources/icons/fpdesk-<size>.png`` for 16, 24, 32, 48, 64, 128, 256 and 512 pixels
  (window icon at run time: add them all to one ``QIcon``);
* ``resources/icons/fpdesk.ico`` with the sizes up to 256 as PNG-compressed entries
  (the Windows executable icon that ``packaging.spec`` passes to PyInstaller; Windows Vista and
  later read PNG entries).

Run it again only when the drawing changes; the outputs are committed::

    python build/make_icons.py
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"

# Colours: a warm Chinese red, darker towards the bottom, and a white house.
RED_TOP = "#e0453c"
RED_BOTTOM = "#b31f27"
HOUSE = "#ffffff"


def draw_icon(size: int):
    """Return a ``QImage`` of the icon, ``size`` × ``size`` pixels, transparent outside the tile."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPainterPath, QPen

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256.0, size / 256.0)  # draw on a 256 × 256 canvas

    # The tile: a rounded square with a small margin so it does not touch the edges.
    margin = 8.0 if size >= 32 else 4.0
    tile = QRectF(margin, margin, 256 - 2 * margin, 256 - 2 * margin)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomLeft())
    gradient.setColorAt(0.0, QColor(RED_TOP))
    gradient.setColorAt(1.0, QColor(RED_BOTTOM))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(tile, 52, 52)

    # The house: a roof with rounded joins and a body below it.
    roof = QPainterPath()
    roof.moveTo(QPointF(42, 124))
    roof.lineTo(QPointF(128, 50))
    roof.lineTo(QPointF(214, 124))
    pen = QPen(QColor(HOUSE), 22 if size >= 32 else 28)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(roof)

    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(HOUSE))
    body = QRectF(70, 112, 116, 96)
    painter.drawRoundedRect(body, 12, 12)
    # Fill the gap between the roof line and the body so the house reads as one shape.
    under_roof = QPainterPath()
    under_roof.moveTo(QPointF(70, 124))
    under_roof.lineTo(QPointF(128, 74))
    under_roof.lineTo(QPointF(186, 124))
    under_roof.closeSubpath()
    painter.drawPath(under_roof)

    # The heart in the body: two circles and a triangle, in the tile's red.
    painter.setBrush(QColor(RED_BOTTOM))
    heart = QPainterPath()
    cx, top, half = 128.0, 136.0, 30.0
    heart.moveTo(QPointF(cx, top + 58))
    heart.cubicTo(QPointF(cx - 8, top + 48), QPointF(cx - half - 14, top + 30), QPointF(cx - half, top + 8))
    heart.cubicTo(QPointF(cx - half + 10, top - 10), QPointF(cx - 6, top - 6), QPointF(cx, top + 8))
    heart.cubicTo(QPointF(cx + 6, top - 6), QPointF(cx + half - 10, top - 10), QPointF(cx + half, top + 8))
    heart.cubicTo(QPointF(cx + half + 14, top + 30), QPointF(cx + 8, top + 48), QPointF(cx, top + 58))
    painter.drawPath(heart)

    painter.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(entries: list[tuple[int, bytes]]) -> bytes:
    """An ICO file whose images are PNG streams: ``entries`` is ``[(size, png), ...]``."""
    header = struct.pack("<HHH", 0, 1, len(entries))  # reserved, type 1 = icon, count
    directory = b""
    offset = len(header) + 16 * len(entries)
    for size, png in entries:
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + directory + b"".join(png for _, png in entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw the fpdesk icon set.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    args.out.mkdir(parents=True, exist_ok=True)
    pngs = {size: png_bytes(draw_icon(size)) for size in PNG_SIZES}
    for size, data in pngs.items():
        (args.out / f"fpdesk-{size}.png").write_bytes(data)
    (args.out / "fpdesk.ico").write_bytes(ico_bytes([(size, pngs[size]) for size in ICO_SIZES]))
    print(f"wrote {len(pngs)} PNG files and fpdesk.ico to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
