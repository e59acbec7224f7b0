"""The window painted before the database layer is imported (gui/first_paint.py) shows what the
window built on an open workspace shows, and works the same once the workspace is opened."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt

from fpdesk.gui.first_paint import OpeningWorkspace, first_screen_of
from fpdesk.gui.main_window import MainWindow
from fpdesk.services.registry.search import find_person_ids


def shown(window: MainWindow) -> dict:
    model = window.households.model
    return {
        "rows": [[model.data(model.index(row, column)) for column in range(model.columnCount())]
                 for row in range(30)],
        "count": model.rowCount(),
        "more": model.canFetchMore(),
        "villages": [window.households.village_filter.itemText(i) for i in range(window.households.village_filter.count())],
        "status": [window.office_label.text(), window.year_label.text(), window.exchange_label.text(),
                   window.database_label.text(), window.database_label.toolTip()],
        "title": window.windowTitle(),
    }


def test_the_window_on_the_first_screen_read_is_the_window_on_the_workspace(qtbot, chinese_app, village_workspace,
                                                                             user_settings):
    location = village_workspace.db.display_name
    usual = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(usual)
    opening = OpeningWorkspace(location, first_screen_of(location))
    early = MainWindow(opening, user_settings, first_screen=opening._first)
    qtbot.addWidget(early)
    early.show()
    qtbot.waitExposed(early)
    early.households.table.viewport().repaint()
    assert not opening.is_open  # built and painted without it
    assert "sqlalchemy" in sys.modules  # (this process has it: the subprocess test below shows it is not needed)
    assert shown(early) == shown(usual)

    workspace = opening.opened()
    early.workspace_opened(workspace)
    assert early.workspace is workspace and early.households.workspace is workspace
    early.households.model.fetchMore()  # the next page comes from the opened workspace
    usual.households.model.fetchMore()
    assert early.households.model.ids == usual.households.model.ids
    name = usual.households.model.row_at(0).name
    for window in (early, usual):
        window.households.search_box.setText(name)
        window.households.run_search()
    assert early.households.model.ids == usual.households.model.ids and early.households.model.ids
    assert early.enrollment.workspace is workspace  # a screen built later gets the real one
    workspace.close()


def test_a_use_before_the_paint_opens_the_workspace_once(village_workspace):
    location = village_workspace.db.display_name
    opening = OpeningWorkspace(location, first_screen_of(location))
    assert opening.office.code == village_workspace.office.code and not opening.accounts_exist
    assert not opening.is_open
    assert opening.db.file_path == village_workspace.db.file_path  # any other attribute opens it
    assert opening.is_open and opening.opened() is opening.opened()
    opening.author = "录入员乙"  # and is the real workspace's
    assert opening.opened().author == "录入员乙"
    opening.close()


def test_the_first_screenful_is_painted_before_sqlalchemy_is_imported(tmp_path, village_workspace):
    script = textwrap.dedent(f"""
        import sys
        from fpdesk.gui import app
        painted = app._first_screenful_painted
        def spy(qt_app, window):
            result = painted(qt_app, window)
            print("sqlalchemy at the first paint:", "sqlalchemy" in sys.modules, flush=True)
            return result
        app._first_screenful_painted = spy
        sys.exit(app.run_gui(db={village_workspace.db.display_name!r}))
    """)
    env = {"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "c"),
           "PYTHONPATH": ":".join(sys.path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "sqlalchemy at the first paint: False" in lines, result.stdout
    painted = next(i for i, line in enumerate(lines) if "first screenful painted" in line)
    assert "database opened in" in lines[painted + 1], result.stdout  # then opened, through SQLAlchemy


def test_the_households_list_keeps_its_order_key_after_the_first_page(qtbot, chinese_app, village_workspace,
                                                                      user_settings):
    """The first page's key (the last name, its id) reads the same next page as the services' own."""
    location = village_workspace.db.display_name
    first = first_screen_of(location)
    assert first.page[1] is not None
    opening = OpeningWorkspace(location, first)
    window = MainWindow(opening, user_settings, first_screen=first)
    qtbot.addWidget(window)
    model = window.households.model
    model.fetch_all()
    assert opening.is_open
    assert model.ids == find_person_ids(village_workspace, "")
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    opening.close()


def test_the_workspace_is_opened_after_the_first_paint_then_the_session_starts(qtbot, chinese_app, village_workspace,
                                                                               user_settings):
    from fpdesk.gui.app import _open_after_first_paint

    location = village_workspace.db.display_name
    opening = OpeningWorkspace(location, first_screen_of(location))
    window = MainWindow(opening, user_settings, first_screen=opening._first)
    qtbot.addWidget(window)
    started = []
    _open_after_first_paint(window, then=lambda: started.append(window.workspace), fallback_ms=60_000)
    assert not opening.is_open
    window.show()
    qtbot.waitUntil(lambda: bool(started), timeout=5000)  # the paint, not the fallback
    window.households.table.viewport().repaint()  # a later paint opens nothing again
    qtbot.wait(50)
    assert started == [opening.opened()] and window.workspace is opening.opened()

    hidden = MainWindow(OpeningWorkspace(location, first_screen_of(location)), user_settings)
    qtbot.addWidget(hidden)
    _open_after_first_paint(hidden, then=lambda: started.append(hidden.workspace), fallback_ms=10)
    qtbot.waitUntil(lambda: len(started) == 2, timeout=5000)  # never shown: opened all the same
    window.workspace.close()
    hidden.workspace.close()


def test_a_database_that_fails_to_open_after_the_paint_is_said_as_before(qtbot, chinese_app, village_workspace,
                                                                          user_settings, monkeypatch):
    """What the first read cannot see (a stick made read-only, where WAL cannot start) is said in the
    message a failed open always gave, and the program ends without a session."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from fpdesk.core.errors import DomainError
    from fpdesk.gui.app import _open_after_first_paint

    location = village_workspace.db.display_name
    opening = OpeningWorkspace(location, first_screen_of(location))
    window = MainWindow(opening, user_settings, first_screen=opening._first)
    qtbot.addWidget(window)
    said, started, ended = [], [], []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: said.append((title, text)))
    monkeypatch.setattr(QApplication, "exit", lambda *args: ended.append(args[-1]))  # the loop is pytest-qt's
    monkeypatch.setattr(OpeningWorkspace, "opened", lambda self: (_ for _ in ()).throw(
        DomainError("db_read_only", {"path": location})))
    gap = _open_after_first_paint(window, then=lambda: started.append(True), fallback_ms=10)
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert said[0][0] == "无法打开数据库" and said[0][1].endswith("[db_read_only]")
    assert ended == [1] and not started and not opening.is_open
    assert gap.failed == 1  # for _run_window, when this came before its event loop started


