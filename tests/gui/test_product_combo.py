"""Product lists follow the office's catalog: definitions that arrive from the county while a screen is
open show up the next time its list opens, and the product already chosen stays chosen."""

from __future__ import annotations

import shutil

import pytest
from gui_helpers import settle

from fpdesk.core.catalog import load_catalog
from fpdesk.core.paths import forms_dir
from fpdesk.gui.screens.enrollment import EnrollmentScreen
from fpdesk.gui.screens.exchange import ExchangeScreen
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.product_catalog import office_catalog, set_forms_folder
from fpdesk.services.opening import open_workspace
from fpdesk.services.sync.reference import publish_definitions
from fpdesk.services.workspace import add_division, init_office

ADDED = "fp_family_accident_120"


def receive_added_product(workspace, tmp_path) -> None:
    """What a package from the county leaves behind: its definitions, one product more than shipped."""
    folder = tmp_path / "county-forms"
    shutil.copytree(forms_dir(), folder)
    source = (folder / "products" / "fp_family_accident_100.yaml").read_text(encoding="utf-8")
    added = source.replace("code: fp_family_accident_100", f"code: {ADDED}", 1).replace(
        "（100元版）", "（120元版）").replace("(¥100 edition)", "(¥120 edition)")
    (folder / "products" / f"{ADDED}.yaml").write_text(added, encoding="utf-8")
    with workspace.write() as ctx:
        publish_definitions(ctx, folder)


def codes(combo) -> list:
    return [combo.itemData(i) for i in range(combo.count())]


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform cannot raise a popup
def test_a_product_received_while_the_list_was_closed_is_there_when_it_opens(qtbot, workspace, tmp_path):
    combo = ProductCombo(workspace, any_label="全部险种", default="fp_family_accident_100")
    qtbot.addWidget(combo)
    assert codes(combo)[0] is None and ADDED not in codes(combo)
    assert combo.currentData() == "fp_family_accident_100"
    changes = []
    combo.currentIndexChanged.connect(changes.append)

    receive_added_product(workspace, tmp_path)
    assert ADDED not in codes(combo)  # nothing moves under the clerk's hand
    combo.showPopup()
    combo.hidePopup()
    assert ADDED in codes(combo) and "120" in combo.itemText(combo.findData(ADDED))
    assert combo.currentData() == "fp_family_accident_100" and changes == []
    assert ADDED in combo.catalog().products


def test_the_enrollment_screen_enrolls_with_the_received_product(qtbot, workspace, tmp_path, screenshot):
    receive_added_product(workspace, tmp_path)
    screen = EnrollmentScreen(workspace)
    qtbot.addWidget(screen)
    screen.product.setCurrentIndex(screen.product.findData(ADDED))
    assert screen._product_code() == ADDED
    received = office_catalog(workspace)
    assert screen.form.form is received.forms[received.products[ADDED].form]  # the county's form, not the shipped one
    screenshot(screen, "enrollment-received-product")


def test_the_exchange_screen_says_which_definitions_the_office_works_with(qtbot, workspace, tmp_path, screenshot):
    screen = ExchangeScreen(workspace)
    qtbot.addWidget(screen)
    assert "本程序自带（尚未收到县级下发的定义）" in screen.identity.text()
    assert "还没有配对的单位：点“登记下级单位…”" in screen.identity.text()  # the empty table explained
    receive_added_product(workspace, tmp_path)
    screen.refresh()
    shipped = len(load_catalog().products)
    assert f"按县级下发的定义办理（{shipped + 1} 个险种）" in screen.identity.text()
    screenshot(screen, "exchange-received-definitions")


def test_a_form_the_county_changed_reaches_the_enrollment_screen_when_it_comes_back(qtbot, workspace, tmp_path):
    receive_added_product(workspace, tmp_path)
    screen = EnrollmentScreen(workspace)
    qtbot.addWidget(screen)
    screen.product.setCurrentIndex(screen.product.findData(ADDED))
    screen.show()
    shown = screen.form.form
    screen.hide()  # the clerk is on another screen while the county's package is imported
    path = tmp_path / "county-forms" / "enrollment" / f"{shown.code}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"title_zh: {shown.title_zh}", "title_zh: 意外伤害保险登记表（县级修订）", 1),
                    encoding="utf-8")
    with workspace.write() as ctx:
        publish_definitions(ctx, tmp_path / "county-forms")
    screen.show()
    assert screen._product_code() == ADDED
    assert screen.form.form is not shown and screen.form.form.title_zh == "意外伤害保险登记表（县级修订）"


