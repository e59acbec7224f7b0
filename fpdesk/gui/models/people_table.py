"""The people table: a thin adapter over a list of ids and a lazy row cache.

The model holds the ids the view has reached and the rows it has asked for, fetched a block at a
time through the services. A whole list (no typed text) comes a page at a time: the first page at
once, the next ones as the view scrolls near the end (Qt's canFetchMore/fetchMore), so opening on a
county of 500,000 persons reads no more than opening on a village. Rows that vanished since the ids
were read show as greyed-out placeholders instead of failing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from fpdesk.core import idnumber, phone
from fpdesk.core.dates import completed_years
from fpdesk.core.language import current, on_its_own
from fpdesk.core.vocabulary import PersonStatus, Relation, Sex

BLOCK = 100
CACHE_LIMIT = 3000
# Looked up once: Qt calls data() and headerData() thousands of times for one screenful (every role
# of every cell, four roles of every row number, twice), and each lookup of a Qt enum costs a call.
_DISPLAY, _FOREGROUND, _USER = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.UserRole
_HORIZONTAL, _VERTICAL = Qt.Orientation.Horizontal, Qt.Orientation.Vertical

# (key, header in the source language, marked for lupdate); translated when shown
COLUMNS = (
    ("name", QT_TRANSLATE_NOOP("PeopleTableModel", "姓名")),
    ("sex", QT_TRANSLATE_NOOP("PeopleTableModel", "性别")),
    ("birth_date", QT_TRANSLATE_NOOP("PeopleTableModel", "出生日期")),
    ("age", QT_TRANSLATE_NOOP("PeopleTableModel", "周岁")),
    ("id_number", QT_TRANSLATE_NOOP("PeopleTableModel", "身份证号")),
    ("relation", QT_TRANSLATE_NOOP("PeopleTableModel", "与户主关系")),
    ("division_name", QT_TRANSLATE_NOOP("PeopleTableModel", "村（社区）")),
    ("phone", QT_TRANSLATE_NOOP("PeopleTableModel", "电话")),
    ("status", QT_TRANSLATE_NOOP("PeopleTableModel", "状态")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PeopleTableModel", text)


class PeopleTableModel(QAbstractTableModel):
    """Attributes:
    fetch_rows: ids -> {id: PersonRow}; called with at most BLOCK ids.
    mask_ids: show ID numbers as 350421********0017 and phones as 138****5678 (notice boards, shared
        screens, roles that may not see personal data in full).
    """

    sort_requested = Signal(str, bool)  # column key, descending: the screen re-reads the ids in that order

    def __init__(self, fetch_rows: Callable[[list[uuid.UUID]], dict], *, today: dt.date | None = None,
                 language: str = "zh_CN", parent=None) -> None:
        super().__init__(parent)
        self.fetch_rows = fetch_rows
        self.ids: list[uuid.UUID] = []
        self.next_page: Callable[[tuple], tuple[list[uuid.UUID], tuple | None]] | None = None
        self.after: tuple | None = None  # the key of the page after the ids held; None: they are all
        self.cache: OrderedDict[uuid.UUID, object] = OrderedDict()
        self.missing: set[uuid.UUID] = set()
        self.mask_ids = False
        self.today = today or dt.date.today()
        self.language = language
        self._titles: dict[str, tuple[str, ...]] = {}  # the columns' translated titles, by language

    # -- content ---------------------------------------------------------------------------
    def set_ids(self, ids: list[uuid.UUID], *, after: tuple | None = None,
                next_page: Callable[[tuple], tuple[list[uuid.UUID], tuple | None]] | None = None,
                rows: dict | None = None) -> None:
        """``ids``: the list, or its first page when ``after`` is the key of the next one, which
        ``next_page(after)`` reads as (ids, the key after those or None). ``rows``: rows of some of
        them read already, by id (the first screenful the window opens on)."""
        self.beginResetModel()
        self.ids = list(ids)
        self.after = after if next_page is not None else None
        self.next_page = next_page
        self.cache.clear()
        self.missing.clear()
        if rows:
            self.cache.update(rows)
        self.endResetModel()

    def refresh_ids(self, changed: set[uuid.UUID]) -> None:
        """Services said these persons changed: drop their cached rows and repaint just them."""
        for person_id in changed:
            self.cache.pop(person_id, None)
            self.missing.discard(person_id)
        positions = [i for i, pid in enumerate(self.ids) if pid in changed] if changed else []
        for position in positions:
            self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))

    def person_id(self, row: int) -> uuid.UUID | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_at(self, row: int):
        person_id = self.person_id(row)
        if person_id is None:
            return None
        cached = self.cache.get(person_id)
        if cached is None and person_id not in self.missing:
            self._load_block(row)
            cached = self.cache.get(person_id)
        return cached

    def _load_block(self, row: int) -> None:
        start = max(0, row - BLOCK // 4)
        wanted = [pid for pid in self.ids[start:start + BLOCK] if pid not in self.cache]
        found = self.fetch_rows(wanted) if wanted else {}
        for pid in wanted:
            if pid in found:
                self.cache[pid] = found[pid]
            else:
                self.missing.add(pid)
        while len(self.cache) > CACHE_LIMIT:
            self.cache.popitem(last=False)

    def is_whole(self) -> bool:
        return self.after is None

    # -- Qt model API -------------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.after is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self.after is None or self.next_page is None:
            return
        ids, after = self.next_page(self.after)
        self.after = after
        if ids:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(ids) - 1)
            self.ids.extend(ids)
            self.endInsertRows()

    def fetch_all(self) -> None:
        """Every remaining page (a test, or the end of a list reached by the keyboard)."""
        while self.canFetchMore():
            self.fetchMore()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the database over all matching ids, never over the cached rows."""
        if 0 <= column < len(COLUMNS):
            self.sort_requested.emit(COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role != _DISPLAY:
            return None
        if orientation == _HORIZONTAL and 0 <= section < len(COLUMNS):
            titles = self._titles.get(current())  # translated once per language (the translators go with it)
            if titles is None:
                titles = self._titles[current()] = tuple(_tr(title) for _key, title in COLUMNS)
            return titles[section]
        if orientation == _VERTICAL:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.row_at(index.row()) is None:
            return Qt.ItemFlag.NoItemFlags  # vanished meanwhile: shown, not selectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if role != _DISPLAY and role != _FOREGROUND and role != _USER:
            return None  # the roles the view asks most (font, alignment, decoration…): no row read for them
        number, column = index.row(), index.column()
        if not index.isValid() or not (0 <= number < len(self.ids)) or not (0 <= column < len(COLUMNS)):
            return None
        row = self.row_at(number)
        if role == _DISPLAY:
            return _tr(QT_TRANSLATE_NOOP("PeopleTableModel", "（已删除）")) if row is None and column == 0 else self._text(row, column)
        if role == _FOREGROUND and (row is None or row.status != "alive"):
            return QBrush(QColor("#888888"))
        if role == _USER:
            return self.ids[number]
        return None

    def _text(self, row, column: int) -> str:
        if row is None:
            return ""
        key = COLUMNS[column][0]
        if key == "name":
            return row.name
        if key == "sex":
            return Sex(row.sex).label(self.language)
        if key == "birth_date":  # beside a masked ID number the birth date would give it back: age only
            return "" if self.mask_ids else row.birth_date.isoformat()
        if key == "age":
            return str(completed_years(row.birth_date, self.today))
        if key == "id_number":
            number = row.id_number or ""
            return idnumber.mask(number) if self.mask_ids and number else number
        if key == "relation":
            return Relation(row.relation).label(self.language)
        if key == "division_name":
            return row.division_name
        if key == "phone":
            return phone.mask(row.phone) if self.mask_ids and row.phone else row.phone or ""
        if key == "status":
            return on_its_own(PersonStatus(row.status).label(self.language), self.language)
        return ""
