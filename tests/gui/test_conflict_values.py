"""The conflict review shows values as the history does: the words of the vocabularies in the interface's
language, 是/否, "—" for nothing, ID and phone numbers masked to roles that may not see them in full; and
a word typed back in is stored as its code."""

from __future__ import annotations

import pytest
from gui_helpers import settle
from sqlalchemy import select

from fpdesk.gui.dialogs.exchange_dialogs import ConflictDialog
from fpdesk.gui.dialogs.history_dialog import describe
from fpdesk.gui.i18n import install_language
from fpdesk.gui.widgets.field_values import field_value, typed_value
from fpdesk.services.sync import conflicts
from fpdesk.storage.schema import HouseholdCategoryLink
from tests.services.sync_helpers import conflicting_edits


@pytest.fixture
def conflicted(tmp_path):
    """A township and its village changed one household's categories and its head's phone differently."""
    offices, township, household = conflicting_edits(tmp_path, categories=True)
    yield township, {c["entity"]: c for c in conflicts.list_conflicts(township)}, household
    offices.close()


def cells(dialog) -> list[list[str]]:
    return [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]


def test_a_category_conflict_reads_in_words_and_a_typed_word_is_stored_as_its_code(
        qtbot, chinese_app, conflicted, screenshot):
    township, found, household = conflicted
    dialog = ConflictDialog(township, found["household"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert cells(dialog) == [["家庭类别", "—", "困难计生家庭、二女结扎户", "独生子女户"]]
    choice = dialog.choices["categories"]
    assert [choice.itemText(i) for i in range(choice.count())] == ["困难计生家庭、二女结扎户", "独生子女户"]
    screenshot(dialog, "conflict-values-categories")

    choice.setEditText("独生子女户、失独")  # a label and an alias, as a clerk types them
    assert dialog.chosen() == {"categories": ["only_child", "special_bereaved"]}
    choice.setEditText("独生子女户、外星人")
    dialog.resolve()
    settle(qtbot)
    assert "外星人" in dialog.error.text() and dialog.result() == 0  # refused, not stored letter by letter
    dialog.take("categories", "theirs")
    dialog.resolve()
    settle(qtbot)
    with township.read() as session:
        assert session.scalars(select(HouseholdCategoryLink.category).where(
            HouseholdCategoryLink.household_id == household)).all() == ["only_child"]


def test_a_phone_conflict_is_masked_like_the_history_for_a_role_without_pi_full(
        qtbot, chinese_app, conflicted, screenshot):
    from fpdesk.services.trust.accounts import add_user, log_in

    township, found, _household = conflicted
    full = ConflictDialog(township, found["person"])
    qtbot.addWidget(full)
    assert cells(full)[0][2:] == ["13900002222", "13900001111"]  # no accounts: nothing to hide from
    add_user(township, name="admin", password="admin-pass-1", role="admin")
    add_user(township, name="viewer", password="viewer-pass-1", role="viewer")
    log_in(township, "viewer", "viewer-pass-1")
    dialog = ConflictDialog(township, found["person"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert cells(dialog)[0] == ["电话", "138****5678", "139****2222", "139****1111"]
    screenshot(dialog, "conflict-values-masked")
    # the item keeps the real number: masked, the two sides still resolve to what was picked
    dialog.take("phone", "theirs")
    assert dialog.chosen() == {"phone": "13900001111"}


def test_the_english_interface_shows_the_english_words(qtbot, qapp, chinese_app, conflicted, screenshot):
    township, found, _household = conflicted
    install_language(qapp, "en")
    try:
        dialog = ConflictDialog(township, found["household"])
        qtbot.addWidget(dialog)
        dialog.show()
        assert cells(dialog) == [["Household categories", "—",
                                  "Hardship FP household, Two daughters, parent sterilized", "Only-child household"]]
        screenshot(dialog, "conflict-values-en")
        assert describe({"is_rural": False}, {"is_rural": True}) == "Rural household registration: Yes → No"
    finally:
        install_language(qapp, "zh_CN")


def test_one_formatter_for_history_and_review(chinese_app):
    assert field_value(True, "is_rural") == "是" and field_value([], "categories") == "—"
    assert field_value("retired_code", "relation") == "retired_code"  # unknown code: shown, not lost
    assert field_value("retired", "status", "household") == "已注销" and field_value("moved_out", "status") == "迁出"
    assert typed_value("已注销", "status", "household") == "retired" and typed_value("在册", "status", "person") == "alive"
    with pytest.raises(ValueError):  # a household's word is no person's status, and the other way round
        typed_value("已注销", "status", "person")
    with pytest.raises(ValueError):
        typed_value("在册", "status", "household")
    assert describe({"relation": "spouse", "phone": None}, {"relation": "head", "phone": "138****5678"}) == (
        "与户主关系: 户主 → 配偶；电话: 138****5678 → —")
    assert typed_value("是", "is_rural") is True and typed_value("", "categories") == []
    assert typed_value("是", "address") == "是" and typed_value("", "address") == ""
    assert typed_value("Hardship FP household, Two daughters, parent sterilized", "categories") == [
        "hardship", "two_daughters_sterilized"]  # the English list as shown, commas in a label and all
    with pytest.raises(ValueError):
        typed_value("也许", "reward_recipient")


def test_a_household_moved_to_two_villages_reads_by_village_names_in_review_and_history(
        qtbot, chinese_app, tmp_path, screenshot):
    from fpdesk.gui.dialogs.history_dialog import HistoryDialog
    from fpdesk.services.registry import households as hh
    from fpdesk.services.workspace import add_division
    from tests.services.sync_helpers import Offices, register_family

    offices = Offices(tmp_path)
    try:
        county = offices.county()
        for code, name in (("350421200201", "罗翠村"), ("350421200202", "城东村"), ("350421200203", "城西村")):
            add_division(county, code=code, name=name, code_year=2024)
        # a village may only write its own village's households, so the two moves are the township's
        # (a village of its own) and the county's
        township = offices.pair(county, "350421200", "township", "城关乡计生协")
        household = register_family(township, "350421200201", "林国华", 7).primary_id
        offices.send(township, county)
        hh.update_household(township, household, division_code="350421200202")
        hh.update_household(county, household, division_code="350421200203")
        offices.send(township, county)
        [found] = [c for c in conflicts.list_conflicts(county) if c["entity"] == "household"]
        # the record and the offices by the names a clerk knows, not an id's tail and office codes
        assert found["record_name"] == "林国华户，城西村"
        assert (found["ours"]["office_name"], found["theirs"]["office_name"]) == ("明溪县计生协", "城关乡计生协")
        from fpdesk.gui.screens.exchange import ExchangeScreen

        screen = ExchangeScreen(county)
        qtbot.addWidget(screen)
        row = [screen.conflicts.item(0, c).text() for c in range(4)]
        assert row[0] == "家庭户 林国华户，城西村" and row[2].endswith("（明溪县计生协）")
        assert row[3].endswith("（城关乡计生协）")
        dialog = ConflictDialog(county, found)
        qtbot.addWidget(dialog)
        assert cells(dialog) == [["村（社区）", "罗翠村（350421200201）", "城西村（350421200203）", "城东村（350421200202）"]]
        screenshot(dialog, "conflict-values-village")
        dialog.choices["division_id"].setEditText("城北村")  # a village is chosen, never typed
        dialog.resolve()
        settle(qtbot)
        assert "城北村" in dialog.error.text() and dialog.result() == 0
        dialog.take("division_id", "theirs")
        dialog.resolve()
        settle(qtbot)
        history = HistoryDialog(county, household, "林国华户")
        qtbot.addWidget(history)
        texts = [history.table.item(r, 4).text() for r in range(history.table.rowCount())]
        assert "村（社区）: 罗翠村（350421200201） → 城西村（350421200203）" in texts
    finally:
        offices.close()