def test_the_county_chooses_its_definitions_folder_on_the_exchange_screen(qtbot, tmp_path, screenshot):
    county = open_workspace(str(tmp_path / "county.sqlite3"))
    init_office(county, code="350421", level="county", name="明溪县计生协")
    try:
        screen = ExchangeScreen(county)
        qtbot.addWidget(screen)
        assert not screen.folder_button.isHidden()
        assert "本程序自带的定义" in screen.identity.text()
        folder = tmp_path / "county-forms"
        shutil.copytree(forms_dir(), folder)
        assert screen.choose_forms_folder(str(folder))
        settle(qtbot)
        assert str(folder) in screen.message.text() and str(folder) in screen.identity.text()
        assert screen.choose_forms_folder(str(tmp_path / "nowhere"))  # refused once it has run
        settle(qtbot)
        assert "不存在" in screen.message.text() and str(folder) in screen.identity.text()
        screenshot(screen, "exchange-county-folder")
        assert screen.choose_forms_folder(program=True)
        settle(qtbot)
        assert "本程序自带的定义" in screen.identity.text()
    finally:
        county.close()


def test_a_county_whose_folder_went_missing_still_opens_its_screens_and_is_told_why(qtbot, tmp_path, screenshot):
    county = open_workspace(str(tmp_path / "county.sqlite3"))
    init_office(county, code="350421", level="county", name="明溪县计生协")
    try:
        folder = tmp_path / "county-forms"
        shutil.copytree(forms_dir(), folder)
        set_forms_folder(county, folder)
        shutil.rmtree(folder)
        screen = ExchangeScreen(county)
        qtbot.addWidget(screen)
        assert "新的定义不能使用" in screen.identity.text() and "不存在" in screen.identity.text()
        assert not screen.folder_button.isHidden()  # the way out is on this screen
        enrollment = EnrollmentScreen(county)
        qtbot.addWidget(enrollment)
        offered_in_fujian = [p for p in load_catalog().products.values() if p.offered_in("350421")]
        assert enrollment.product.count() == len(offered_in_fujian)  # nothing published: the program's own
        screenshot(screen, "exchange-county-folder-missing")
        assert screen.choose_forms_folder(program=True)
        settle(qtbot)
        assert "本程序自带的定义" in screen.identity.text()
    finally:
        county.close()


def test_a_withdrawn_product_with_enrollments_is_listed_last_and_said_to_be_withdrawn(
        qtbot, tmp_path, screenshot, monkeypatch):
    from fpdesk.gui.screens.enrollment import EnrollmentScreen
    from tests.services.test_product_catalog import FORM, PRODUCT, SPRING, VILLAGE, family

    monkeypatch.chdir(tmp_path)  # as installed: the program's folder is not the working folder
    county = open_workspace(str(tmp_path / "county.sqlite3"))
    init_office(county, code="350421", level="county", name="明溪县计生协")
    try:
        add_division(county, code=VILLAGE, name="罗翠村", code_year=2024)
        enroll(county, product=PRODUCT, year=2026, household_id=family(county, "林国华", 7), on=SPRING,
               today=SPRING, consent_by="林国华", form_values=FORM)
        folder = tmp_path / "county-forms"
        shutil.copytree(forms_dir(), folder)
        (folder / "products" / f"{PRODUCT}.yaml").unlink()
        set_forms_folder(county, folder)
        combo = ProductCombo(county, any_label="全部险种")
        qtbot.addWidget(combo)
        assert combo.itemData(combo.count() - 1) == PRODUCT
        assert combo.itemText(combo.count() - 1).endswith("（已停办）")
        assert not any(combo.itemText(i).endswith("（已停办）") for i in range(combo.count() - 1))
        enrollment = EnrollmentScreen(county)  # new enrollments: not offered at all
        qtbot.addWidget(enrollment)
        assert enrollment.product.findData(PRODUCT) < 0 and enrollment.product.count() == combo.count() - 2
        screen = ExchangeScreen(county)
        qtbot.addWidget(screen)
        shipped = len(load_catalog().products)
        assert f"（{shipped - 1} 个险种）" in screen.identity.text()
        assert "另有 1 个已停办的险种，仅保留给已有的参保记录。" in screen.identity.text()
        screenshot(screen, "exchange-withdrawn-product")
    finally:
        county.close()


def test_an_office_is_offered_the_products_of_its_own_province_only(qtbot, workspace, tmp_path):
    """A Mingxi village was offered Guangxi's products (and Haimen's, and Beijing's)."""
    combo = ProductCombo(workspace, offered_only=True)
    qtbot.addWidget(combo)
    offered = set(codes(combo))
    assert "fp_family_accident_100" in offered
    assert not offered & {"gx_care_quanjiafu", "gx_xiaoxinbao_a", "beihai_aixin", "only_child_safety",
                          "special_family_hospital_care"}
    guangxi = open_workspace(str(tmp_path / "jingxi.sqlite3"))
    init_office(guangxi, code="451081", level="county", name="靖西市计划生育协会")
    combo = ProductCombo(guangxi, any_label="全部险种")
    qtbot.addWidget(combo)
    assert {"gx_care_quanjiafu", "gx_xiaoxinbao_a", "beihai_aixin"} <= set(codes(combo))
    assert "fp_family_accident_100" not in codes(combo)
    guangxi.close()
