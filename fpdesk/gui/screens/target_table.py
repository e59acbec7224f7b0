"""任务数 — the target table of the progress screen: one row per township (or village), each target
entered in the form the county set it (fpdesk.core.target_measures): shares split by payer (the S1
annex), a number of households or persons, or a rate of the census households or residents with a
stretch rate beside it ("参保总户数达60%，力争覆盖率达80%"). The row's 下达方式 chooses which cells
can be typed in; the 任务口径 column says the stored target the way progress and the bulletin show it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from fpdesk.core import target_measures as tm
from fpdesk.core.errors import DomainError
from fpdesk.core.language import pick
from fpdesk.services.reports.targets import percent_of

NAME, CODE, GOVERNMENT, SELF, EMPLOYER, TOTAL, AS_SET, MEASURE, COUNT, RATE, STRETCH = range(11)
SHARE_COLUMNS = (GOVERNMENT, SELF, EMPLOYER)
# the cells each form of target is typed into
TYPED = {tm.SHARES: SHARE_COLUMNS, tm.HOUSEHOLDS: (COUNT,), tm.PERSONS: (COUNT,),
         tm.HOUSEHOLD_RATE: (RATE, STRETCH), tm.PERSON_RATE: (RATE, STRETCH)}
EDITABLE = Qt.ItemFlag.ItemIsEditable


def _cell(text: str, *, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def stored_form(record: dict) -> dict:
    """A listed target (services.targets.list_targets) in the shape ``TargetTable.wanted`` gives."""
    measure = record.get("measure", tm.SHARES)
    rate, stretch = record.get("rate_pct"), record.get("stretch_pct")
    return {"measure": measure, "government": record.get("government", 0), "self_paid": record.get("self", 0),
            "employer": record.get("employer", 0), "quantity": record.get("quantity", 0),
            "rate_bp": None if rate is None else round(rate * 100),
            "stretch_bp": None if stretch is None else round(stretch * 100)}


class TargetTable(QTableWidget):
    """The editable target rows; ``wanted(row)`` reads one back as ``set_target`` takes it."""

    def __init__(self, *, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(0, 11, parent)
        self.english = english
        self.setHorizontalHeaderLabels([
            self.tr("乡镇 / 村"), self.tr("区划代码"), self.tr("政府投保"), self.tr("自主投保"), self.tr("单位投保"),
            self.tr("合计"), self.tr("任务口径"), self.tr("下达方式"), self.tr("户数或人数"), self.tr("覆盖率"),
            self.tr("力争覆盖率")])
        header = self.horizontalHeader()
        # every column as wide as its header or its widest cell (English headers are long); the
        # stated target takes what is left
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AS_SET, QHeaderView.ResizeMode.Stretch)
        self.measure_names = [(tm.SHARES, self.tr("份数")), (tm.HOUSEHOLDS, self.tr("户数")),
                              (tm.PERSONS, self.tr("人数")), (tm.HOUSEHOLD_RATE, self.tr("普查户数的比例")),
                              (tm.PERSON_RATE, self.tr("常住人口的比例"))]

    def fill(self, divisions: list[tuple[str, str]], stored: dict[str, dict]) -> None:
        """One row per (code, name) division, with its stored target where it has one."""
        self.blockSignals(True)
        self.setRowCount(len(divisions))
        for index, (code, name) in enumerate(divisions):
            record = stored.get(code, {})
            form = stored_form(record)
            cells = {NAME: _cell(name), CODE: _cell(code),
                     GOVERNMENT: _cell(f"{form['government']:,}", number=True),
                     SELF: _cell(f"{form['self_paid']:,}", number=True),
                     EMPLOYER: _cell(f"{form['employer']:,}", number=True),
                     TOTAL: _cell(f"{record.get('total', 0):,}", number=True),
                     AS_SET: _cell(record.get(pick("text", "text_en", self.english), "")),
                     COUNT: _cell(f"{form['quantity']:,}" if form["quantity"] else "", number=True),
                     RATE: _cell(tm.rate_text(form["rate_bp"]) if form["rate_bp"] is not None else "", number=True),
                     STRETCH: _cell(tm.rate_text(form["stretch_bp"]) if form["stretch_bp"] is not None else "",
                                    number=True)}
            for column, cell in cells.items():
                self.setItem(index, column, cell)
            combo = self.cellWidget(index, MEASURE)
            if combo is None:  # kept across refreshes: a combo replaced on every recount flickers
                combo = QComboBox()
                for measure, label in self.measure_names:
                    combo.addItem(label, measure)
                combo.currentIndexChanged.connect(lambda _i, row=index: self._editable(row))
                self.setCellWidget(index, MEASURE, combo)
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(form["measure"]))
            combo.blockSignals(False)
            self._editable(index)
        self.blockSignals(False)

    def measure(self, row: int) -> str:
        return self.cellWidget(row, MEASURE).currentData()

    def set_measure(self, row: int, measure: str) -> None:
        combo = self.cellWidget(row, MEASURE)
        combo.setCurrentIndex(combo.findData(measure))

    def _editable(self, row: int) -> None:
        """Only the cells of the row's form of target can be typed in; the others are greyed."""
        typed = TYPED[self.measure(row)]
        for column in (*SHARE_COLUMNS, COUNT, RATE, STRETCH):
            cell = self.item(row, column)
            cell.setFlags(cell.flags() | EDITABLE if column in typed else cell.flags() & ~EDITABLE)
            cell.setForeground(self.palette().text() if column in typed else self.palette().placeholderText())
        for column in (NAME, CODE, TOTAL, AS_SET):
            cell = self.item(row, column)
            cell.setFlags(cell.flags() & ~EDITABLE)

    def _count(self, row: int, column: int) -> int:
        text = self.item(row, column).text().replace(",", "").strip() or "0"
        if not text.isdigit():
            raise DomainError("target_count_bad" if column == COUNT else "target_negative", {"value": text})
        return int(text)

    def _rate(self, row: int, column: int) -> int | None:
        return percent_of(self.item(row, column).text())

    def wanted(self, row: int) -> dict:
        """The row's target as typed, in ``stored_form``'s shape (DomainError for a cell that is
        not a count or a percentage)."""
        measure = self.measure(row)
        form = {"measure": measure, "government": 0, "self_paid": 0, "employer": 0, "quantity": 0,
                "rate_bp": None, "stretch_bp": None}
        if measure == tm.SHARES:
            form.update(government=self._count(row, GOVERNMENT), self_paid=self._count(row, SELF),
                        employer=self._count(row, EMPLOYER))
        elif measure in (tm.HOUSEHOLDS, tm.PERSONS):
            form["quantity"] = self._count(row, COUNT)
        else:
            form.update(rate_bp=self._rate(row, RATE), stretch_bp=self._rate(row, STRETCH))
        return form
