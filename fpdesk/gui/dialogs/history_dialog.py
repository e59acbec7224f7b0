"""修改历史: every change of a household and its members — who, when, which fields, old → new value.

ID and phone numbers are masked unless the user's role may see them in full (services/trust/audit.py).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui.widgets.dialog_parts import fill_table, read_only_table
from fpdesk.gui.widgets.field_values import NAMED_IDS, field_label, field_value
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.trust.audit import history, record_labels

OPERATIONS = {"insert": QT_TRANSLATE_NOOP("HistoryDialog", "新建"), "update": QT_TRANSLATE_NOOP("HistoryDialog", "修改"),
              "delete": QT_TRANSLATE_NOOP("HistoryDialog", "删除"),
              "resolve": QT_TRANSLATE_NOOP("HistoryDialog", "处理冲突")}  # a reviewer's decision (sync/conflicts.py)

HIDDEN = frozenset({"name_initials", "name_pinyin"})  # derived from the name; ids say nothing to a person


def describe(fields: dict | None, old: dict | None, entity: str = "", labels: dict[str, str] | None = None) -> str:
    """``labels``: names of the divisions and households the change names (a move shows as one)."""
    old = old or {}
    parts = []
    for key, value in (fields or {}).items():
        if key in HIDDEN or (key.endswith("_id") and key not in NAMED_IDS):
            continue
        if key in NAMED_IDS and not any(str(v) in (labels or {}) for v in (value, old.get(key))):
            continue  # a record no longer here: an id says nothing to a person
        if key == "household_id" and key not in old:
            continue  # a member entered into the household whose history this is; moves are shown
        label = field_label(key)
        shown = field_value(value, key, entity, labels)
        parts.append(f"{label}: {field_value(old[key], key, entity, labels)} → {shown}" if key in old
                     else f"{label}: {shown}")
    return "；".join(parts)


def named_ids(entries) -> set:
    """The division and household ids the entries name, to look their names up at once."""
    return {values[key] for entry in entries for values in (entry.fields or {}, entry.old_values or {})
            for key in NAMED_IDS if values.get(key)}


class HistoryDialog(QDialog):
    """Attributes: table (newest change first), entries (the AuditEntry list shown)."""

    HEADERS = (QT_TRANSLATE_NOOP("HistoryDialog", "时间"), QT_TRANSLATE_NOOP("HistoryDialog", "用户"),
               QT_TRANSLATE_NOOP("HistoryDialog", "记录"), QT_TRANSLATE_NOOP("HistoryDialog", "操作"),
               QT_TRANSLATE_NOOP("HistoryDialog", "修改内容"))

    def __init__(self, workspace, record_id: uuid.UUID, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改历史：{0}").format(title))
        fit_window(self, 900, 480)
        self.entries = history(workspace, record=record_id, include_members=True, limit=1000)
        self.table = read_only_table([self.tr(h) for h in self.HEADERS], whole_rows=False)
        self.table.setWordWrap(True)
        entities = {"household": self.tr("家庭户"), "person": self.tr("人员")}
        labels = record_labels(workspace, named_ids(self.entries))
        fill_table(self.table, [
            (entry.at.strftime("%Y-%m-%d %H:%M:%S"), entry.author, entities.get(entry.entity, entry.entity),
             QCoreApplication.translate("HistoryDialog", OPERATIONS.get(entry.operation, entry.operation)),
             describe(entry.fields, entry.old_values, entry.entity, labels))
            for entry in self.entries])
        self.table.resizeRowsToContents()
        summary = QLabel(self.tr("共 {0} 条修改记录（审计日志，防篡改哈希链）").format(len(self.entries)))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
