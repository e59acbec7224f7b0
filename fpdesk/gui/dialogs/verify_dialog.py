"""核验: a field a USB barcode scanner types a QR payload into, and the verdict — genuine, altered,
unknown office — offline, from the office keys in the database.

Scanners in keyboard mode type ASCII characters and press Enter. With a Chinese input method
active those keystrokes would become pinyin candidates, so the field turns input methods off.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fpdesk.core.language import pick
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.trust.office_keys import ALTERED, GENUINE, UNKNOWN_OFFICE, Verification, verify_payload

COLOURS = {GENUINE: "#1b7f3b", ALTERED: "#b00020", UNKNOWN_OFFICE: "#b26a00"}


class VerifyDialog(QDialog):
    """Attributes:
    field: where the scanner types; verdict: the headline; details: what the code states.
    last: the last Verification shown.
    """

    def __init__(self, workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.last: Verification | None = None
        self.setWindowTitle(self.tr("核验凭证二维码"))
        fit_window(self, 640, 320)
        self.field = QLineEdit()
        self.field.setPlaceholderText(self.tr("用扫码枪扫描凭证或花名册上的二维码，或粘贴其内容后按回车"))
        self.field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.field.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhNoPredictiveText)
        self.field.returnPressed.connect(self.check)
        self.check_button = QPushButton(self.tr("核验"))
        self.check_button.clicked.connect(self.check)
        self.verdict = QLabel(self.tr("等待扫码……"))
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("font-size: 16pt;")
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addWidget(self.details, 1)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.field.setFocus()

    def check(self) -> Verification | None:
        text = self.field.text().strip()
        if not text:
            return None
        result = verify_payload(self.workspace, text)
        self.last = result
        self.verdict.setText(pick(result.message_zh, result.message_en))
        self.verdict.setStyleSheet(f"font-size: 16pt; color: {COLOURS.get(result.verdict, '#555')};")
        self.details.setText(self._details(result))
        self.field.selectAll()  # the next scan replaces this one
        return result

    def _details(self, result: Verification) -> str:
        claims = result.claims or {}
        lines = []
        if claims.get("kind") == "C":
            lines.append(self.tr("参保凭证 %1，险种 %2，保险期间 %3 至 %4，户主身份证 %5").replace(
                "%1", str(claims["number"])).replace("%2", str(claims["product"])).replace(
                "%3", str(claims["period_start"])).replace("%4", str(claims["period_end"])).replace(
                "%5", str(claims["holder"] or "—")))
        elif claims.get("kind") == "R":
            lines.append(self.tr("花名册 %1，险种 %2，年度 %3，%4 人").replace("%1", str(claims["number"])).replace(
                "%2", str(claims["product"])).replace("%3", str(claims["year"])).replace("%4", str(claims["persons"])))
        if claims:
            lines.append(self.tr("出具单位代码 %1（密钥 %2）").replace("%1", str(claims["office_code"])).replace(
                "%2", str(claims["key_number"])))
        if result.record and "status_zh" in result.record:
            lines.append(self.tr("本机记录的参保状态：%1").replace(
                "%1", pick(result.record["status_zh"], result.record["status"])))
        return "\n".join(lines)


def open_verify_dialog(parent: QWidget | None, workspace) -> VerifyDialog:
    dialog = VerifyDialog(workspace, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
