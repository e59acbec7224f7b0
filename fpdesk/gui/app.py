"""Starting the desktop program: Qt application, shipped font, Qt's Chinese stock texts, main window.

Nothing here runs at import. FPDESK_SMOKE_TEST=1 shows the window, prints how long it took and
quits at once: the bundle test and the start-up benchmark use it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import os
import sys
import time

SMOKE_ENV = "FPDESK_SMOKE_TEST"
# What the window reads its first screen with and that does not import Qt (see run_gui).
FIRST_SCREEN_MODULES = (
    "fpdesk.services.opening",
    "fpdesk.services.registry.search",
    "fpdesk.storage.search",
    "fpdesk.services.sync.status",
    "fpdesk.services.printouts.scratch",
    "fpdesk.core.idnumber",
    "fpdesk.core.phone",
    "fpdesk.core.dates",
    "fpdesk.core.paths",
    "fpdesk.core.progress",
)


def main() -> int:
    """Entry of the windowed executable (``fpdesk-gui``): takes the same --db/--demo as ``fpdesk``."""
    options = parse_gui_args(sys.argv[1:])
    if options is None:
        return 2
    return run_gui(db=options.db, demo=options.demo, language=options.lang)


def parse_gui_args(args: list[str]):
    """The options the GUI takes: ``--db PATH|URL`` and ``--demo``; None after a usage error."""
    import argparse

    parser = argparse.ArgumentParser(prog="fpdesk", description="计生家庭保险登记 fpdesk")
    parser.add_argument("--demo", action="store_true", help="在新生成的演示数据库上打开")
    parser.add_argument("--db", help="数据库文件或 URL")
    parser.add_argument("--lang", choices=("zh", "en"), help="这一次用的界面语言（不改设置）")
    try:
        return parser.parse_args(args)
    except SystemExit:
        return None


def refuse_unsupported_windows() -> bool:
    """True (after saying why) on a Windows the window cannot run on; checked before Qt is loaded,
    whose libraries fail there with an unhelpful "DLL load failed"."""
    from fpdesk.core.windows_support import unsupported_windows

    reason = unsupported_windows()
    if reason is None:
        return False
    if sys.stderr is not None:
        print(f"{reason[0]}\n{reason[1]}", file=sys.stderr, flush=True)
    if os.environ.get(SMOKE_ENV) != "1":  # nobody is there to close a message box in a smoke test
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, f"{reason[0]}\n\n{reason[1]}", "fpdesk", 0x10)  # MB_ICONERROR
    return True


def run_gui(*, db: str | None = None, demo: bool = False, language: str | None = None) -> int:
    """``language`` ("zh"/"en", from ``--lang``) is for this run only; otherwise the settings say."""
    started = time.perf_counter()
    # No cyclic garbage collection while the program starts: importing the database layer and Qt
    # allocates hundreds of thousands of objects that all live on, and collecting after every few
    # hundred of them cost a tenth of the start-up. Resumed once the window is shown (_resume_gc).
    gc.disable()
    from fpdesk.services.logbook import configure_logging, log_start

    configure_logging()  # first: whatever goes wrong from here on has somewhere to be written
    log_start("gui")
    if refuse_unsupported_windows():
        return 1
    # Before Qt, as PySide6's import hook is not yet there to be seen (gui/first_paint.py).
    from fpdesk.gui.first_paint import first_screen_of

    try:
        first = None if demo else first_screen_of(db or _default_location())
    except Exception:  # the default folder cannot be made: the usual open meets it again, and says it
        first = None
    if first is None:
        # The database layer (SQLAlchemy and the mapped tables, most of the start-up) is imported
        # before Qt: importing PySide6 puts its own hook in front of every later import, which made
        # these imports about a third slower (and reads the source file of every module imported
        # after it, looking for "PySide6"). So are the other modules without Qt that the first
        # screen reads with.
        import importlib

        for name in FIRST_SCREEN_MODULES:
            importlib.import_module(name)
    try:
        return _run_window(db=db, demo=demo, started=started, language=language, first=first)
    except Exception as error:
        return _failed_outside_the_event_loop(error)
    finally:
        gc.enable()  # whichever way the window did not open


def _failed_outside_the_event_loop(error: Exception) -> int:
    """A failure while the window starts or closes, where no event loop would show a dialog opened
    and not exec'd: logged, and said in the error dialog before the program ends."""
    from fpdesk.services.logbook import current_log_file

    logging.getLogger(__name__).error("the program failed outside its event loop", exc_info=error)
    if sys.stderr is not None:
        print(f"fpdesk: {type(error).__name__}: {error} (log: {current_log_file()})", file=sys.stderr, flush=True)
    if os.environ.get(SMOKE_ENV) != "1":
        import traceback

        from PySide6.QtWidgets import QApplication

        from fpdesk.gui.failures import ErrorDialog

        if QApplication.instance() is not None:
            with contextlib.suppress(Exception):  # the log has it; a dialog that fails in turn ends here
                ErrorDialog("".join(traceback.format_exception(error)), current_log_file()).exec()
    return 1


