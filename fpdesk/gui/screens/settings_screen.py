"""系统设置: interface language and text size (for older eyes). Both apply at the next start."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from fpdesk.gui.settings import UserSettings


class SettingsScreen(QWidget):
    def __init__(self, settings: UserSettings, parent=None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.text_size = QComboBox()
        self.text_size.addItem(self.tr("标准"), "normal")
        self.text_size.addItem(self.tr("大字"), "large")
        self.text_size.addItem(self.tr("特大字"), "larger")
        self.text_size.setCurrentIndex(max(self.text_size.findData(settings.text_size), 0))
        self.note = QLabel(self.tr("语言和字号在下次启动时生效。"))
        form = QFormLayout()
        form.addRow(self.tr("界面语言"), self.language)
        form.addRow(self.tr("字号"), self.text_size)
        heading = QLabel(self.tr("系统设置"))
        heading.setObjectName("heading")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(self._save)
        self.text_size.currentIndexChanged.connect(self._save)

    def _save(self) -> None:
        self.settings.language = self.language.currentData()
        self.settings.text_size = self.text_size.currentData()
        self.settings.sync()
