"""First run: set this installation up as a village, township or county office, or look at demo data.

A county is offered its division list (the statistics bureau's townships and villages, and its
agency units) with the setup, so rosters, targets and progress work per village from the start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import divisions
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.gui.dialogs.exchange_dialogs import JoinLauncher
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.registry.divisions import import_divisions, read_division_list
from fpdesk.services.workspace import init_office

DEMO = "demo"
OFFICE = "office"


class SetupWizard(QDialog):
    """Attributes:
    choice: OFFICE once the office is set up, DEMO if the user asked for demo data, None if cancelled.
    """

    def __init__(self, workspace, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.choice: str | None = None
        self.setWindowTitle(self.tr("欢迎使用 fpdesk — 设置本机单位"))
        fit_window(self, 560, 360)
        intro = QLabel(self.tr("第一次使用，请说明这台电脑属于哪个单位。区划代码请按县里下发的统计用区划代码填写。"))
        intro.setWordWrap(True)
        self.levels = QButtonGroup(self)
        self.level_buttons = {}
        for level in OfficeLevel:
            button = QRadioButton(level.label(current()))
            self.levels.addButton(button)
            self.level_buttons[level] = button
        self.level_buttons[OfficeLevel.VILLAGE].setChecked(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("村12位，乡镇9位，县6位，如 350421200201"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("如：罗翠村计生协"))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        levels = QVBoxLayout()
        for button in self.level_buttons.values():
            levels.addWidget(button)
        form.addRow(self.tr("单位级别"), levels)
        form.addRow(self.tr("区划代码"), self.code)
        form.addRow(self.tr("单位名称"), self.name)
        # a county starts with its list of townships, villages and units (the statistics bureau's)
        self.division_list = QLineEdit()
        self.division_list.setPlaceholderText(self.tr("可选：统计局的区划名单（xlsx/csv：代码、名称、上级代码、类别）"))
        browse = QPushButton(self.tr("浏览…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse_list)
        self.division_row = QWidget()
        row = QHBoxLayout(self.division_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.division_list, 1)
        row.addWidget(browse)
        self.division_label = QLabel(self.tr("区划名单"))
        form.addRow(self.division_label, self.division_row)
        self.divisions_note = ""  # what the list import did, said once the office is set up
        self.demo_button = QPushButton(self.tr("先看看演示数据"))
        self.demo_button.setAutoDefault(False)
        self.demo_button.clicked.connect(self._demo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.join = JoinLauncher(self, buttons)  # join by a parent office's invitation (sync)
        buttons.accepted.connect(self._set_up)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.code.textChanged.connect(self._check_code)
        self.levels.buttonToggled.connect(self._level_changed)
        self._level_changed()

    def _level_changed(self) -> None:
        county = self.level() is OfficeLevel.COUNTY
        self.division_label.setVisible(county)
        self.division_row.setVisible(county)

    def _browse_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择区划名单"), str(Path.home()),
                                              "表格 (*.xlsx *.xls *.ods *.csv);;所有文件 (*)")
        if path:
            self.division_list.setText(path)

    def level(self) -> OfficeLevel:
        return next(level for level, button in self.level_buttons.items() if button.isChecked())

    def _check_code(self) -> None:
        text = self.code.text().strip()
        if not text:
            self.message.clear()
            return
        try:
            divisions.check_office_code(text, self.level())
            self.message.clear()
        except DomainError as error:
            self.message.setText(error.message(current()))

    def _set_up(self) -> None:
        language = current()
        division_list = self.division_list.text().strip() if self.level() is OfficeLevel.COUNTY else ""
        try:
            if division_list:
                read_division_list(division_list)  # a list that does not read is said before anything is set up
            init_office(self.workspace, code=self.code.text().strip(), level=self.level(), name=self.name.text())
        except DomainError as error:
            self.message.setText(error.message(language))
            return
        if division_list:
            try:
                result = import_divisions(self.workspace, division_list)
                self.divisions_note = self.tr("区划名单已导入：新增 {0} 个，拒收 {1} 行。").format(
                    result.new, len(result.rejected))
            except DomainError as error:
                self.divisions_note = error.message(language)
        self.choice = OFFICE
        self.accept()

    def _demo(self) -> None:
        self.choice = DEMO
        self.accept()


def run_setup(workspace) -> str | None:
    wizard = SetupWizard(workspace)
    wizard.exec()
    if wizard.divisions_note:
        QMessageBox.information(None, wizard.windowTitle(), wizard.divisions_note)
    if wizard.choice == OFFICE:
        from fpdesk.gui.trust import after_office_setup

        after_office_setup(workspace)  # the first administrator
    return wizard.choice
