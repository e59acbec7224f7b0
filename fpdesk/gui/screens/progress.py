"""进度统计 — progress: the target table (entered or imported), progress by township and village with
a Qt Charts bar chart of completion (last week beside this week), the weekly bulletin to PDF or xlsx,
and the statistics of a statistical year.

Progress and statistics are aggregate SQL over the tables (≤ 1 s for a county, see
tests/benchmarks/progress.py), so the dashboard simply recounts when it is shown and every
``REFRESH_MS`` while it stays visible: enrollments coming in appear without a button press.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.changes import CLAIMS, ENROLLMENTS, HOUSEHOLDS, MONEY, PERSONS, REFERENCE
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current, english, pick
from fpdesk.core.money import format_fen
from fpdesk.core.product_terms import level_label
from fpdesk.core.statistics import LOSS_RATIO_BASIS, percent, ratio
from fpdesk.core.target_measures import MIXED
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.screens.target_table import CODE, NAME, TargetTable, stored_form
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.services.printouts.scratch import scratch_folder
from fpdesk.services.reports import targets as target_service
from fpdesk.services.reports.bulletin import write_bulletin
from fpdesk.services.reports.statistics import default_start_month, set_start_month, statistics
from fpdesk.services.reports.target_progress import ProgressReport, progress
from fpdesk.services.workspace import list_divisions

REFRESH_MS = 30_000
STATS_TAB = 2
# The statistical year's start month is an office setting written to the change log (and sent up in
# the next package): it is saved once the spin box has been still this long, not at every step.
SAVE_START_MONTH_MS = 800


def _number(value: int) -> QTableWidgetItem:
    item = QTableWidgetItem(f"{value:,}")
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ProgressScreen(QWidget):
    """Attributes:
    report: the last ProgressReport shown; stats: the last StatisticsReport; chart: the QChart.
    last_bulletin: the path of the last bulletin written; op: the running bulletin job.
    """

    def __init__(self, workspace, *, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.report: ProgressReport | None = None
        self.stats = None
        self.last_bulletin: Path | None = None
        self.op: BackgroundOp | None = None
        self.output_dir = scratch_folder()
        self.saved_targets = 0  # how many rows the last save of targets wrote
        self.last_import = None  # the result of the last target or population import

        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year)
        self.product = ProductCombo(workspace, default="fp_family_accident_100")
        self.as_of = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.refresh_button = QPushButton(self.tr("刷新"))
        top = QHBoxLayout()
        for label, widget in ((self.tr("保险年度"), self.year), (self.tr("险种"), self.product),
                              (self.tr("统计截至"), self.as_of)):
            top.addWidget(QLabel(label))
            top.addWidget(widget, 3 if widget is self.product else 0)  # the product's name takes the room
        top.addWidget(self.refresh_button)
        top.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._progress_tab(), self.tr("完成进度"))
        self.tabs.addTab(self._targets_tab(), self.tr("任务数"))
        self.tabs.addTab(self._stats_tab(), self.tr("统计"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self.refresh_button.clicked.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.product.currentIndexChanged.connect(self.refresh)
        self.as_of.dateChanged.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_in_background)
        self.refresh_op: BackgroundOp | None = None
        self._count_again = False
        self.tabs.currentChanged.connect(self._tab_changed)
        self.refresh()
        self._fresh = True  # just counted: the first showing need not count again
        follow_changes(self, workspace, {HOUSEHOLDS, PERSONS, ENROLLMENTS, MONEY, REFERENCE, CLAIMS},
                       self._data_changed)

    # -- building ----------------------------------------------------------------------------------
    def _progress_tab(self) -> QWidget:
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("乡镇 / 村"), self.tr("任务数"), self.tr("上周"), self.tr("本周"),
                                   self.tr("新增"), self.tr("政府"), self.tr("自主"), self.tr("单位"),
                                   self.tr("完成率"), self.tr("排名"), self.tr("已登记未缴费"), self.tr("任务口径")])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.laggards = QLabel("")
        self.laggards.setWordWrap(True)
        self.week = QSpinBox()
        self.week.setRange(1, 53)
        self.week.setValue(self.today.isocalendar().week)
        self.bulletin_format = QComboBox()
        self.bulletin_format.addItem(self.tr("打印文件"), ".pdf")
        self.bulletin_format.addItem(self.tr("电子表格"), ".xlsx")
        self.bulletin_button = QPushButton(self.tr("打印周通报…"))
        bulletin = QHBoxLayout()
        bulletin.addWidget(QLabel(self.tr("第")))
        bulletin.addWidget(self.week)
        bulletin.addWidget(QLabel(self.tr("周")))
        bulletin.addWidget(self.bulletin_format)
        bulletin.addWidget(self.bulletin_button)
        bulletin.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.chart_view)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.laggards)
        layout.addLayout(bulletin)
        self.bulletin_button.clicked.connect(lambda: self.print_bulletin())
        return page

    def _targets_tab(self) -> QWidget:
        self.target_table = TargetTable(english=english())
        self.import_button = QPushButton(self.tr("导入任务表…"))
        self.save_targets_button = QPushButton(self.tr("保存任务数"))
        self.population_button = QPushButton(self.tr("导入常住人口…"))
        buttons = QHBoxLayout()
        for button in (self.import_button, self.save_targets_button, self.population_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        note = QLabel(self.tr("县里下达的任务：在“下达方式”一列选份数、户数、人数或普查户数、常住人口的比例，"
                              "填写后保存；也可导入附件表格。按比例下达的，先导入常住人口和户数。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.target_table, 1)
        layout.addLayout(buttons)
        self.import_button.clicked.connect(lambda: self.import_targets())
        self.population_button.clicked.connect(lambda: self.import_population())
        self.save_targets_button.clicked.connect(self.save_targets)
        return page

    def _stats_tab(self) -> QWidget:
        self.start_month = QSpinBox()
        self.start_month.setRange(1, 12)
        self.start_month.setValue(default_start_month(self.workspace, None))
        self.stats_table = QTableWidget(0, 12)
        self.stats_table.setHorizontalHeaderLabels([
            self.tr("乡镇"), self.tr("份数"), self.tr("同比增减"), self.tr("保费"), self.tr("报案件数"),
            self.tr("赔付件数"), self.tr("赔付金额"), self.tr("赔付率"), self.tr("财政出资比例"), self.tr("覆盖率"),
            self.tr("被保险人数"), self.tr("已登记未缴费")])
        self.stats_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stats_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.stats_levels = QLabel("")  # the premium by payer level: province … the family
        self.stats_levels.setWordWrap(True)
        self.stats_levels.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats_note = QLabel("")
        self.stats_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("统计年度起始月")))
        row.addWidget(self.start_month)
        row.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.stats_table, 1)
        layout.addWidget(self.stats_levels)
        layout.addWidget(self.stats_note)
        self.save_start_month_timer = QTimer(self)
        self.save_start_month_timer.setSingleShot(True)
        self.save_start_month_timer.setInterval(SAVE_START_MONTH_MS)
        self.save_start_month_timer.timeout.connect(self.save_start_month)
        self.start_month.valueChanged.connect(self._start_month_changed)
        self.start_month.editingFinished.connect(self.save_start_month)
        return page

    def _start_month_changed(self, _month: int) -> None:
        self.refresh_stats()  # the figures follow every step; the setting waits until the value settles
        self.save_start_month_timer.start()

    def save_start_month(self) -> None:
        """Remember the office's statistical year, unless it is already what is stored."""
        self.save_start_month_timer.stop()
        month = self.start_month.value()
        if month == default_start_month(self.workspace, None):
            return  # leaving the box unchanged asks nothing of a user who may not change settings
        workspace = self.workspace

        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            self.status.setText(error.message(current()))  # e.g. a clerk without 修改设置

        BackgroundOp(self, lambda _progress: set_start_month(workspace, month), cancellable=False) \
            .failure(refused).run()

    # -- refreshing ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fresh:  # counted when built; coming back to the page recounts quietly
            self.refresh_in_background()
        self._fresh = False
        self.timer.start()

    def _tab_changed(self, index: int) -> None:
        if index == STATS_TAB:
            self.refresh_stats()

    def hideEvent(self, event) -> None:
        self.timer.stop()
        if self.save_start_month_timer.isActive():  # leaving the page settles the value
            self.save_start_month()
        super().hideEvent(event)

    def _data_changed(self) -> None:
        """Another screen (or an import, a received package) changed what is counted."""
        self._fill_targets()
        self.refresh_in_background()
        if self.tabs.currentIndex() == STATS_TAB:
            self.refresh_stats()

    def as_of_date(self) -> dt.date:
        value = self.as_of.date()
        return dt.date(value.year(), value.month(), value.day())

    def refresh(self) -> None:
        """Recount now: after the clerk changed the year, product or date, or saved targets."""
        try:
            report = progress(self.workspace, year=self.year.value(), product=self.product.currentData(),
                              as_of=self.as_of_date())
        except DomainError as error:
            self.status.setText(error.message(current()))
            return
        self._fill_targets()
        self._show_report(report)
        if self.tabs.currentIndex() == STATS_TAB:
            self.refresh_stats()

    def refresh_in_background(self) -> BackgroundOp | None:
        """The recount while the page is shown, off the GUI thread (a county's count takes a moment)."""
        if self.refresh_op is not None and self.refresh_op in BackgroundOp.running:
            self._count_again = True  # the running count may have started before the latest change
            return None
        self._count_again = False
        workspace, year, product, as_of = (self.workspace, self.year.value(), self.product.currentData(),
                                           self.as_of_date())

        def job(_progress):
            return progress(workspace, year=year, product=product, as_of=as_of)

        def done(report: ProgressReport) -> None:
            if (report.year, report.product, report.as_of) == (self.year.value(), self.product.currentData(),
                                                                self.as_of_date()):
                self._show_report(report)
            if self._count_again:
                self.refresh_in_background()

        # no progress dialog for a count nobody asked for
        self.refresh_op = BackgroundOp(self, job, delay_ms=3_600_000, cancellable=False)
        self.refresh_op.success(done).failure_logged().run()
        return self.refresh_op

    def _show_report(self, report: ProgressReport) -> None:
        self.report = report
        self._fill_tree(self.report)
        self._fill_chart(self.report)
        names = "、".join(f"{t.name}（{t.completion_text()}）" for t in self.report.laggards)
        self.laggards.setText(self.tr("进度落后：%1").replace("%1", names) if names else self.tr("暂无落后的乡镇。"))

    def _fill_tree(self, report: ProgressReport) -> None:
        self.tree.clear()

        units = {"households": self.tr("户"), "persons": self.tr("人")}

        def item(line) -> QTreeWidgetItem:
            # a target set in households, persons or a census rate is counted and shown in its unit
            unit = units.get(line.unit, "") if line.target_set else ""
            now, before = line.achieved_at(), line.achieved_at(previous=True)
            # a total over lines set in different forms has no one figure to show (its completion is
            # the mean of theirs): a dash, not a 0 that reads as "no target"
            target = "—" if line.measure == MIXED else f"{line.target_value:,}{unit}"
            values = [line.name, target, f"{before:,}{unit}", f"{now:,}{unit}",
                      f"{now - before:+,}{unit}", f"{line.enrolled.government:,}", f"{line.enrolled.self:,}",
                      f"{line.enrolled.employer:,}", line.completion_text(), str(line.rank or ""),
                      f"{line.unpaid.total:,}", line.target_text(english()) if line.target_set else ""]
            node = QTreeWidgetItem(values)
            for column in range(1, len(values) - 1):
                node.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return node

        for township in report.townships:
            node = item(township)
            node.addChildren([item(v) for v in township.villages])
            self.tree.addTopLevelItem(node)
        total = item(report.total)
        total.setText(0, self.tr("合计"))
        font = total.font(0)
        font.setBold(True)
        for column in range(self.tree.columnCount()):
            total.setFont(column, font)
        self.tree.addTopLevelItem(total)

    def _fill_chart(self, report: ProgressReport) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        lines = [t for t in report.townships if t.has_target]
        previous = QBarSet(self.tr("上周"))
        current = QBarSet(self.tr("本周"))
        previous.setColor(QColor("#9DB4D8"))
        current.setColor(QColor("#1F4E9A"))
        for line in lines:  # whole percents: the label of 130.4 % reads 130, not 1.3e+02
            previous.append(float(round((line.previous_completion or 0) * 100)))
            current.append(float(round((line.completion or 0) * 100)))
        # only this week's bars carry their number: two labels side by side collide on narrow bars
        previous.setLabelColor(QColor(0, 0, 0, 0))
        current.setLabelColor(QColor("#FFFFFF"))
        series = QBarSeries()
        series.append(previous)
        series.append(current)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(6)  # whole numbers up to 999999 are written out, never in e-notation
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideEnd)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([line.name for line in lines] or [""])
        values = QValueAxis()
        top = max([100.0] + [current.at(i) for i in range(current.count())])
        ceiling = (int(top // 20) + 1) * 20
        values.setRange(0, ceiling)
        values.setTickCount(ceiling // 20 + 1)
        values.setLabelFormat("%d%%")
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.chart.setTitle(self.tr("各乡镇完成率（%）"))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)

    def _fill_targets(self) -> None:
        rows = {r["division_code"]: r for r in target_service.list_targets(
            self.workspace, year=self.year.value(), product=self.product.currentData())}
        # a county sets townships' targets; a township (or village) office splits its own down to villages
        longest = 9 if self.workspace.office is None or self.workspace.office.level.value == "county" else 12
        townships = [(code, name) for code, name, _ in list_divisions(self.workspace) if 9 <= len(code) <= longest]
        for code in rows:
            if code not in dict(townships):
                townships.append((code, rows[code]["division_name"]))
        self.target_table.fill(townships, rows)

    def refresh_stats(self) -> None:
        try:
            self.stats = statistics(self.workspace, year=self.year.value(), start_month=self.start_month.value())
        except DomainError as error:
            self.stats_note.setText(error.message(current()))
            return
        payer_names = {"government": self.tr("其中：政府投保"), "self": self.tr("其中：自主投保"),
                       "employer": self.tr("其中：单位投保")}
        rows = [(name, f) for _, name, f in self.stats.by_township] + [(self.tr("合计"), self.stats.total)]
        rows += [(payer_names[payer], f) for payer, f in self.stats.by_payer]
        if len(self.stats.by_product) > 1:
            rows += [(name, f) for _, name, f in self.stats.by_product]
        self.stats_table.setRowCount(len(rows))
        for index, (name, f) in enumerate(rows):
            change = f"{f.shares - f.previous.shares:+,}" if f.previous is not None else ""
            values = [name, f"{f.shares:,}", change, format_fen(f.premium_fen), f"{f.claims_reported:,}",
                      f"{f.claims_paid:,}", format_fen(f.paid_fen), percent(f.loss_ratio), percent(f.fiscal_share),
                      percent(f.coverage_rate), f"{f.persons:,}", f"{f.unpaid_shares:,}"]
            for column, value in enumerate(values):
                self.stats_table.setItem(index, column, QTableWidgetItem(value))
        total = self.stats.total.premium_fen
        share = pick("{}（{}）", "{} ({})")
        levels = pick("、", "; ").join(
            f"{level_label(level, english=english())} " + share.format(format_fen(fen), percent(ratio(fen, total)))
            for level, fen in self.stats.by_level)
        self.stats_levels.setText(self.tr("各级承担的保费：%1").replace("%1", levels or "—"))
        window = self.stats.window
        self.stats_note.setText(self.tr("统计年度：%1 至 %2。保单按保险起期计入年度，只计已缴费（含已拨款）的参保。"
                                        "赔付率 = %3；承保金额即保费（非保额）；覆盖率 = 份数 ÷ 常住人口。")
                                .replace("%1", window.start.isoformat()).replace("%2", window.end.isoformat())
                                .replace("%3", pick(*LOSS_RATIO_BASIS)))

    # -- actions ---------------------------------------------------------------------------------
    def save_targets(self) -> BackgroundOp | None:
        """Write the edited target rows (only rows whose target differs from the stored one), off the
        GUI thread; ``saved_targets`` then says how many. None: a value in the table is wrong."""
        stored = {r["division_code"]: r for r in target_service.list_targets(
            self.workspace, year=self.year.value(), product=self.product.currentData())}
        table = self.target_table
        changed: list[tuple[str, str, dict]] = []
        name = ""
        try:
            for row in range(table.rowCount()):
                code, name = table.item(row, CODE).text(), table.item(row, NAME).text()
                wanted = table.wanted(row)
                if wanted != stored_form(stored.get(code, {})):
                    changed.append((code, name, wanted))
        except DomainError as error:  # the row's name first: the clerk sees which row to put right
            QMessageBox.warning(self, self.tr("不能保存"), f"{name}：{error.message(current())}")
            return None
        workspace, year, product = self.workspace, self.year.value(), self.product.currentData()
        saved: list[str] = []
        at = {"name": ""}

        def job(_progress):
            for code, row_name, wanted in changed:  # one row after the other: a refused row keeps those before it
                at["name"] = row_name
                target_service.set_target(workspace, year=year, product=product, division_code=code, **wanted)
                saved.append(code)
            return len(saved)

        def told(_result=None) -> None:
            self.saved_targets = len(saved)
            self.status.setText(self.tr("已保存 %1 个区划的任务数。").replace("%1", str(len(saved))))
            self.refresh()

        def refused(error: BaseException) -> None:
            told()
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            QMessageBox.warning(self, self.tr("不能保存"), f"{at['name']}：{error.message(current())}")

        return BackgroundOp(self, job, label=self.tr("正在保存…"), cancellable=False).success(told) \
            .failure(refused).run()

    def import_targets(self, path: str | Path | None = None) -> BackgroundOp | None:
        """Read a target table off the GUI thread; ``last_import`` is its result once read."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("导入任务表"), "",
                                                  self.tr("表格 (*.xlsx *.xls *.ods *.csv)"))
            if not path:
                return None
        workspace, year, product = self.workspace, self.year.value(), self.product.currentData()
        return self._import(lambda: target_service.import_targets(workspace, path, year=year, product=product),
                            self._targets_imported)

    def _import(self, job, done) -> BackgroundOp:
        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            self.status.setText(error.message(current()))

        def kept(result) -> None:
            self.last_import = result
            done(result)

        return BackgroundOp(self, lambda _progress: job(), label=self.tr("正在导入…")).success(kept) \
            .failure(refused).run()

    def _targets_imported(self, result) -> None:
        if result.rejected:
            lines = "\n".join(f"{r['row'] or ''} {r['division']}：{r['message']}" for r in result.rejected[:20])
            self.status.setText(self.tr("任务表有 %1 行不能导入，整个文件未导入：").replace(
                "%1", str(len(result.rejected))) + "\n" + lines)
        else:
            self.status.setText(self.tr("已导入 %1 行：政府 %2，自主 %3，单位 %4，合计 %5 份。")
                                .replace("%1", str(result.rows)).replace("%2", str(result.totals["government"]))
                                .replace("%3", str(result.totals["self"]))
                                .replace("%4", str(result.totals["employer"]))
                                .replace("%5", str(result.totals["total"])))
            other = [self.tr("目标户数 %1").replace("%1", str(result.totals["households"]))
                     if "households" in result.totals else "",
                     self.tr("目标人数 %1").replace("%1", str(result.totals["persons"]))
                     if "persons" in result.totals else "",
                     self.tr("按覆盖率 %1 行").replace("%1", str(result.totals["rate_targets"]))
                     if "rate_targets" in result.totals else ""]
            if any(other):
                self.status.setText(self.status.text() + "；" + "，".join(o for o in other if o))
            if result.skipped:
                self.status.setText(self.status.text() + "\n" + self.tr("本库没有的乡镇已跳过：%1").replace(
                    "%1", "、".join(result.skipped)))
        self.refresh()

    def import_population(self, path: str | Path | None = None) -> BackgroundOp | None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("导入常住人口"), "",
                                                  self.tr("表格 (*.xlsx *.xls *.ods *.csv)"))
            if not path:
                return None
        workspace, year = self.workspace, self.year.value()

        def done(result) -> None:
            self.status.setText(self.tr("已导入 %1 个区划的常住人口。").replace("%1", str(result.new + result.updated)))
            self.refresh_stats()

        return self._import(lambda: target_service.import_population(workspace, path, year=year), done)

    def print_bulletin(self, out: str | Path | None = None) -> BackgroundOp | None:
        """Write the week's bulletin in the background; a PDF then opens in the print preview."""
        suffix = self.bulletin_format.currentData()
        year, week, product = self.year.value(), self.week.value(), self.product.currentData()
        if out is None and suffix == ".xlsx":  # a PDF goes to the preview, which saves it where asked
            out, _ = QFileDialog.getSaveFileName(self, self.tr("保存周通报"), f"周通报-{year}-第{week}周.xlsx",
                                                 self.tr("Excel 表格 (*.xlsx)"))
            if not out:
                return None
        target = Path(out) if out else self.output_dir / f"周通报-{year}-第{week}周{suffix}"
        workspace = self.workspace

        def job(_progress):
            return write_bulletin(workspace, year=year, week=week, out=target, product=product)

        self.bulletin_button.setEnabled(False)
        self.status.setText(self.tr("正在生成周通报……"))
        self.op = BackgroundOp(self, job, label=self.tr("正在生成周通报"), cancellable=False)
        self.op.success(self._bulletin_done).failure(self._bulletin_failed).run()
        return self.op

    def _bulletin_done(self, result: dict) -> None:
        self.bulletin_button.setEnabled(True)
        self.last_bulletin = Path(result["path"])
        self.status.setText(self.tr("周通报已生成：%1").replace("%1", result["path"]))
        if self.last_bulletin.suffix == ".pdf":
            from fpdesk.gui.dialogs.print_preview import open_print_preview

            self.preview = open_print_preview(self, self.last_bulletin, title=self.tr("周通报"))

    def _bulletin_failed(self, error: BaseException) -> None:
        self.bulletin_button.setEnabled(True)
        message = error.message(current()) if isinstance(error, DomainError) else str(error)
        self.status.setText(message)
