"""Print preview of a generated PDF (Qt PDF), printing it through QPrinter, and "save as PDF".

The PDF is what fpdesk made (fonts embedded), so the preview is exactly the printout. Printing
renders each page at the printer's resolution (at most 300 dpi: enough for text and QR codes, and
an A4 page stays ~35 MB in memory) and scales it into the printable area of whatever paper the
print dialog ends with; the dialog starts on the document's own paper size (A4, A5 or the
241 × 93 mm receipt form).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui.window_fit import fit_window
from fpdesk.services.printouts.scratch import discard

MAX_PRINT_DPI = 300


def load_pdf(path: str | Path, parent=None) -> QPdfDocument:
    document = QPdfDocument(parent)
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_:
        raise OSError(f"cannot open {path}: {error.name}")
    return document


def page_setup(document: QPdfDocument) -> tuple[QPageSize, QPageLayout.Orientation]:
    """The paper and orientation the printer starts on, from the PDF's first page.

    A landscape page of a standard paper (the A4 roster) is that paper upright plus landscape
    orientation: laser printers hold A4 upright. A custom paper is kept as it is, portrait: the
    241 × 93 mm continuous form runs through a dot-matrix printer 241 mm wide, so turning it would
    print the receipt sideways.
    """
    size: QSizeF = document.pagePointSize(0)
    upright = QSizeF(min(size.width(), size.height()), max(size.width(), size.height()))
    standard = QPageSize(upright, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    if standard.id() != QPageSize.PageSizeId.Custom:
        landscape = size.width() > size.height()
        return standard, QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageSize(size, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch), \
        QPageLayout.Orientation.Portrait


def prepare_printer(printer: QPrinter, document: QPdfDocument) -> None:
    page_size, orientation = page_setup(document)
    printer.setPageSize(page_size)
    printer.setPageOrientation(orientation)
    printer.setFullPage(False)
    printer.setDocName(document.metaData(QPdfDocument.MetaDataField.Title) or "fpdesk")


def print_document(document: QPdfDocument, printer: QPrinter, *, progress=None) -> int:
    """Paint every page onto ``printer``; returns the number of pages sent."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"the printer {printer.printerName() or '(file)'} cannot be opened")
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            target = QSize(round(points.width() * scale), round(points.height() * scale))
            pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, pixels)
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
            if progress:
                progress(page + 1, document.pageCount())
    finally:
        painter.end()
    return document.pageCount()


class PrintPreviewDialog(QDialog):
    """Attributes:
    document: the loaded PDF; view: the page view; path: the PDF file shown.
    """

    def __init__(self, pdf_path: str | Path, parent: QWidget | None = None, *, title: str = "") -> None:
        super().__init__(parent)
        self.path = Path(pdf_path)
        self.setWindowTitle(title or self.tr("打印预览"))
        fit_window(self, 900, 1000)
        self.document = load_pdf(self.path, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages = QLabel(self.tr("共 %1 页").replace("%1", str(self.document.pageCount())))
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.tr("另存为 PDF…"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.print_button.clicked.connect(self.choose_printer_and_print)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pages)
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.finished.connect(self._forget_printout)

    def _forget_printout(self, _result: int) -> None:
        """A printout made for this preview (names, ID numbers) is deleted as it closes; "save as"
        has copied it where the user wanted it."""
        self.document.close()  # Windows deletes no open file
        discard(self.path)

    def new_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, self.document)
        return printer

    def choose_printer_and_print(self) -> bool:
        printer = self.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        try:
            print_document(self.document, printer)
        except OSError as error:
            QMessageBox.warning(self, self.tr("无法打印"), str(error))
            return False
        return True

    def save_as(self, target: str | None = None) -> Path | None:
        if not target:
            target, _ = QFileDialog.getSaveFileName(self, self.tr("另存为 PDF"), str(Path.home() / self.path.name),
                                                    self.tr("PDF 文件 (*.pdf)"))
        if not target:
            return None
        destination = Path(target)
        if destination.suffix.lower() != ".pdf":
            destination = destination.with_suffix(".pdf")
        shutil.copyfile(self.path, destination)
        return destination


def open_print_preview(parent: QWidget | None, pdf_path: str | Path, *, title: str = "") -> PrintPreviewDialog:
    """Show the preview of ``pdf_path`` (non-blocking); the dialog deletes itself when closed."""
    dialog = PrintPreviewDialog(pdf_path, parent, title=title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
