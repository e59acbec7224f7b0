import datetime as dt

from gui_helpers import settle, type_chinese
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QMenu, QMessageBox
from sqlalchemy import select

from fpdesk.core.enrollment_forms import EnrollmentForm, FieldValidation, FormField
from fpdesk.gui.main_window import MainWindow
from fpdesk.gui.screens.enrollment import EnrollmentScreen
from fpdesk.gui.screens.renewal import RenewalPanel
from fpdesk.gui.widgets.form_renderer import FormRenderer
from fpdesk.services.enrollment.allocations import allocate
from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
from fpdesk.services.enrollment.status import record_payment
from fpdesk.storage.schema import Household, Person
from fpdesk.storage.schema_enrollment import Enrollment, Payment

IN_WINDOW = dt.date(2026, 3, 2)  # S1's window runs 1 January to 30 April


def household_with_an_elder(workspace):
    """A household whose members include someone over 65 (not insurable as a new entrant)."""
    with workspace.read() as session:
        old = session.scalars(select(Person.household_id).where(Person.birth_date < dt.date(1955, 1, 1))).all()
        for household_id in old:
            ages = session.scalars(select(Person.birth_date).where(Person.household_id == household_id)).all()
            if any(b > dt.date(1970, 1, 1) for b in ages):
                return household_id
    raise AssertionError("the demo village has no mixed-age household")


def make_screen(qtbot, workspace):
    screen = EnrollmentScreen(workspace, today=IN_WINDOW)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_an_ineligible_member_is_shown_with_the_reason_and_left_out(qtbot, chinese_app, village_workspace):
    screen = make_screen(qtbot, village_workspace)
    screen.choose_household(household_with_an_elder(village_workspace))
    verdicts = [screen.members.item(r, 2).text() for r in range(screen.members.rowCount())]
    assert any("65" in v for v in verdicts), verdicts
    ticked = [screen.members.item(r, 0).checkState() == Qt.CheckState.Checked for r in range(len(verdicts))]
    assert ticked == [v == "符合" for v in verdicts]  # the ineligible start unticked, with their reason
    assert "保费 ¥100.00" in screen.summary.text()
    assert not screen.enroll_button.isEnabled()  # the health declaration is not answered yet
    screen.form.editors["health_declaration"].setChecked(True)
    assert screen.enroll_button.isEnabled()
    # ticking the elder back in blocks the enrollment, with the engine's words
    elder_row = next(r for r, v in enumerate(verdicts) if v != "符合")
    screen._toggle_row(elder_row)
    assert not screen.enroll_button.isEnabled() and "65" in screen.summary.text()
    screen._toggle_row(elder_row)
    assert screen.enroll_now()
    settle(qtbot)
    with village_workspace.read() as session:
        enrollment = session.scalar(select(Enrollment))
        assert enrollment.household_id == screen.household_id and enrollment.consent_by
        receipts = session.scalars(select(Payment.receipt_no)).all()
    if enrollment.payer_type == "self":
        assert receipts and receipts[0] in screen.result.text()
    # done: the insured show as insured (green, unticked), the summary says so; nothing reads as a fault
    rows = range(screen.members.rowCount())
    insured = [r for r in rows if screen.members.item(r, 2).text() == "本期已参保"]
    assert len(insured) == len(screen.last_result.insured)
    assert all(screen.members.item(r, 2).foreground().color() == Qt.GlobalColor.darkGreen for r in insured)
    assert not any(screen.members.item(r, 0).checkState() == Qt.CheckState.Checked for r in rows)
    assert f"本户已有 {len(insured)} 人参加本期" in screen.summary.text()
    assert "b00020" not in screen.summary.styleSheet() and not screen.enroll_button.isEnabled()


