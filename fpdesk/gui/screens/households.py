"""户籍登记: find people as you type, filter by village and category, open or add a household."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.changes import ENROLLMENTS, HOUSEHOLDS, PERSONS, REFERENCE
from fpdesk.core.language import current, pick
from fpdesk.core.vocabulary import HouseholdCategory
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.first_paint import FIRST_PAGE
from fpdesk.gui.models.people_table import PeopleTableModel
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import DATE_SAMPLE, ID_SAMPLE, PHONE_SAMPLE, compact_combo, room_for

# The services that search are imported where used: the window's first screenful may be painted
# before the database layer is imported (gui/first_paint.py).
TYPING_PAUSE_MS = 150
SEARCH_LIMIT = 1000  # as you type: enough to pick from, small enough to stay instant
PAGE = 1000  # each further page, read as the table is scrolled near its end
COUNT_AFTER_MS = 200  # a whole list's count starts after its first screenful is painted


class HouseholdsScreen(QWidget):
    """Attributes:
    workspace: the open workspace.
    model: the lazy people table.
    last_search_ms: how long the last search took, model reset included (the benchmark reads it).
    """

    open_household = Signal(object)  # household id
    new_household = Signal()

    def __init__(self, workspace, parent=None, *, first_screen=None) -> None:
        """``first_screen``: the office's first screen read before the database layer was imported
        (storage/first_screen.py): the village filter and the list the window opens on come from it."""
        super().__init__(parent)
        self.workspace = workspace
        self.first_screen = first_screen
        self.last_search_ms = 0.0
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("输入姓名、拼音首字母、身份证号或电话查找"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setObjectName("search")
        self.search_box.setMinimumWidth(260)  # the screen's main control never yields its room to filters
        self.village_filter = QComboBox()
        self.category_filter = QComboBox()
        self.enrollment_filter = QComboBox()
        for combo in (self.village_filter, self.category_filter, self.enrollment_filter):
            compact_combo(combo)
        self.enrollment_filter.addItem(self.tr("参保状态不限"), None)
        self.enrollment_filter.addItem(self.tr("今年已参保"), True)
        self.enrollment_filter.addItem(self.tr("今年未参保"), False)
        self.year = dt.date.today().year
        self.order: tuple[str, bool] | None = None
        self.generation = 0  # counts searches, so a slow old answer never replaces a newer one  # (column key, descending) once a header was clicked
        self.inactive_filter = QCheckBox(self.tr("含死亡、迁出"))
        self.count_label = QLabel()
        self.new_button = QPushButton(self.tr("新建家庭户 (Ctrl+N)"))
        self.model = PeopleTableModel(self._load_rows, language=current(), parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.model.sort_requested.connect(self._sort_by)
        self._fit_columns()
        self._fill_filters()
        self._layout()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._timer.start())
        self.search_box.returnPressed.connect(self._enter_in_search)
        for widget in (self.village_filter, self.category_filter, self.enrollment_filter):
            widget.currentIndexChanged.connect(self.run_search)
        self.inactive_filter.toggled.connect(self.run_search)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        self.new_button.clicked.connect(self.new_household.emit)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_household.emit)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search_box.setFocus)
        # whoever saved, imported or received them: the list shows people, their households and this
        # year's enrollment; the village filter lists the divisions
        follow_changes(self, workspace, {HOUSEHOLDS, PERSONS, ENROLLMENTS}, self.run_search)
        follow_changes(self, workspace, {REFERENCE}, self._refill_villages)

    def _fit_columns(self) -> None:
        """Columns as wide as their longest usual value in the table's font, so ID numbers and dates
        stay whole at the largest text too (fixed widths cut them: "350421199905…")."""
        samples = (("欧阳秀梅", "Ouyang Xiumei"), (pick("女", "Female"),), (DATE_SAMPLE,), ("100",),
                   (ID_SAMPLE,), (pick("孙女/外孙女", "Granddaughter"),), ("罗翠村村委会",),
                   ("139 0598 1234", PHONE_SAMPLE), (pick("迁出", "moved out"),))
        header = self.table.horizontalHeader()
        for column, texts in enumerate(samples):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            self.table.setColumnWidth(column, max(room_for(self.table, *texts, padding=20),
                                                  room_for(header, title, padding=28)))

    def _load_rows(self, ids: list) -> dict:
        from fpdesk.services.registry.search import load_person_rows

        return load_person_rows(self.workspace, ids)

    def typing_starts_at(self) -> QWidget:
        return self.search_box

    def _layout(self) -> None:
        # two rows: the search and its button, then the filters; one row of all six was wider than a
        # 1366-pixel laptop screen in English
        search = QHBoxLayout()
        search.addWidget(self.search_box, 1)
        search.addWidget(self.new_button)
        filters = QHBoxLayout()
        filters.addWidget(self.village_filter, 1)
        filters.addWidget(self.category_filter, 1)
        filters.addWidget(self.enrollment_filter, 1)
        filters.addWidget(self.inactive_filter)
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("户籍登记"))
        heading.setObjectName("heading")
        layout.addWidget(heading)
        layout.addLayout(search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _fill_filters(self) -> None:
        self._fill_villages()
        self.category_filter.addItem(self.tr("全部家庭类别"), None)
        for category in HouseholdCategory:
            self.category_filter.addItem(category.label(current()), category.value)

    def _fill_villages(self) -> None:
        self.village_filter.addItem(self.tr("全部村（社区）"), None)
        if self.first_screen is not None:
            divisions = self.first_screen.divisions
        else:
            from fpdesk.services.workspace import list_divisions

            divisions = list_divisions(self.workspace)
        for code, name, kind in divisions:
            if kind in ("township", "town", "subdistrict", "park", "agency_channel"):
                self.village_filter.addItem(name, code)
            elif kind in ("village", "community", "agency_unit"):
                self.village_filter.addItem("    " + name, code)

    def _refill_villages(self) -> None:
        """Divisions added or renamed: the filter lists them, the chosen one stays chosen."""
        chosen = self.village_filter.currentData()
        self.village_filter.blockSignals(True)
        self.village_filter.clear()
        self._fill_villages()
        self.village_filter.setCurrentIndex(max(self.village_filter.findData(chosen), 0))
        self.village_filter.blockSignals(False)

    # -- searching ----------------------------------------------------------------------------
    def run_search(self) -> None:
        text = self.search_box.text().strip()
        filters = {"division_prefix": self.village_filter.currentData(),
                   "category": self.category_filter.currentData(),
                   "include_inactive": self.inactive_filter.isChecked(),
                   "enrolled": self.enrollment_filter.currentData(), "year": self.year}
        order = {} if self.order is None else {"order": self.order[0], "descending": self.order[1]}
        self.generation += 1
        generation = self.generation
        first, self.first_screen = self.first_screen, None  # read once: the list the window opens on
        if first is not None and not text and not order and not any(
                filters[key] for key in ("division_prefix", "category", "enrolled", "include_inactive")):
            self._show_first_page(first.page, generation, filters, rows=first.rows)
            return
        from fpdesk.services.registry.search import find_person_ids, person_id_page

        if (not text and not order and self.workspace.db.is_sqlite
                and not any(filters[key] for key in ("division_prefix", "category", "enrolled"))):
            # Everyone, by name (the list the window opens on): on SQLite the first page is the first
            # entries of the name index, a few milliseconds in a county, so the window shows it at
            # once. (PostgreSQL's name index serves prefixes, not this order: a page sorts the table.)
            page = person_id_page(self.workspace, limit=FIRST_PAGE, **filters)
            self._show_first_page(page, generation, filters)
            return
        if not text:
            # A list without text (a whole county, everyone not yet enrolled, a village sorted by age)
            # can hold hundreds of thousands: its first page off the GUI thread, the next pages as
            # the table scrolls, and its size by a COUNT, so neither the start nor the memory grows
            # with the database.
            BackgroundOp(self, lambda _progress: person_id_page(self.workspace, limit=FIRST_PAGE, **filters,
                                                                **order),
                         label=self.tr("正在读取名单…")).success(
                lambda page: self._show_first_page(page, generation, {**filters, **order})).run()
            return
        if order:
            BackgroundOp(self, lambda _progress: find_person_ids(self.workspace, text, limit=SEARCH_LIMIT,
                                                                 **filters, **order),
                         label=self.tr("正在读取名单…")).success(
                lambda ids: self._show_ids(ids, generation)).run()
            return
        started = time.perf_counter()
        ids = find_person_ids(self.workspace, text, limit=SEARCH_LIMIT, **filters)
        self._show_ids(ids, generation)
        self.last_search_ms = (time.perf_counter() - started) * 1000

    def _sort_by(self, key: str, descending: bool) -> None:
        self.order = (key, descending)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.run_search()

    def _show_first_page(self, page: tuple, generation: int, filters: dict, rows: dict | None = None) -> None:
        if generation != self.generation:
            return  # an older search finished after a newer one: its answer is stale
        ids, after = page
        self.model.set_ids(ids, after=after, next_page=lambda key: self._next_page(key, filters), rows=rows)
        if after is None:
            self._say_count(len(ids), limited=False)
            return
        self.count_label.clear()  # until the count comes: a stale one would mislead
        counted = {key: value for key, value in filters.items() if key not in ("order", "descending")}
        # The count reads the whole table (50 ms in a county of 500,000): started once the first
        # screenful has been painted, so that it does not compete with it for the processor.
        QTimer.singleShot(COUNT_AFTER_MS, self, lambda: self._count(generation, counted))

    def _next_page(self, key: tuple, filters: dict) -> tuple:
        from fpdesk.services.registry.search import person_id_page

        return person_id_page(self.workspace, after=key, limit=PAGE, **filters)

    def _count(self, generation: int, filters: dict) -> None:
        if generation != self.generation:
            return  # another search came meanwhile: it counts its own list
        if not getattr(self.workspace, "is_open", True):
            # The window's first screenful painted before its workspace opened (gui/first_paint.py):
            # the count waits for the open rather than do it on the worker thread, where a failure
            # would be said twice and the database layer imported under Qt's import hook.
            QTimer.singleShot(COUNT_AFTER_MS, self, lambda: self._count(generation, filters))
            return
        from fpdesk.services.registry.search import count_person_matches

        BackgroundOp(self, lambda _progress: count_person_matches(self.workspace, **filters),
                     label=self.tr("正在读取名单…")).failure_logged().success(
            lambda count: self._say_count(count, limited=False) if generation == self.generation else None).run()

    def _show_ids(self, ids: list, generation: int | None = None) -> None:
        """The ids a typed text found: at most SEARCH_LIMIT, said so when cut there."""
        if generation is not None and generation != self.generation:
            return  # an older search finished after a newer one: its answer is stale
        self.model.set_ids(ids)
        if ids:
            self.model.row_at(0)  # the first screenful is what the user looks at next
        self._say_count(len(ids), limited=True)

    def _say_count(self, shown: int, *, limited: bool) -> None:
        if limited and shown >= SEARCH_LIMIT:
            text = self.tr("只显示前 {0} 人，请输入更多字缩小范围").format(f"{SEARCH_LIMIT:,}")
        elif shown:
            text = self.tr("共 {0} 人").format(f"{shown:,}")
        else:
            text = self.tr("没有找到符合条件的人。可以换个写法（姓名、拼音首字母、身份证号后几位），或清除筛选条件。")
        self.count_label.setText(text)

    def _enter_in_search(self) -> None:
        self._timer.stop()
        self.run_search()
        if self.model.rowCount() >= 1:
            self.table.setFocus()
            self.table.selectRow(0)

    def _open_row(self, row: int) -> None:
        data = self.model.row_at(row)
        if data is not None:
            self.open_household.emit(data.household_id)
