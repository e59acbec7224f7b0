"""Changes announced, not wired: every write runs as a BackgroundOp, and each screen showing what it
changed refreshes itself (at once when on view, else when next shown), real widgets offscreen."""

from __future__ import annotations

import datetime as dt

from gui_helpers import settle
from roster_builders import write_roster
from sqlalchemy import select

from fpdesk.core.changes import HOUSEHOLDS, PERSONS
from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.gui.changes import changes_hub
from fpdesk.gui.dialogs.roster_import_wizard import DONE_PAGE, REPORT_PAGE
from fpdesk.gui.main_window import MainWindow
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.screens.enrollment import EnrollmentScreen
from fpdesk.gui.screens.households import HouseholdsScreen
from fpdesk.services.registry import households as hh
from fpdesk.storage.schema import Household, Person

D = dt.date
TODAY = D(2026, 11, 22)
HEAD = make_number("350421", D(1979, 9, 9), 991)
WIFE = make_number("350421", D(1981, 10, 10), 992)
HOUSEHOLDS_PAGE, ENROLLMENT_PAGE, PROGRESS_PAGE, EXCHANGE_PAGE = 0, 1, 4, 5


def main_window(qtbot, workspace, user_settings, page=HOUSEHOLDS_PAGE):
    window = MainWindow(workspace, user_settings, today=TODAY)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.go_to_screen(page)
    settle(qtbot)
    return window


def announcements():
    heard = []
    changes_hub().changes_done.connect(lambda changes, origin: heard.append((changes, origin)))
    return heard


def shown_count(screen: HouseholdsScreen) -> int:
    screen.model.fetch_all()  # the list comes a page at a time as it is scrolled
    return len(screen.model.ids)


def test_a_roster_imported_in_its_wizard_refreshes_progress_on_view_and_households_when_shown(
        qtbot, chinese_app, village_workspace, user_settings, tmp_path, screenshot):
    window = main_window(qtbot, village_workspace, user_settings)
    people_before = shown_count(window.households)
    window.go_to_screen(PROGRESS_PAGE)
    window.progress.year.setValue(2024)
    settle(qtbot)
    before = window.progress.report.total.as_dict()
    screenshot(window, "changes-progress-before")

    header = ["序号", "村", "户主姓名", "姓名", "身份证号", "关系", "类别", "保险", "出资", "健康告知", "身故受益人"]
    rows = [[1, "罗翠", "郑重", "郑重", HEAD, "户主", "困难家庭", "fp_family_accident_100", "政府", "是", "法定"],
            [2, "罗翠", "郑重", "孙芳", WIFE, "妻子", "困难家庭", "fp_family_accident_100", "政府", "是", "法定"]]
    wizard = window.import_roster()
    qtbot.addWidget(wizard)
    wizard.today = TODAY
    wizard.path_edit.setText(str(write_roster(tmp_path / "村花名册.xlsx", rows, header=header)))
    wizard.year_spin.setValue(2024)
    wizard.advance()
    wizard.advance()
    labels = [wizard.mapping_table.item(r, 0).text() for r in range(wizard.mapping_table.rowCount())]
    wizard.set_mapping(labels.index("保险"), "product")
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == REPORT_PAGE, timeout=20000)
    heard = announcements()
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == DONE_PAGE, timeout=20000)
    settle(qtbot)  # the progress screen's recount runs in the background too
    assert wizard.result.new == 2
    assert [origin for _changes, origin in heard] == [wizard]
    assert heard[0][0].touches({HOUSEHOLDS, PERSONS})
    # on view: counted again at once, by nobody's wiring
    assert window.progress.report.total.as_dict() != before
    screenshot(window, "changes-progress-after")
    # hidden: the households list is read again when it is next shown
    assert shown_count(window.households) == people_before
    window.go_to_screen(HOUSEHOLDS_PAGE)
    settle(qtbot)
    assert shown_count(window.households) == people_before + 2