def window_in_the_gap(qtbot, location, user_settings, *, fallback_ms=60_000):
    """A window built on an OpeningWorkspace, its open waiting for a first paint that does not come
    (never shown): what someone does to it meanwhile is what opens it."""
    from fpdesk.gui.app import _open_after_first_paint

    opening = OpeningWorkspace(location, first_screen_of(location))
    window = MainWindow(opening, user_settings, first_screen=opening._first)
    qtbot.addWidget(window)
    sessions = []
    gap = _open_after_first_paint(window, then=lambda: sessions.append(window.workspace), fallback_ms=fallback_ms)
    assert not opening.is_open
    return window, opening, gap, sessions


def test_a_key_before_the_paint_opens_the_workspace_before_the_screen_it_chooses_is_built(
        qtbot, chinese_app, village_workspace, user_settings):
    window, opening, gap, sessions = window_in_the_gap(qtbot, village_workspace.db.display_name, user_settings)
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)  # to 参保登记
    assert window.navigation.currentRow() == 1
    assert opening.is_open and window.workspace is opening.opened()
    assert window.enrollment.workspace is window.workspace  # built on the real one, not the stand-in
    qtbot.waitUntil(lambda: sessions == [window.workspace], timeout=5000)  # the session, once, after it
    qtbot.keyClick(window.navigation, Qt.Key.Key_Up)
    qtbot.wait(20)
    assert sessions == [window.workspace] and not gap.pending
    window.workspace.close()


