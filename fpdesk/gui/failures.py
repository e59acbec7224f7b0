"""Failures nobody planned for, in the window: logged with their traceback, then said in plain words
with where the log file is, so that someone can send it.

``install_failure_hooks`` (at start) sends to ``report_failure`` what would otherwise vanish in the
windowed program, which has no console: an exception in a Python slot (PySide6 hands it to
``sys.excepthook``), one in a Python thread (``threading.excepthook``), and Qt's own warnings (to the
log only). ``show_refusal`` shows a DomainError the way the screens do (a warning box with its message).
Both dialogs are opened, never exec'd: a failure inside a slot must not start a second event loop there.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QtMsgType, QUrl, Signal, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from fpdesk.core.errors import DomainError
from fpdesk.gui.widgets.dialog_parts import error_text
from fpdesk.services.logbook import current_log_file, mask_numbers

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

# QStyle and QMessageBox are imported where a dialog is made: this module is imported at every start
# to install the hooks, and the types of those two (their large enumerations) took 20 ms of it.

log = logging.getLogger(__name__)
_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


class ErrorDialog(QDialog):
    """What happened, in plain words; where the log is; the details, to copy into a message."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QStyle

        super().__init__(parent)
        self.log_file = log_file
        self.setWindowTitle(self.tr("程序出错"))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        self.said = said = QLabel(self.tr("刚才的操作没有完成：程序遇到了一个意外的问题。\n"
                              "请再试一次。如果还是这样，请把日志文件发给为您维护本程序的人，并说明当时在做什么。"))
        said.setWordWrap(True)
        top.addWidget(said, 1)
        layout.addLayout(top)
        where = (self.tr("日志文件：%1").replace("%1", str(log_file)) if log_file is not None else
                 self.tr("日志文件夹不能写入，这次没有日志：请复制下面的详细信息发送。"))
        self.where = QLabel(where)
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setPlainText(mask_numbers(details))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        self.copy_button = QPushButton(self.tr("复制详细信息"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        if log_file is not None:
            folder_button = QPushButton(self.tr("打开日志所在文件夹"))
            folder_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file.parent))))
            buttons.addButton(folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def add(self, details: str) -> None:
        """A later failure while this one is still shown: one dialog, not a pile of them."""
        self.details.appendPlainText("\n" + mask_numbers(details))

    def report_text(self) -> str:
        from fpdesk import __version__

        return (f"fpdesk {__version__}, {platform.platform()}\n"
                f"log: {self.log_file if self.log_file is not None else '-'}\n\n{self.details.toPlainText()}")

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.copy_button.setText(self.tr("已复制"))


class _Relay(QObject):
    """Carries a failure seen on another thread to the GUI thread, where widgets may be made."""

    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.failed.connect(self._deliver)  # made on the GUI thread: a signal from another is queued

    def _deliver(self, details: str) -> None:
        _show(details)


_relay: _Relay | None = None
_shown: ErrorDialog | None = None
_kept: set[QWidget] = set()  # boxes without a parent, alive until closed
_busy = False  # a failure while the dialog is being made is logged, never shown (no recursion)
_previous: tuple | None = None


def report_failure(error: BaseException, parent: QWidget | None = None, *, what: str = "",
                   logged: bool = False) -> None:
    """Log ``error`` with its traceback (unless ``logged``) and show the error dialog."""
    if not logged:
        log.error("unexpected failure%s", f" in {what}" if what else "",
                  exc_info=(type(error), error, error.__traceback__))
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if threading.current_thread() is not threading.main_thread():
        if _relay is not None:
            _relay.failed.emit(details)  # queued to the GUI thread
        return
    _show(details, parent)


def _show(details: str, parent: QWidget | None = None) -> None:
    global _shown, _busy
    if _busy or QApplication.instance() is None:
        return
    _busy = True
    try:
        if _shown is not None and _shown.isVisible():
            _shown.add(details)
            return
        if parent is not None and not isValid(parent):  # the window that asked is gone
            parent = None
        dialog = ErrorDialog(details, current_log_file(), parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(_forget)
        _shown = dialog
        dialog.open()
    except Exception:  # the log keeps it; a dialog that cannot be shown must not report itself
        log.exception("the error dialog could not be shown")
    finally:
        _busy = False


def _forget() -> None:
    global _shown
    _shown = None


def shown_error_dialog() -> ErrorDialog | None:
    """The error dialog on screen, if any (tests, the window census)."""
    return _shown


def show_refusal(parent: QWidget | None, error: DomainError, title: str = "") -> QMessageBox:
    """A refusal as the screens show one: a warning box with the message in the interface's language."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title or QApplication.translate("Failures", "不能执行"),
                      error_text(error), QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        _kept.add(box)
        box.finished.connect(lambda _result: _kept.discard(box))
    box.open()
    return box


def _excepthook(kind, error, trace) -> None:
    if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal that started it: stop as Python does
        sys.__excepthook__(kind, error, trace)
        return
    try:
        report_failure(error.with_traceback(trace))
    except Exception:  # the last resort cannot fail in turn
        sys.__excepthook__(kind, error, trace)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    try:
        report_failure(args.exc_value, what=f"thread {args.thread.name if args.thread else '?'}")
    except Exception:
        threading.__excepthook__(args)


def _qt_message(kind: QtMsgType, context, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    logging.getLogger("fpdesk.qt").log(level, "%s", message)
    if level >= logging.WARNING and sys.stderr is not None:  # what Qt would have printed (none in the bundle)
        print(message, file=sys.stderr)


def install_failure_hooks() -> None:
    """Route failures to the log and the error dialog (call once a QApplication exists)."""
    global _relay, _previous
    if _previous is not None:
        return
    _relay = _Relay()
    _previous = (sys.excepthook, threading.excepthook, qInstallMessageHandler(_qt_message))
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def uninstall_failure_hooks() -> None:
    """Put back what was there before (tests)."""
    global _relay, _previous
    if _previous is None:
        return
    sys.excepthook, threading.excepthook, previous_qt = _previous
    qInstallMessageHandler(previous_qt)
    _previous = None
    _relay = None
