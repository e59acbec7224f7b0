from fpdesk.gui.models.people_table import COLUMNS, PeopleTableModel
from fpdesk.services.registry.search import find_person_ids, load_person_rows


def test_people_model_passes_qtmodeltester(qtmodeltester, village_workspace):
    model = PeopleTableModel(lambda ids: load_person_rows(village_workspace, ids))
    model.set_ids(find_person_ids(village_workspace, "林"))
    assert model.rowCount() > 0 and model.columnCount() == len(COLUMNS)
    qtmodeltester.check(model, force_py=True)


def test_rows_are_fetched_lazily_and_vanished_rows_are_disabled(village_workspace):
    fetched: list[int] = []

    def fetch(ids):
        fetched.append(len(ids))
        return load_person_rows(village_workspace, ids)

    model = PeopleTableModel(fetch)
    ids = find_person_ids(village_workspace)
    assert len(ids) > 500
    model.set_ids([*ids, ids[0].__class__(int=1)])  # one id that no row has
    assert fetched == []  # nothing read until the view asks
    assert model.data(model.index(0, 0)) and max(fetched) <= 100
    last = model.rowCount() - 1
    assert model.data(model.index(last, 0)) == "（已删除）"
    assert not model.flags(model.index(last, 0))
    assert len(model.cache) < len(ids)


def test_households_screen_filters_by_this_years_enrollment_and_sorts(qtbot, chinese_app, village_workspace):
    import datetime as dt

    from sqlalchemy import select

    from fpdesk.gui.screens.households import HouseholdsScreen
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.storage.schema import Household

    with village_workspace.read() as session:
        some = session.scalars(select(Household.id).limit(10)).all()
    done = enroll_households_bulk(village_workspace, product="fp_family_accident_100", year=2025,
                                  household_ids=some, on=dt.date(2025, 1, 15), today=dt.date(2025, 1, 15),
                                  form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    assert done.written > 0
    screen = HouseholdsScreen(village_workspace)
    qtbot.addWidget(screen)
    screen.year = 2025  # the policy year the status bar shows
    screen.enrollment_filter.setCurrentIndex(screen.enrollment_filter.findData(True))
    qtbot.waitUntil(lambda: 0 < screen.model.rowCount() < 60)
    enrolled = screen.model.rowCount()
    screen.enrollment_filter.setCurrentIndex(screen.enrollment_filter.findData(False))
    everyone = len(find_person_ids(village_workspace))
    qtbot.waitUntil(lambda: screen.count_label.text() == f"共 {everyone - enrolled:,} 人")
    screen.model.fetch_all()  # the list comes a page at a time as it is scrolled
    assert screen.model.rowCount() + enrolled == everyone
    screen.enrollment_filter.setCurrentIndex(0)
    screen.model.sort(2)  # by birth date, oldest first
    qtbot.waitUntil(lambda: screen.order == ("birth_date", False) and screen.count_label.text() == f"共 {everyone:,} 人")
    screen.model.fetch_all()
    assert screen.model.rowCount() == everyone and len(set(screen.model.ids)) == everyone
    births = [screen.model.row_at(i).birth_date for i in range(everyone)]
    assert births == sorted(births)


def test_households_count_says_whether_the_list_is_whole_cut_short_or_empty(qtbot, chinese_app, village_workspace,
                                                                            monkeypatch):
    from fpdesk.gui.screens import households

    monkeypatch.setattr(households, "SEARCH_LIMIT", 50)
    screen = households.HouseholdsScreen(village_workspace)
    qtbot.addWidget(screen)
    everyone = len(find_person_ids(village_workspace))
    screen.run_search()  # no text: the whole list, however long, and no "only the first" note
    qtbot.waitUntil(lambda: screen.count_label.text() == f"共 {everyone:,} 人")
    screen.search_box.setText("z")  # typed text: at most SEARCH_LIMIT, said so
    screen.run_search()
    assert screen.model.rowCount() == 50 and screen.count_label.text().startswith("只显示前 50 人")
    screen.search_box.setText("没有这个人")
    screen.run_search()
    assert screen.model.rowCount() == 0 and "没有找到" in screen.count_label.text()