def test_chinese_typed_before_the_paint_searches_the_opened_workspace(qtbot, chinese_app, village_workspace,
                                                                      user_settings):
    """Chinese comes through the input method, with no key press: it opens the workspace all the same."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    window, opening, _gap, sessions = window_in_the_gap(qtbot, village_workspace.db.display_name, user_settings)
    name = window.households.model.row_at(0).name
    typed = QInputMethodEvent("", [])
    typed.setCommitString(name)
    QApplication.sendEvent(window.households.search_box, typed)
    assert window.households.search_box.text() == name
    assert opening.is_open and window.households.workspace is opening.opened()
    qtbot.waitUntil(lambda: window.households.model.ids == find_person_ids(village_workspace, name), timeout=5000)
    qtbot.waitUntil(lambda: bool(sessions), timeout=5000)
    window.workspace.close()


def test_a_window_closed_before_the_paint_opens_nothing(qtbot, chinese_app, village_workspace, user_settings):
    window, opening, gap, sessions = window_in_the_gap(qtbot, village_workspace.db.display_name, user_settings,
                                                       fallback_ms=30)
    window.close()
    qtbot.wait(500)  # past the fallback, and past the count of the list (COUNT_AFTER_MS)
    assert not opening.is_open and not sessions and not gap.pending and gap.failed is None


def test_a_default_folder_that_cannot_be_made_is_said_as_before(tmp_path):
    """Where the database would be by default cannot be made (its place is a file): the program says
    so in its start's error path, as it did before the first screen was read ahead of it."""
    (tmp_path / "file").write_text("")
    env = {"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "file" / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_STATE_HOME": str(tmp_path / "s"),
           "PYTHONPATH": ":".join(sys.path)}
    result = subprocess.run([sys.executable, "-c", "import sys; from fpdesk.gui import app; sys.exit(app.run_gui())"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    # (said and logged by _failed_outside_the_event_loop, which also shows the error dialog; not a bare
    # traceback, which the windowed program would lose with no console)
    assert "fpdesk: NotADirectoryError" in result.stderr, result.stderr


def test_an_unexpected_failure_to_open_after_the_paint_ends_the_program(qtbot, chinese_app, village_workspace,
                                                                        user_settings, monkeypatch):
    """Not a refusal but a failure nobody planned for: logged and said as the usual start's failure
    to open is, and the program ends, instead of a window left painted on no database."""
    from PySide6.QtWidgets import QApplication

    from fpdesk.gui.app import SMOKE_ENV, _open_after_first_paint

    monkeypatch.setenv(SMOKE_ENV, "1")  # the failure is said on stderr, not in a dialog this test would wait on
    location = village_workspace.db.display_name
    opening = OpeningWorkspace(location, first_screen_of(location))
    window = MainWindow(opening, user_settings, first_screen=opening._first)
    qtbot.addWidget(window)
    started, ended = [], []
    monkeypatch.setattr(QApplication, "exit", lambda *args: ended.append(args[-1]))  # the loop is pytest-qt's
    monkeypatch.setattr(OpeningWorkspace, "opened", lambda self: (_ for _ in ()).throw(RuntimeError("disk gone")))
    window.show()
    gap = _open_after_first_paint(window, then=lambda: started.append(True), fallback_ms=10)
    qtbot.waitUntil(lambda: gap.failed is not None, timeout=5000)
    assert gap.failed == 1 and ended == [1] and not started and not window.isVisible()
