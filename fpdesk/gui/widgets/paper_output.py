"""出单: where the receipt and the certificate of an enrollment go, chosen once and remembered.

Three ways: shown in the print preview (the start: nothing leaves the program unasked), sent straight
to a printer the clerk chose, or saved as PDFs in a folder the clerk chose. A printout made on the
way lives in the program's scratch folder and is deleted once printed or copied (README, "Nothing
left behind"): personal data is written only where the user said.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from fpdesk.gui.settings import UserSettings
from fpdesk.services.printouts.scratch import discard

PREVIEW, PRINTER, FOLDER = "preview", "printer", "folder"


class PaperOutput(QWidget):
    """Attributes:
    settings: where the choice is remembered; choice: the combo box; where: the printer or folder shown.
    previews: the preview dialogs of the last papers (PREVIEW); saved: their files (FOLDER).
    """

    def __init__(self, settings: UserSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # without the user's settings (a screen made alone), a choice lasts as long as the screen
        self.settings = settings or UserSettings(_Unsaved())
        self.previews: list[QDialog] = []
        self.saved: list[Path] = []  # the files of the last papers saved in the folder
        self.choice = QComboBox()
        self.choice.addItem(self.tr("先预览再打印"), PREVIEW)
        self.choice.addItem(self.tr("直接打印"), PRINTER)
        self.choice.addItem(self.tr("存为 PDF"), FOLDER)
        self.where = QLabel()
        # a long folder path must not widen the screen past the laptop's width: cut, whole in the tooltip
        self.where.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.where.setMinimumWidth(0)
        self.change_button = QPushButton(self.tr("更改…"))
        self.change_button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("出单")))
        layout.addWidget(self.choice)
        layout.addWidget(self.where, 1)
        layout.addWidget(self.change_button)
        self.choice.setCurrentIndex(max(0, self.choice.findData(self.settings.papers_to)))
        self.choice.activated.connect(self._chosen)
        self.change_button.clicked.connect(self.choose_place)
        self._show_place()

    @property
    def target(self) -> str:
        return self.choice.currentData()

    def _chosen(self, _index: int) -> None:
        if self.target != PREVIEW and not self._place():
            self.choose_place()
        if self.target != PREVIEW and not self._place():  # the clerk cancelled: stay with the preview
            self.choice.setCurrentIndex(self.choice.findData(PREVIEW))
        self.settings.papers_to = self.target
        self._show_place()

    def _place(self) -> str:
        if self.target == PRINTER:
            name = self.settings.papers_printer
            return name if name in QPrinterInfo.availablePrinterNames() else ""
        if self.target == FOLDER:
            folder = self.settings.papers_folder
            return folder if folder and Path(folder).is_dir() else ""
        return ""

    def _show_place(self) -> None:
        place = self._place()
        self.where.setText(place)
        self.where.setToolTip(place)
        self.change_button.setVisible(self.target != PREVIEW)

    def choose_place(self) -> bool:
        """Which printer or folder, asked once and remembered."""
        if self.target == PRINTER:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if self.settings.papers_printer:
                printer.setPrinterName(self.settings.papers_printer)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(self.tr("选择出单的打印机"))
            if dialog.exec() != QDialog.DialogCode.Accepted or not printer.printerName():
                return False
            self.settings.papers_printer = printer.printerName()
        elif self.target == FOLDER:
            folder = QFileDialog.getExistingDirectory(self, self.tr("收据和参保凭证存到哪个文件夹"),
                                                      self.settings.papers_folder or str(Path.home()))
            if not folder:
                return False
            self.settings.papers_folder = folder
        self._show_place()
        return bool(self._place())

    def deliver(self, papers: list[tuple[Path, str, str]]) -> str | None:
        """Send ``papers`` ((scratch PDF, file name, preview title), ...) where the clerk chose; returns
        what to tell the clerk, None when they went nowhere (no printer or folder chosen)."""
        from fpdesk.gui.dialogs.print_preview import load_pdf, prepare_printer, print_document

        self.saved = []
        if self.target == PREVIEW:
            self._preview_in_turn(list(papers))
            return self.tr("请在预览中打印。")
        if not self._place() and not self.choose_place():
            for path, _name, _title in papers:
                discard(path)
            return None
        place = self._place()
        try:
            if self.target == PRINTER:
                for path, _name, _title in papers:
                    document = load_pdf(path, self)
                    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
                    printer.setPrinterName(place)
                    prepare_printer(printer, document)
                    print_document(document, printer)
                    document.close()
                return self.tr("已送打印机 {0}。").format(place)
            self.saved = [_copy_into(path, Path(place), name) for path, name, _title in papers]
            return self.tr("收据和凭证已存入 {0}。").format(place)
        finally:
            for path, _name, _title in papers:
                discard(path)

    def _preview_in_turn(self, papers: list[tuple[Path, str, str]]) -> None:
        """One preview after another (the receipt, then the certificate when it closes)."""
        from fpdesk.gui.dialogs.print_preview import open_print_preview

        if not papers:
            return
        path, _name, title = papers.pop(0)
        preview = open_print_preview(self.window(), path, title=title)
        self.previews = [preview]
        preview.finished.connect(lambda _code: self._preview_in_turn(papers))


class _Unsaved(dict):
    """The two calls of QSettings a UserSettings makes, kept in memory."""

    def value(self, key, default=None):
        return self.get(key, default)

    def setValue(self, key, value) -> None:  # QSettings's name
        self[key] = value

    def sync(self) -> None:
        pass


def _copy_into(path: Path, folder: Path, name: str) -> Path:
    """``name`` in ``folder``, never over an earlier paper: 收据 R1.pdf, 收据 R1 (2).pdf, ..."""
    target = folder / name
    count = 1
    while target.exists():
        count += 1
        target = folder / f"{Path(name).stem} ({count}){Path(name).suffix}"
    shutil.copyfile(path, target)
    return target
