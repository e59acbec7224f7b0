from fpdesk.gui.models.people_table import COLUMNS, PeopleTableModel
from fpdesk.services.search import find_person_ids, load_person_rows


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