def test_a_household_and_its_enrollment_by_keyboard_within_40_keystrokes(qtbot, chinese_app, village_workspace,
                                                                         user_settings):
    window = MainWindow(village_workspace, user_settings, today=IN_WINDOW)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    extra = 0

    def press(widget, key, modifier=Qt.KeyboardModifier.NoModifier):
        nonlocal extra
        extra += 1
        qtbot.keyClick(widget, key, modifier)

    editor = window.new_household()
    qtbot.waitExposed(editor)
    family = [("吴建华", "350421198103050052"), ("郑秀梅", "350421198306120049"),
              ("吴晓东", "350421200809090013"), ("吴小妹", "350421201505050025")]
    for name, number in family:
        type_chinese(editor.focusWidget(), name)
        press(editor.focusWidget(), Qt.Key.Key_Return)
        qtbot.keyClicks(editor.focusWidget(), number)
        for _ in range(2):  # ID -> phone -> next member (relations guessed)
            press(editor.focusWidget(), Qt.Key.Key_Return)
    press(editor.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert window.last_saved is not None
    window.navigation.setCurrentRow(1)  # Ctrl+2
    extra += 1
    screen = window.enrollment
    type_chinese(screen.finder, "吴建华")
    press(screen.finder, Qt.Key.Key_Return)  # picks the household
    assert [screen.members.item(r, 2).text() for r in range(4)] == ["符合"] * 4
    health = screen.form.editors["health_declaration"]
    health.setFocus()
    extra += 1  # Tab from the member list to the first question
    press(health, Qt.Key.Key_Space)
    press(health, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert screen.last_result is not None, screen.summary.text()
    assert len(screen.last_result.insured) == 4
    print(f"keystrokes beyond the data, household + enrollment: {extra}")
    assert extra <= 40


def test_bulk_renewal_lists_then_renews_with_one_confirmation(qtbot, chinese_app, village_workspace, monkeypatch):
    with village_workspace.read() as session:
        households = session.scalars(select(Household.id).limit(40)).all()
    done = enroll_households_bulk(village_workspace, product="fp_family_accident_100", year=2025,
                                  household_ids=households, on=dt.date(2025, 3, 1), today=IN_WINDOW,
                                  form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    assert done.written > 0
    with village_workspace.read() as session:
        last_year = session.execute(select(Enrollment.id, Enrollment.premium_fen, Enrollment.payer_type)).all()
    for enrollment_id, premium, payer in last_year:  # only paid cover is in force, and renews
        if payer == "self":
            record_payment(village_workspace, enrollment_id, amount_fen=premium, paid_on=dt.date(2025, 3, 1),
                           today=IN_WINDOW)
    allocate(village_workspace, payer="government", voucher_no="城财2025-1", on=dt.date(2025, 3, 1), today=IN_WINDOW,
             product="fp_family_accident_100", year=2025)
    panel = RenewalPanel(village_workspace, today=IN_WINDOW)
    qtbot.addWidget(panel)
    panel.from_year.setValue(2025)
    op = panel.list_pending()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=20000)
    assert op is not None and panel.result.dry_run and panel.table.rowCount() > 0
    assert panel.renew_button.isEnabled()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    panel.renew_all()
    qtbot.waitUntil(lambda: not panel.result.dry_run, timeout=20000)
    assert len(asked) == 1 and "已续保" in panel.summary.text()
    with village_workspace.read() as session:
        assert session.scalars(select(Enrollment.id).where(Enrollment.policy_year == 2026)).first() is not None


def test_the_form_renderer_handles_every_field_type(qtbot):
    fields = tuple(FormField(key, kind, f"字段{key}", key, required, validation, ())
                   for key, kind, required, validation in [
                       ("text", "text", True, FieldValidation(min_length=2)),
                       ("flag", "bool", True, FieldValidation()),
                       ("pick", "choice", False, FieldValidation(choices=())),
                       ("when", "date", False, FieldValidation()),
                       ("who", "id_number", False, FieldValidation()),
                       ("tel", "phone", False, FieldValidation()),
                       ("count", "integer", False, FieldValidation(minimum=1, maximum=9)),
                   ])
    renderer = FormRenderer()
    qtbot.addWidget(renderer)
    renderer.set_form(EnrollmentForm("demo", "示例", "Demo", fields, "x.yaml"))
    assert isinstance(renderer.editors["flag"], QCheckBox) and isinstance(renderer.editors["pick"], QComboBox)
    assert set(renderer.problems) == {"text", "flag"}
    for key, bad, good in [("text", "a", "张三"), ("when", "2026-02-30", "2026-02-28"),
                           ("who", "350421198001010018", "350421198001010017"), ("tel", "123", "13812345678"),
                           ("count", "12", "3")]:
        editor = renderer.editors[key]
        assert isinstance(editor, QLineEdit)
        editor.setText(bad)
        assert key in renderer.problems and renderer.messages[key].text()
        editor.setText(good)
        assert key not in renderer.problems
    renderer.editors["flag"].setChecked(True)
    assert renderer.problems == {}
    assert renderer.values()["count"] == "3"


def test_enrollment_screens_screenshot(qtbot, chinese_app, village_workspace, user_settings, screenshot):
    window = MainWindow(village_workspace, user_settings, today=IN_WINDOW)
    qtbot.addWidget(window)
    window.show()
    window.navigation.setCurrentRow(1)
    window.enrollment.choose_household(household_with_an_elder(village_workspace))
    assert window.enrollment.members.rowCount() > 1
    screenshot(window, "screen_enrollment_zh")
    window.enrollment_tabs.setCurrentIndex(1)
    screenshot(window, "screen_renewal_zh")


def test_the_receipt_of_a_self_paid_enrollment_prints_from_the_screen(qtbot, chinese_app, village_workspace):
    from pypdf import PdfReader

    from fpdesk.core.vocabulary import PayerType

    screen = make_screen(qtbot, village_workspace)
    with village_workspace.read() as session:
        candidates = session.scalars(select(Household.id)).all()
    for household_id in candidates:  # a self-paid family whose members are all eligible
        screen.choose_household(household_id)
        judged = screen.preview.judged if screen.preview else None
        if judged and judged.payer is PayerType.SELF and screen.preview.can_enroll and all(
                m.eligible for m in screen.preview.members):
            break
    screen.form.editors["health_declaration"].setChecked(True)
    assert screen.enroll_now()
    settle(qtbot)
    assert screen.print_button.isEnabled()
    assert screen.print_receipt()
    settle(qtbot)
    preview = screen.preview_dialog
    qtbot.addWidget(preview)
    text = "".join(page.extract_text() for page in PdfReader(preview.path).pages)
    assert screen.last_result.receipt_no in text and "壹佰元整" in text


def test_menu_actions_open_the_roster_and_verify_dialogs(qtbot, chinese_app, village_workspace, user_settings):
    window = MainWindow(village_workspace, user_settings, today=IN_WINDOW)
    qtbot.addWidget(window)
    titles = [action.text() for menu in window.menuBar().findChildren(QMenu) for action in menu.actions()]
    assert {"导入名册…", "导出名册…", "核验参保凭证…"} <= set(titles)
    for dialog in (window.import_roster(), window.export_roster(), window.verify_certificate()):
        qtbot.addWidget(dialog)
        assert dialog.isVisible()
        dialog.close()


def test_form_answers_start_empty_for_every_household(qtbot, chinese_app, village_workspace):
    """The health declaration ticked for one household stayed ticked for the next: a household was
    enrolled that never declared."""
    screen = make_screen(qtbot, village_workspace)
    with village_workspace.read() as session:
        households = session.scalars(select(Household.id)).all()
    enrollable = []
    for household_id in households:
        screen.choose_household(household_id)
        if screen.preview.can_enroll:
            enrollable.append(household_id)
        if len(enrollable) == 2:
            break
    first, second = enrollable
    screen.choose_household(first)
    screen.form.editors["health_declaration"].setChecked(True)
    assert screen.enroll_button.isEnabled()
    screen.choose_household(second)
    health = screen.form.editors["health_declaration"]
    assert not health.isChecked() and "health_declaration" in screen.form.problems
    assert not screen.enroll_button.isEnabled()
    health.setChecked(True)
    assert screen.enroll_now()
    settle(qtbot)
    # after an enrollment too: the next household answers for itself
    screen.choose_household(first)
    assert not screen.form.editors["health_declaration"].isChecked() and not screen.enroll_button.isEnabled()


def test_a_premium_shared_between_levels_is_said_so_with_each_levels_part(qtbot, chinese_app, tmp_path):
    """five_level_accident (tests/data/programmes), one share entered 2025-02-10 for a couple: ¥60 =
    province 5 + county 5 + township 10 + village 10 + family 30. The summary says 多级分担 — not
    自主投保, though the family pays a part — and lists the parts; the family's ¥30 is its receipt."""
    from pathlib import Path

    from fpdesk.services.enrollment.product_catalog import set_forms_folder
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import add_division, init_office
    from tests.walks.walk_helpers import couple

    ws = open_workspace(str(tmp_path / "county.sqlite3"), author="县计生协")
    init_office(ws, code="350421", level="county", name="明溪县计划生育协会")
    add_division(ws, code="350421200", name="城关乡", code_year=2024)
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    set_forms_folder(ws, Path(__file__).parents[1] / "data" / "programmes")
    household, _ = couple(ws, "350421200201", child=None)
    screen = EnrollmentScreen(ws, today=dt.date(2025, 2, 10))
    qtbot.addWidget(screen)
    screen.product.setCurrentIndex(screen.product.findData("five_level_accident"))
    screen.choose_household(household)
    text = screen.summary.text()
    assert "保费 ¥60.00，缴费方式：多级分担" in text and "自主投保" not in text
    assert ("各级承担：省级财政 ¥5.00、县级财政 ¥5.00、乡镇（街道） ¥10.00、村（社区）集体 ¥10.00、"
            "个人（家庭） ¥30.00（家庭缴 ¥30.00，其余待各级拨款）") in text
    ws.close()
