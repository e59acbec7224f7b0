"""Qt's own dialogs speak the interface's language: the file chooser said "Look in" and "Files of
type" in the Chinese window (Qt 6's Chinese translation lacks the texts with a shortcut letter)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

# printers' names and paths are data, not Qt's words; PDF is PDF in Chinese too
LATIN = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {"pdf", "ctrl", "cups"}  # compared in lower case


def words(widget: QWidget, *, skip_combos: bool = False) -> set[str]:
    texts = [widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
        if isinstance(child, QGroupBox):
            texts.append(child.title())
        if isinstance(child, QTabWidget):
            texts += [child.tabText(i) for i in range(child.count())]
        if isinstance(child, QComboBox) and not skip_combos and not child.isEditable():
            texts += [child.itemText(i) for i in range(child.count())]
        if isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
        texts.append(child.toolTip())
    found = set()
    for text in texts:
        if "/" in text:  # a folder shown in the chooser
            continue
        found |= {word for word in LATIN.findall(text) if word.lower() not in ALLOWED}
    return found


def test_qt_file_chooser_is_chinese(qtbot, chinese_app, tmp_path):
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        dialog = QFileDialog(None, "另存为 PDF", str(tmp_path), "PDF 文件 (*.pdf)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on a Linux desktop
        dialog.setAcceptMode(mode)
        qtbot.addWidget(dialog)
        dialog.show()
        assert not words(dialog), words(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels


def test_qt_print_dialog_and_stock_texts_are_chinese(qtbot, chinese_app):
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not words(dialog, skip_combos=True)  # the printer list names the machine's printers
    page_sets = [c for c in dialog.findChildren(QComboBox) if c.count() == 3]
    assert any(c.itemText(0) == "全部页面" for c in page_sets)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    assert not {w for a in menu.actions() for w in LATIN.findall(a.text()) if w.lower() not in ALLOWED}
    menu.deleteLater()


def test_our_own_texts_are_not_touched_by_the_qt_fallback(chinese_app):
    assert QCoreApplication.translate("HouseholdEditor", "保存 (Ctrl+S)") == "保存 (Ctrl+S)"
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert QApplication.instance() is chinese_app
