"""One way to run work off the GUI thread (Anki's CollectionOp is the model).

``BackgroundOp(parent, job).success(...).failure(...).run()`` runs ``job(progress)`` on a single
worker thread — so writes are serialised — and calls ``success`` / ``failure`` back on the GUI
thread; what the job committed is announced (gui/changes.py) to every screen that shows it, the
caller (``origin``, the parent unless said) excepted. A progress dialog appears only if the job
is still running after ``delay_ms``; its Cancel button makes ``progress.check()`` raise Cancelled
inside the job, whose transaction then rolls back.

Every failure is logged. Without a ``failure`` callback a refusal (DomainError) is shown as the
screens show one and anything else goes to the error dialog (gui/failures.py); nothing is raised
into Qt's event loop, where it would be lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from fpdesk.core.changes import Changes, collecting
from fpdesk.core.errors import DomainError
from fpdesk.core.progress import Cancelled, Progress
from fpdesk.gui.changes import announce

log = logging.getLogger(__name__)

_worker_pool: QThreadPool | None = None
PARENT = object()  # ``origin``'s default: the op's parent made the change (and shows it itself)


def worker_pool() -> QThreadPool:
    """One worker thread for every database job: SQLite has one writer, and order matters."""
    global _worker_pool
    if _worker_pool is None:
        _worker_pool = QThreadPool()
        _worker_pool.setMaxThreadCount(1)
    return _worker_pool


class _Relay(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object, object)  # the job's result, the Changes it committed
    failed = Signal(object, object)  # the error, the Changes committed before it (usually none)


class _Runnable(QRunnable):
    def __init__(self, job: Callable[[Progress], Any], relay: _Relay, cancel: threading.Event) -> None:
        super().__init__()
        self.job, self.relay, self.cancel = job, relay, cancel

    def run(self) -> None:
        progress = Progress(callback=self._progressed, cancel_requested=self.cancel.is_set)
        with collecting() as collector:
            try:
                result = self.job(progress)
            except BaseException as error:  # delivered to the GUI thread, never lost in the worker
                self._emit(self.relay.failed, error, collector.changes)
                return
        self._emit(self.relay.finished, result, collector.changes)

    def _progressed(self, done: int, total: int, label: str) -> None:
        self._emit(self.relay.progressed, done, total, label)

    def _emit(self, signal, *values) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the window that asked is gone (application closing): nobody to tell
            self.cancel.set()


class BackgroundOp(QObject):
    """Attributes:
    label: shown in the progress dialog.
    delay_ms: how long a job may run before the dialog appears.
    """

    running: ClassVar[set[BackgroundOp]] = set()  # keep ops alive until they report

    def __init__(self, parent: QWidget | None, job: Callable[[Progress], Any], *, label: str = "",
                 delay_ms: int = 400, cancellable: bool = True, origin: Any = PARENT) -> None:
        super().__init__(parent)
        self.parent_widget, self.job, self.label = parent, job, label
        # None: nobody has shown the change yet (a window's menu action), every screen refreshes
        self.origin = parent if origin is PARENT else origin
        self.delay_ms, self.cancellable = delay_ms, cancellable
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._cancel = threading.Event()
        self._relay = _Relay()
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)
        self._last = (0, 0, label)

    def success(self, callback: Callable[[Any], None]) -> BackgroundOp:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> BackgroundOp:
        self._on_failure = callback
        return self

    def failure_logged(self) -> BackgroundOp:
        """A failure is logged (with its traceback) and otherwise not shown: for work nobody asked
        for, such as a recount while a page is shown, which the next change runs again."""
        self._on_failure = _logged_only
        return self

    def run(self) -> BackgroundOp:
        BackgroundOp.running.add(self)
        # deleted with its parent before it reported (a screen closed while its count was read): it
        # will never report, and "running" must not wait for it
        self.destroyed.connect(lambda *_: BackgroundOp.running.discard(self))
        self._relay.progressed.connect(self._progressed)
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._timer.start(self.delay_ms)
        worker_pool().start(_Runnable(self.job, self._relay, self._cancel))
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _show_dialog(self) -> None:
        dialog = QProgressDialog(self.label, self.tr("取消") if self.cancellable else "", 0, 0, self.parent_widget)
        dialog.setWindowTitle(self.tr("请稍候"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self.cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        self._dialog = dialog
        self._progressed(*self._last)
        dialog.show()

    def _progressed(self, done: int, total: int, label: str) -> None:
        self._last = (done, total, label)
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(min(done, total) if total else 0)
            if label:
                self._dialog.setLabelText(f"{self.label}\n{label}" if self.label else label)

    def _close(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        BackgroundOp.running.discard(self)

    def _finished(self, result: Any, changes: Changes) -> None:
        self._close()
        announce(changes, self.origin)  # every screen showing what changed refreshes, before the callback
        if self._on_success:
            self._on_success(result)

    def _failed(self, error: BaseException, changes: Changes) -> None:
        self._close()
        announce(changes, self.origin)  # a job of several transactions may have kept its first ones
        if isinstance(error, Cancelled):
            return
        from fpdesk.gui.failures import report_failure, show_refusal

        what = getattr(self.job, "__qualname__", type(self.job).__name__)
        if isinstance(error, DomainError):
            log.info("%s refused: %s", what, error.code)
        elif self._on_failure is None:
            report_failure(error, self.parent_widget, what=what)
            return
        else:
            log.error("%s failed", what, exc_info=(type(error), error, error.__traceback__))
        try:
            if self._on_failure is not None:
                self._on_failure(error)
            else:
                show_refusal(self.parent_widget, error)
        except Exception as second:  # a failure callback that fails (or re-raises)
            report_failure(second, self.parent_widget, what=f"{what} (failure callback)", logged=second is error)


def _logged_only(_error: BaseException) -> None:
    """The failure callback of ``failure_logged``: ``_failed`` has logged the failure already."""


def shutdown_workers() -> None:
    """Let the database worker finish before the interpreter goes away (a pool torn down during
    interpreter finalisation crashes PySide6)."""
    global _worker_pool
    if _worker_pool is not None:
        _worker_pool.waitForDone()
        _worker_pool = None