def _default_location() -> str:
    from fpdesk.services.locations import default_database_location

    return default_database_location()


def _run_window(*, db: str | None, demo: bool, started: float, language: str | None = None, first=None) -> int:
    """``first``: the first screen read with sqlite3 (gui/first_paint.py), or None to open the
    database through SQLAlchemy before the window is built."""
    from PySide6.QtWidgets import QApplication

    from fpdesk.core.errors import DomainError
    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.main_window import MainWindow
    from fpdesk.gui.settings import UserSettings
    from fpdesk.gui.setup import install_font
    from fpdesk.services.printouts import scratch

    scratch.sweep_stale()  # printouts of a program that did not exit (a crash, a power cut)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("fpdesk")
    app.setOrganizationName("fpdesk")
    from fpdesk.gui.failures import install_failure_hooks

    install_failure_hooks()  # an exception in a slot is logged and said, not lost without a console
    settings = UserSettings()
    install_font(app, settings.point_size)
    install_language(app, {"zh": "zh_CN", "en": "en"}.get(language or "", settings.language))
    try:
        if first is not None:  # opened after the first paint (_open_after_first_paint)
            from fpdesk.gui.first_paint import OpeningWorkspace

            workspace = OpeningWorkspace(db or _default_location(), first)
        else:
            workspace = open_gui_workspace(db=db, demo=demo)
        if workspace is None:  # they chose to quit at the log-in of an encrypted database
            return 0
    except DomainError as error:
        return _cannot_open(app, error)
    if workspace.accounts_exist or workspace.office is None:
        _resume_gc()  # a dialog comes first, for as long as someone takes to fill it in
    if workspace.office is None and os.environ.get(SMOKE_ENV) != "1":
        from fpdesk.gui.dialogs.setup_wizard import DEMO, run_setup

        choice = run_setup(workspace)
        if choice is None:
            workspace.close()
            return 0
        if choice == DEMO:
            workspace.close()
            workspace = open_gui_workspace(db=None, demo=True)
            demo = True
    from fpdesk.gui import trust

    if os.environ.get(SMOKE_ENV) != "1" and not trust.log_in_at_start(workspace):
        workspace.close()
        return 0
    window = MainWindow(workspace, settings, today=demo_today() if demo else None, first_screen=first)

    def session() -> None:
        trust.start_session(window, window.workspace)  # daily backup, idle screen lock
        window.show_first_steps_if_new()

    gap = None
    if first is not None and os.environ.get(SMOKE_ENV) != "1":
        gap = _open_after_first_paint(window, then=session)  # before show(): the first paint may come at once
    window.show()
    app.processEvents()
    if os.environ.get(SMOKE_ENV) == "1":
        if first is None:
            _resume_gc()  # else once the workspace is open, as in a real start
        print(f"fpdesk: main window up in {time.perf_counter() - started:.3f} s", flush=True)
        if _first_screenful_painted(app, window):
            print(f"fpdesk: first screenful painted in {time.perf_counter() - started:.3f} s", flush=True)
        if first is not None:  # the database layer too, as the bundle's smoke test must see it load
            try:
                workspace = _workspace_opened(window, workspace)
            except DomainError as error:
                window.close()
                return _cannot_open(app, error)
            print(f"fpdesk: database opened in {time.perf_counter() - started:.3f} s", flush=True)
        window.close()
        workspace.close()
        scratch.clean_up()
        return 0
    if first is None:
        _resume_gc()
        session()
    # The open may have failed already, in processEvents above, where app.exit could not end a loop
    # that had not started.
    code = app.exec() if gap is None or gap.failed is None else gap.failed
    if gap is not None and gap.failed is not None:
        code = gap.failed  # not the 0 of the window's close
    from fpdesk.gui.ops import shutdown_workers

    shutdown_workers()
    if getattr(window.workspace, "is_open", True):  # not an OpeningWorkspace that could not open
        trust.on_exit(window.workspace)  # the backup on exit
        window.workspace.close()
    scratch.clean_up()  # printouts still previewed, the demo database
    return code


def _cannot_open(app, error) -> int:
    logging.getLogger(__name__).info("the database could not be opened: %s", error.code)
    if os.environ.get(SMOKE_ENV) == "1":  # nobody is there to close a dialog
        print(f"fpdesk: [{error.code}] {error.message_zh}", file=sys.stderr, flush=True)
        return 1
    from PySide6.QtWidgets import QMessageBox  # not before it is needed: its type takes 5 ms to load

    QMessageBox.critical(None, app.translate("App", "无法打开数据库"), f"{error.message_zh}\n\n[{error.code}]")
    return 1