def test_a_sync_package_imported_on_the_exchange_page_refreshes_the_households_list(
        qtbot, chinese_app, tmp_path, user_settings):
    from fpdesk.services.workspace import add_division
    from tests.services.sync_helpers import Offices, register_family

    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    add_division(township, code="350421200201", name="罗翠村", code_year=2024)
    register_family(county, "350421", "县里人", 1)  # the county's list is not empty before the package
    window = main_window(qtbot, county, user_settings)
    people_before = shown_count(window.households)
    assert people_before == 1
    register_family(township, "350421200201", "林国华", 2)
    register_family(township, "350421200201", "陈秀英", 3)
    package = offices.export(township, county)

    window.go_to_screen(EXCHANGE_PAGE)
    importer = window.exchange.open_import()
    importer.path.setText(str(package))
    importer.check()
    settle(qtbot)
    importer.apply()
    settle(qtbot)
    assert importer.applied is not None and importer.applied.new
    importer.close()
    window.go_to_screen(HOUSEHOLDS_PAGE)
    settle(qtbot)
    assert shown_count(window.households) == 3
    offices.close()


def test_an_enrollment_in_one_screen_refreshes_the_households_list_of_another(
        qtbot, chinese_app, village_workspace, user_settings):
    window = main_window(qtbot, village_workspace, user_settings)
    households = window.households
    households.year = TODAY.year
    households.enrollment_filter.setCurrentIndex(households.enrollment_filter.findData(False))  # 今年未参保
    settle(qtbot)
    not_enrolled = shown_count(households)
    with village_workspace.read() as session:
        household_id = session.get(Person, households.model.ids[0]).household_id
        members = len(session.scalars(select(Person.id).where(Person.household_id == household_id)).all())

    screen = EnrollmentScreen(village_workspace, today=TODAY, settings=user_settings)  # a window of its own
    qtbot.addWidget(screen)
    screen.show()
    screen.choose_household(household_id)
    screen.form.editors["health_declaration"].setChecked(True)
    screen.consent_by.setText("户主")
    heard = announcements()
    assert screen.enroll_now()
    settle(qtbot)
    assert heard and heard[0][1] is screen
    assert shown_count(households) <= not_enrolled - len(screen.last_result.insured)
    assert shown_count(households) >= not_enrolled - members


def test_the_screen_that_made_a_change_is_not_refreshed_by_it_the_others_are(qtbot, chinese_app,
                                                                             village_workspace):
    first, second = HouseholdsScreen(village_workspace), HouseholdsScreen(village_workspace)
    for screen in (first, second):
        qtbot.addWidget(screen)
        screen.show()
    searches = {first: 0, second: 0}
    for screen in (first, second):
        screen.model.modelReset.connect(lambda s=screen: searches.__setitem__(s, searches[s] + 1))
    with village_workspace.read() as session:
        household_id = session.scalar(select(Household.id))

    def job(_progress):
        return hh.update_household(village_workspace, household_id, address="罗翠村1组100号")

    BackgroundOp(first, job).run()
    settle(qtbot)
    assert searches == {first: 0, second: 1}


def test_a_failed_operation_changes_nothing_and_announces_nothing(qtbot, chinese_app, village_workspace,
                                                                  monkeypatch):
    from fpdesk.gui import failures

    screen = HouseholdsScreen(village_workspace)
    qtbot.addWidget(screen)
    screen.show()
    screen.run_search()
    settle(qtbot)
    shown = list(screen.model.ids)
    with village_workspace.read() as session:
        household_id = session.scalar(select(Household.id))
        address = session.get(Household, household_id).address
    refused = []
    monkeypatch.setattr(failures, "show_refusal", lambda parent, error, title="": refused.append(error.code))
    heard = announcements()

    def job(_progress):
        with village_workspace.write() as ctx:
            hh.update_household_in(ctx, household_id, address="罗翠村1组100号")
            ctx.session.flush()
            ctx.recorder.flush()  # written and logged, then refused: all of it rolls back
            raise DomainError("db_busy")

    BackgroundOp(None, job).run()
    settle(qtbot)
    assert refused == ["db_busy"]  # the default failure handler showed it
    assert heard == []
    assert list(screen.model.ids) == shown
    with village_workspace.read() as session:
        assert session.get(Household, household_id).address == address
