"""The households list opens on its first page and reads the rest as it is scrolled or searched, so a
county opens as fast as a village; its count comes from the database, not from the rows read."""

from __future__ import annotations

import pytest
from gui_helpers import settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from fpdesk.storage.schema import Division, Household, Person

PERSONS = 3000


@pytest.fixture(scope="module")
def town_workspace(tmp_path_factory):
    """A demo county of a few thousand persons: many screenfuls, several villages."""
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.opening import open_workspace

    workspace = open_workspace(str(tmp_path_factory.mktemp("lazy") / "town.sqlite3"), author="录入员")
    load_demo(workspace, scale="county", persons=PERSONS, seed=7)
    yield workspace
    workspace.close()


def living(workspace, division_code: str | None = None) -> set:
    statement = select(Person.id).where(Person.status == "alive")
    if division_code:
        statement = (statement.join(Household, Person.household_id == Household.id)
                     .join(Division, Household.division_id == Division.id).where(Division.code == division_code))
    with workspace.read() as session:
        return set(session.scalars(statement))


def open_window(qtbot, workspace, user_settings):
    from fpdesk.gui.main_window import MainWindow

    window = MainWindow(workspace, user_settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.go_to_screen(0)
    qtbot.waitExposed(window)
    return window


def scroll_to_the_end(qtbot, screen) -> None:
    """Drag the scroll bar to the bottom until the table stops growing (the view asks for more)."""
    for _ in range(100):
        rows = screen.model.rowCount()
        screen.table.verticalScrollBar().setValue(screen.table.verticalScrollBar().maximum())
        QApplication.processEvents()
        if not screen.model.canFetchMore() and screen.model.rowCount() == rows:
            return
    raise AssertionError("the table kept growing")


def test_the_list_opens_on_its_first_page_and_reads_the_rest_as_it_is_scrolled(
        qtbot, chinese_app, town_workspace, user_settings, screenshot):
    everyone = living(town_workspace)
    assert len(everyone) > 2000
    window = open_window(qtbot, town_workspace, user_settings)
    screen = window.households
    qtbot.waitUntil(lambda: screen.count_label.text() == f"共 {len(everyone):,} 人")  # counted, not read
    assert 0 < screen.model.rowCount() <= len(everyone) // 10 and screen.model.canFetchMore()
    first_page = list(screen.model.ids)
    screenshot(window, "households_lazy_start")
    scroll_to_the_end(qtbot, screen)
    assert screen.model.rowCount() == len(everyone) == len(set(screen.model.ids))
    assert set(screen.model.ids) == everyone and screen.model.ids[:len(first_page)] == first_page
    last = screen.model.row_at(screen.model.rowCount() - 1)
    assert last is not None and screen.model.data(screen.model.index(screen.model.rowCount() - 1, 0)) == last.name
    screenshot(window, "households_lazy_scrolled")
    assert screen.count_label.text() == f"共 {len(everyone):,} 人"


def test_search_and_the_village_filter_find_people_past_the_first_page(qtbot, chinese_app, town_workspace,
                                                                       user_settings):
    window = open_window(qtbot, town_workspace, user_settings)
    screen = window.households
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)
    settle(qtbot)
    first_page = set(screen.model.ids)
    with town_workspace.read() as session:
        far, village = session.execute(
            select(Person, Division.code).join(Household, Person.household_id == Household.id)
            .join(Division, Household.division_id == Division.id)
            .where(Person.status == "alive", Person.id.not_in(first_page), Person.id_number.is_not(None))
            .order_by(Person.name.desc())).first()
    screen.search_box.setText(far.id_number)
    screen.run_search()
    assert far.id in screen.model.ids and screen.model.is_whole()
    screen.search_box.setText("")
    screen.village_filter.setCurrentIndex(screen.village_filter.findData(village))
    in_village = living(town_workspace, village)
    qtbot.waitUntil(lambda: screen.count_label.text() == f"共 {len(in_village):,} 人")
    settle(qtbot)
    screen.model.fetch_all()
    assert set(screen.model.ids) == in_village and far.id in in_village and len(in_village) < PERSONS


def test_the_keyboard_reaches_rows_past_the_first_page(qtbot, chinese_app, town_workspace, user_settings):
    window = open_window(qtbot, town_workspace, user_settings)
    screen = window.households
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)
    settle(qtbot)
    first = screen.model.rowCount()
    screen.table.setFocus()
    screen.table.selectRow(0)
    qtbot.keyClick(screen.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.model.rowCount() > first)
    qtbot.keyClick(screen.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert screen.table.currentIndex().row() >= first  # the cursor went on into the rows read for it
