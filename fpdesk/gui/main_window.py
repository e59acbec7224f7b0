"""The main window: navigation on the left, the chosen screen on the right, office and database below.

Every write runs as a BackgroundOp; what it changed is announced to the screens, each of which
refreshes what it shows (gui/changes.py): the window wires no refreshes between screens.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.settings import UserSettings
from fpdesk.gui.widgets.page_area import PageArea
from fpdesk.gui.window_fit import fit_window, keep_on_screen


def app_icon():
    from PySide6.QtGui import QIcon

    from fpdesk.core.paths import resources_dir

    icon = QIcon()
    for path in sorted((resources_dir() / "icons").glob("fpdesk-*.png")):
        icon.addFile(str(path))
    return icon


class MainWindow(QMainWindow):
    """Attributes:
    workspace: the open fpdesk workspace (database + local office).
    settings: the user's settings (layout, last screen, language, text size).
    households: the 户籍登记 screen.
    """

    def __init__(self, workspace, settings: UserSettings | None = None, *, today: dt.date | None = None,
                 first_screen=None) -> None:
        """``first_screen``: what the window shows first, read before the database layer was imported
        (storage/first_screen.py), with ``workspace`` an OpeningWorkspace (gui/first_paint.py)."""
        super().__init__()
        self.workspace = workspace
        self._first_screen = first_screen
        self.settings = settings or UserSettings()
        self.today = today or dt.date.today()
        self.editors: list = []
        self.setWindowTitle(self.tr("计生家庭保险登记 fpdesk"))
        self.setWindowIcon(app_icon())
        fit_window(self, 1180, 760)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.pages = QStackedWidget()
        self._add_screens()
        self.navigation.currentRowChanged.connect(self._screen_chosen)
        # The screens scroll when the window is smaller than they are (the enrollment screen at the
        # largest text is taller than a 768-pixel laptop leaves), instead of making the window taller
        # than the screen; with room enough they fill it and never scroll.
        self.page_area = PageArea(self.pages)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.page_area, 1)
        self.setCentralWidget(central)
        self._fill_status_bar()
        self._restore_layout()
        self.last_saved = None  # the ChangeSet the undo action reverses
        self.last_saved_label = ""  # what it was, in words
        self._build_menus()
        for number in range(1, self.navigation.count() + 1):  # Ctrl+1 … Ctrl+7 open the screens
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, activated=lambda row=number - 1: self.go_to_screen(row))
        # a click or Enter on the list goes into the screen; arrow keys stay in the list to browse it
        self.navigation.itemClicked.connect(lambda _item: self.focus_screen())
        self.navigation.itemActivated.connect(lambda _item: self.focus_screen())
        self.focus_screen()  # taken when the window first becomes active
        # read for the list the window opens on, now shown (or not, on another screen): never again
        self.households.first_screen = self._first_screen = None

    def workspace_opened(self, workspace) -> None:
        """The real workspace of a window built on an OpeningWorkspace, opened after the first paint:
        held from now on by the window and the screen built before it (later screens get it)."""
        self.workspace = self.households.workspace = workspace

    def _add_screens(self) -> None:
        """The households screen is built now; the others on first visit, so start-up stays under a
        second (the printing screen alone brings ReportLab, the enrollment screens the product files)."""
        from fpdesk.gui.screens.households import HouseholdsScreen

        self.households = HouseholdsScreen(self.workspace, first_screen=self._first_screen)
        self.households.open_household.connect(self.open_household)
        self.households.new_household.connect(self.new_household)
        self._builders = {
            1: self._build_enrollment,
            2: self._build_printing,
            3: self._build_claims,
            4: self._build_progress,
            5: self._build_exchange,
            6: self._build_settings,
        }
        titles = [self.tr("户籍登记"), self.tr("参保登记"), self.tr("收费与打印"), self.tr("理赔"), self.tr("进度统计"),
                  self.tr("数据交换"), self.tr("系统设置")]
        for index, title in enumerate(titles):
            item = QListWidgetItem(title)
            item.setSizeHint(QSize(150, 44))
            self.navigation.addItem(item)
            self.pages.addWidget(self.households if index == 0 else QWidget())
        # as wide as the longest entry in the current language ("Payments and printing" in English)
        widest = max(self.navigation.fontMetrics().horizontalAdvance(title) for title in titles)
        self.navigation.setFixedWidth(max(170, widest + 48))

    def page(self, index: int) -> QWidget:
        """The screen at ``index``, built the first time it is needed."""
        builder = self._builders.pop(index, None)
        if builder is not None:
            placeholder = self.pages.widget(index)
            widget = builder()
            self.pages.insertWidget(index, widget)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self.page_area.updateGeometry()  # as wide as the widest screen built
        return self.pages.widget(index)

    def _build_enrollment(self) -> QWidget:
        from PySide6.QtWidgets import QTabWidget

        from fpdesk.gui.screens.enrollment import EnrollmentScreen
        from fpdesk.gui.screens.renewal import RenewalPanel

        self._enrollment = EnrollmentScreen(self.workspace, today=self.today, settings=self.settings)
        self._renewal = RenewalPanel(self.workspace, today=self.today)
        self._enrollment_tabs = QTabWidget()
        self._enrollment_tabs.addTab(self._enrollment, self.tr("新参保"))
        self._enrollment_tabs.addTab(self._renewal, self.tr("续保"))
        return self._enrollment_tabs

    def _build_printing(self) -> QWidget:
        from fpdesk.gui.screens.printing import PrintingScreen

        self._printing = PrintingScreen(self.workspace, today=self.today)
        return self._printing

    def _build_claims(self) -> QWidget:
        from fpdesk.gui.screens.claims import ClaimsScreen

        self._claims = ClaimsScreen(self.workspace, today=self.today)
        return self._claims

    def _build_progress(self) -> QWidget:
        from fpdesk.gui.screens.progress import ProgressScreen

        self._progress = ProgressScreen(self.workspace, today=self.today)
        return self._progress

    def _build_exchange(self) -> QWidget:
        from fpdesk.gui.screens.exchange import ExchangeScreen

        self._exchange = ExchangeScreen(self.workspace)
        self._exchange.exchanged.connect(self.exchange_label.setText)
        return self._exchange

    def _build_settings(self) -> QWidget:
        from fpdesk.gui.screens.settings_screen import SettingsScreen

        self._settings_screen = SettingsScreen(self.settings)
        return self._settings_screen

    @property
    def enrollment(self):
        self.page(1)
        return self._enrollment

    @property
    def renewal(self):
        self.page(1)
        return self._renewal

    @property
    def enrollment_tabs(self):
        self.page(1)
        return self._enrollment_tabs

    @property
    def printing(self):
        self.page(2)
        return self._printing

    @property
    def claims(self):
        self.page(3)
        return self._claims

    @property
    def progress(self):
        self.page(4)
        return self._progress

    @property
    def exchange(self):
        self.page(5)
        return self._exchange

    @property
    def settings_screen(self):
        self.page(6)
        return self._settings_screen

    def _build_menus(self) -> None:
        edit = self.menuBar().addMenu(self.tr("编辑"))
        # Ctrl+Z in a text field undoes its typing (Qt gives the field the key first); anywhere else
        # it is this action, and the menu reaches it from everywhere. Its text names what it undoes.
        self.undo_action = edit.addAction(self.tr("撤销保存"), QKeySequence.StandardKey.Undo, self.undo_last_save)
        self.undo_action.setEnabled(False)
        rosters = self.menuBar().addMenu(self.tr("名册"))
        rosters.addAction(self.tr("导入名册…"), QKeySequence("Ctrl+I"), self.import_roster)
        rosters.addAction(self.tr("导出名册…"), QKeySequence("Ctrl+E"), self.export_roster)
        tools = self.menuBar().addMenu(self.tr("工具"))
        tools.addAction(self.tr("核验参保凭证…"), QKeySequence("Ctrl+Shift+V"), self.verify_certificate)
        from fpdesk.gui.trust import install_menu

        install_menu(self)  # 安全: users, history, audit, backups
        help_menu = self.menuBar().addMenu(self.tr("帮助"))
        help_menu.addAction(self.tr("用户手册"), QKeySequence(QKeySequence.StandardKey.HelpContents), self.open_guide)
        help_menu.addAction(self.tr("开始使用（三步）…"), self.open_first_steps)

    def open_guide(self):
        from fpdesk.gui.dialogs.guide_dialog import GuideDialog

        guide = GuideDialog(self)
        guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        guide.show()  # beside the window, not in front of the work: it may stay open while one works
        return guide

    def open_first_steps(self):
        from fpdesk.gui.dialogs.guide_dialog import FirstStepsDialog

        steps = FirstStepsDialog(self.workspace, self)
        steps.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        steps.go_to.connect(self._first_step)
        steps.finished.connect(lambda _result: self._first_steps_closed(steps))
        steps.open()
        return steps

    def show_first_steps_if_new(self):
        """A new office (nothing registered yet) is shown its three steps, until told not to."""
        from fpdesk.services.registry.search import find_person_ids

        office = self.workspace.office
        if office is None or self.settings.first_steps_done(office.code):
            return None
        if find_person_ids(self.workspace, "", include_inactive=True, limit=1):
            return None
        return self.open_first_steps()

    def _first_steps_closed(self, steps) -> None:
        if steps.dont_show.isChecked() and self.workspace.office is not None:
            self.settings.set_first_steps_done(self.workspace.office.code)

    def _first_step(self, target: str) -> None:
        screens = {"households": 0, "enrollment": 1, "printing": 2, "progress": 4, "exchange": 5}
        if target in screens:
            self.go_to_screen(screens[target])
        elif target == "import_roster":
            self.import_roster()
        elif target == "guide":
            self.open_guide()

    def import_roster(self):
        from fpdesk.gui.dialogs.roster_import_wizard import open_roster_import

        return open_roster_import(self, self.workspace)  # the screens showing what it imports follow it

    def export_roster(self):
        from fpdesk.gui.dialogs.roster_export_dialog import open_roster_export

        return open_roster_export(self, self.workspace)

    def verify_certificate(self):
        from fpdesk.gui.dialogs.verify_dialog import open_verify_dialog

        return open_verify_dialog(self, self.workspace)

    def _placeholder(self, title: str, purpose: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(title)
        heading.setObjectName("heading")
        body = QLabel(purpose + "\n\n" + self.tr("（此功能正在开发中，将在后续版本提供。）"))
        body.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        return page

    def _screen_chosen(self, index: int) -> None:
        self.page(index)
        self.pages.setCurrentIndex(index)
        self.settings.last_screen = index
        if self.pages.currentWidget() is self.households and not self.households.model.ids:
            self.households.run_search()

    def go_to_screen(self, index: int) -> QWidget:
        """Show a screen and put the cursor where typing starts on it."""
        self.navigation.setCurrentRow(index)
        self.focus_screen()
        return self.pages.currentWidget()

    def focus_screen(self) -> QWidget | None:
        """Focus where typing starts on the screen shown (its ``typing_starts_at``), else its first field."""
        screen = self.pages.currentWidget()
        target = None
        for candidate in (screen, getattr(screen, "currentWidget", lambda: None)()):
            start = getattr(candidate, "typing_starts_at", None)
            if callable(start):
                target = start()
                break
        target = target or _first_field(screen)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def _fill_status_bar(self) -> None:
        office = self.workspace.office
        office_text = (self.tr("本机单位：{0}（{1}）").format(office.name, office.code) if office
                       else self.tr("本机单位：尚未设置"))
        self.office_label = QLabel(office_text)
        year = self.settings.policy_year or self.today.year
        self.households.year = year
        self.year_label = QLabel(self.tr("保险年度：{0}").format(year))
        from fpdesk.gui.screens.exchange_status import exchanges_text, status_text

        first = self._first_screen
        self.exchange_label = QLabel(status_text(self.workspace, self.tr) if first is None
                                     else exchanges_text(first.exchanges, self.tr))
        # the file's name in the bar, its whole path in the tooltip: a long path made the window wider
        # than the screen
        if first is None:
            location, file_path = self.workspace.db.display_name, self.workspace.db.file_path
        else:  # as the database will name it (Database.display_name, file_path)
            location, file_path = str(first.path), first.path
        self.database_label = QLabel(self.tr("数据库：{0}").format(
            file_path.name if file_path is not None else location))
        self.database_label.setToolTip(location)
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.office_label, self.year_label, self.exchange_label):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.database_label)

    def _restore_layout(self) -> None:
        if self.settings.window_geometry is not None:
            self.restoreGeometry(self.settings.window_geometry)
            keep_on_screen(self)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state)
        last = self.settings.last_screen
        self.navigation.setCurrentRow(last if 0 <= last < self.navigation.count() else 0)

    def closeEvent(self, event) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        super().closeEvent(event)

    # -- households ---------------------------------------------------------------------------------
    def _divisions(self):
        from fpdesk.services.workspace import list_divisions

        return list_divisions(self.workspace)

    def new_household(self):
        from fpdesk.gui.dialogs.household_editor import HouseholdEditor, empty_household

        office = self.workspace.office
        default_code = office.code if office else ""
        return self._show_editor(HouseholdEditor(self.workspace, empty_household(default_code), self._divisions(),
                                                 today=self.today, parent=self))

    def open_household(self, household_id):
        """The household in its editor; one already open for it is raised, never opened twice (two
        editors of one household: saving one made the other fail and lose its typing)."""
        from fpdesk.gui.dialogs.household_editor import HouseholdEditor
        from fpdesk.services.registry.household_form import load_household_form

        for editor in self.editors:
            if editor.form.household_id == household_id and editor.isVisible():
                editor.raise_()
                editor.activateWindow()
                return editor

        form = load_household_form(self.workspace, household_id)
        return self._show_editor(HouseholdEditor(self.workspace, form, self._divisions(), today=self.today,
                                                 parent=self))

    def _editor_finished(self, _code: int) -> None:
        # The window takes the keyboard back (an X server without a window manager gives it to nobody,
        # and the next typing went nowhere).
        QTimer.singleShot(0, self.activateWindow)
        # Closed editors are dropped on the next turn of the event loop, never inside their own signal.
        for editor in [e for e in self.editors if not e.isVisible()]:
            self.editors.remove(editor)
            editor.deleteLater()

    def _saved(self, changes, label: str = "") -> None:
        self.last_saved = changes
        self.last_saved_label = label
        self.undo_action.setText(self.tr("撤销：{0}").format(label) if label else self.tr("撤销保存"))
        self.undo_action.setEnabled(True)
        self.statusBar().showMessage(self.tr("已保存。要撤销，请用“编辑”菜单里的“{0}”（Ctrl+Z）。").format(
            self.undo_action.text()), 8000)

    def undo_last_save(self) -> BackgroundOp | None:
        """Reverse the last save off the GUI thread; None: nothing to undo. A refusal (the record
        changed since) is shown as every refusal is, and the save stays undoable."""
        from fpdesk.services.trust.undo import undo

        if self.last_saved is None:
            self.statusBar().showMessage(self.tr("没有可以撤销的保存。"), 5000)
            return None
        workspace, undone = self.workspace, self.last_saved

        def job(_progress):
            return undo(workspace, undone)

        def done(_reverted) -> None:
            if self.last_saved is undone:
                self.last_saved = None
                self.undo_action.setText(self.tr("撤销保存"))
                self.undo_action.setEnabled(False)
            self.statusBar().showMessage(self.tr("已撤销：{0}。").format(self.last_saved_label)
                                         if self.last_saved_label else self.tr("已撤销上次保存。"), 8000)

        # origin None: no screen of this window has shown the undoing; the households list follows it
        return BackgroundOp(self, job, label=self.tr("正在撤销…"), cancellable=False, origin=None).success(done).run()

    def enroll_household(self, household_id) -> None:
        """保存并参保: the enrollment screen with that household chosen, the cursor where typing starts."""
        self.go_to_screen(1)
        self.enrollment_tabs.setCurrentWidget(self.enrollment)
        self.enrollment.choose_household(household_id)
        self.focus_screen()

    def _show_editor(self, editor):
        editor.saved.connect(lambda changes, e=editor: self._saved(changes, e.saved_label))
        editor.open_household.connect(self.open_household)
        editor.enroll_household.connect(self.enroll_household)
        editor.finished.connect(self._editor_finished)
        self.editors.append(editor)
        editor.open()
        return editor


def _first_field(screen: QWidget) -> QWidget | None:
    """The first widget of ``screen`` that Tab would reach: where a screen without a typing start begins."""
    widget = screen.nextInFocusChain()
    while widget is not None and widget is not screen:
        if screen.isAncestorOf(widget) and widget.isVisibleTo(screen) and widget.isEnabled() \
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return widget
        widget = widget.nextInFocusChain()
    return None