def _workspace_opened(window, opening):
    """The real workspace of ``opening`` (an OpeningWorkspace), handed to the window. The start's
    objects are frozen after it (_resume_gc), SQLAlchemy's and the mapped tables' with them."""
    workspace = opening.opened()
    window.workspace_opened(workspace)
    _resume_gc()
    return workspace


def _open_after_first_paint(window, *, then, fallback_ms: int = 1000):
    """The workspace opened once the households list has been painted (or after ``fallback_ms``, for
    a window that does not paint: minimised, on another screen), then ``then``.

    Until then the window is a picture of the list: whatever someone does to it first (a click, a
    key, typing through the input method, the wheel) opens the workspace before it is delivered, so
    that every screen, search and editor is built on the real workspace, and a failure to open is
    said as a failed open always was (not as a program error out of whichever slot met it first).
    Closing the window first opens nothing. Returns the watcher: its ``failed`` is the program's
    exit code once the open failed."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from fpdesk.core.errors import DomainError

    app = QApplication.instance()
    viewport = window.households.table.viewport()
    uses = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.KeyPress,
            QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut, QEvent.Type.InputMethod, QEvent.Type.Wheel,
            QEvent.Type.TouchBegin, QEvent.Type.TabletPress}

    class Gap(QObject):
        def __init__(self) -> None:
            super().__init__(window)
            self.pending = True
            self.failed: int | None = None
            app.installEventFilter(self)  # the application's: an input reaches it before any widget
            QTimer.singleShot(fallback_ms, self, self.open_now)

        def end(self) -> None:
            self.pending = False
            app.removeEventFilter(self)  # a filter on every event of the program: only while needed

        def open_now(self, *, session_later: bool = False) -> bool:
            """False when the workspace could not be opened (said, and the program ends)."""
            if not self.pending:
                return self.failed is None
            self.end()
            try:
                _workspace_opened(window, window.workspace)
            except DomainError as error:  # what the first read could not see (a read-only stick)
                self.failed = _cannot_open(app, error)
            except Exception as error:  # as the usual start's: logged, said, and the program ends
                self.failed = _failed_outside_the_event_loop(error)  # (not a window left on no database)
            if self.failed is not None:
                window.close()
                app.exit(self.failed)  # (nothing when the loop has not started: _run_window checks)
                return False
            if session_later:  # not inside the input's delivery: the session may open a dialog
                QTimer.singleShot(0, window, then)
            else:
                then()
            return True

        def eventFilter(self, watched, event) -> bool:
            kind = event.type()
            if kind == QEvent.Type.Paint and watched is viewport:
                QTimer.singleShot(0, self, self.open_now)  # after the paint has reached the screen
            elif kind in uses:
                return not self.open_now(session_later=True)  # a failed open swallows the input
            elif kind == QEvent.Type.Close and watched is window:
                self.end()  # closed before it was opened: nothing is opened only to be closed
            return False

    return Gap()


def _resume_gc() -> None:
    """Garbage collection on again, the objects of the start-up set aside for good (gc.freeze): they
    live as long as the program, and every later collection would walk them again for nothing."""
    gc.freeze()
    gc.enable()


def _first_screenful_painted(app, window, wait_s: float = 60.0) -> bool:
    """Smoke test: wait until the households list (when it is the screen shown) holds its first
    rows and paint them, so the start-up benchmark measures a window someone can use; False when
    the households screen is not the one shown or its list stayed empty."""
    from fpdesk.gui.ops import BackgroundOp

    households = window.households
    if window.pages.currentWidget() is not households:
        return False
    deadline = time.perf_counter() + wait_s
    while households.model.rowCount() == 0 and BackgroundOp.running and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)
    if households.model.rowCount() == 0:
        return False
    households.table.viewport().repaint()  # paints now, reading the rows the screenful shows
    return True


def demo_today() -> dt.date:
    """The demo plays on a day of its sign-up season (see services/demo/season.py)."""
    from fpdesk.services.demo.season import demo_day

    return demo_day(dt.date.today())


def open_gui_workspace(*, db: str | None, demo: bool):
    from fpdesk.services.opening import open_workspace

    if demo:
        from fpdesk.services.demo.season import load_living_demo
        from fpdesk.services.printouts.scratch import scratch_file

        workspace = open_workspace(str(scratch_file("demo.sqlite3")))  # gone when the program exits
        load_living_demo(workspace, today=dt.date.today())  # a village office with its season in progress
        return workspace
    if db is None:
        from fpdesk.services.locations import default_database_location

        db = default_database_location()
    from fpdesk.services.opening import is_encrypted_location

    if not is_encrypted_location(db):  # the log-in dialog and its password hashing are not loaded
        return open_workspace(db, encrypted=False)
    from fpdesk.gui.dialogs.login_dialog import open_unlocked

    return open_unlocked(db)  # an encrypted database asks for a user and password first
