"""帮助: the user guide (docs/user-guide.zh.md, or .en.md in English) and the first start's three steps.

The guide is the same Markdown file the repository shows, with the pictures build/guide_screenshots.py
made of the real screens (docs/images, made when the bundle is built). Without the pictures (a source
checkout where the script has not run) the text is shown alone, with a line saying how to make them.

A new office (no household registered yet) is shown the three steps that get it working, in the words
of its level: a village registers households, enrolls them and sends its package to the township; a
township invites its villages, imports their packages and prints; a county checks its products,
invites its townships and sets the targets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.language import pick
from fpdesk.core.paths import docs_dir
from fpdesk.gui.window_fit import fit_window


def guide_path(language: str | None = None) -> Path:
    return docs_dir() / pick("user-guide.zh.md", "user-guide.en.md", language)


class GuideDialog(QDialog):
    """Attributes: browser (the guide shown), missing_pictures (pictures the text names that are not there)."""

    def __init__(self, parent: QWidget | None = None, *, anchor: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("用户手册"))
        fit_window(self, 980, 700)
        path = guide_path()
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setSearchPaths([str(path.parent)])
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        self.browser.document().setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        self.missing_pictures = [name for name in _pictures(text) if not (path.parent / name).is_file()]
        self.note = QLabel(self.tr("本手册的插图在打包时生成；从源代码运行时请先执行 python build/guide_screenshots.py。"))
        self.note.setWordWrap(True)
        self.note.setVisible(bool(self.missing_pictures))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._fitted_width = 0
        if anchor:
            self.browser.scrollToAnchor(anchor)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_pictures()
        self.browser.verticalScrollBar().setValue(0)  # the guide opens at its beginning

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_pictures()

    def _fit_pictures(self) -> None:
        """Pictures of whole windows are as wide as the laptop screen: shown at most as wide as the text."""
        width = self.browser.viewport().width() - 2 * int(self.browser.document().documentMargin()) - 8
        if width <= 0 or width == self._fitted_width:
            return
        self._fitted_width = width
        document = self.browser.document()
        cursor = QTextCursor(document)
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                picture = fragment.charFormat().toImageFormat()
                if fragment.isValid() and picture.isValid():
                    size = _picture_size(document, picture.name())
                    if size is not None:
                        scale = min(1.0, width / size[0])
                        picture.setWidth(size[0] * scale)
                        picture.setHeight(size[1] * scale)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(picture)
                iterator += 1
            block = block.next()


def _picture_size(document: QTextDocument, name: str) -> tuple[int, int] | None:
    """The size of a picture the document shows (a browser keeps it as bytes, a pixmap or an image)."""
    resource = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
    if isinstance(resource, QByteArray | bytes):
        resource = QImage.fromData(resource)
    if resource is None or not hasattr(resource, "isNull") or resource.isNull():
        return None
    return resource.width(), resource.height()


def _pictures(markdown: str) -> list[str]:
    import re

    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown)


class FirstStepsDialog(QDialog):
    """The three steps of a new office; each button goes where the step is done.

    Signals carry the screen index or the action's name for the main window to act on."""

    go_to = Signal(str)  # "households", "import_roster", "enrollment", "exchange", "progress", "printing"

    def __init__(self, workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("开始使用：三步"))
        fit_window(self, 720, 480)
        office = workspace.office
        level = office.level if office is not None else "village"
        heading = QLabel(self.tr("欢迎！本机单位：{0}。做好下面三步，就可以开始工作了。").format(
            office.name if office is not None else ""))
        heading.setWordWrap(True)
        heading.setObjectName("subheading")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        self.step_buttons: list[QPushButton] = []
        for number, (text, button_text, target) in enumerate(self._steps(level), start=1):
            line = QHBoxLayout()
            label = QLabel(f"<b>{number}.</b> {text}")
            label.setWordWrap(True)
            button = QPushButton(button_text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, target=target: self._go(target))
            line.addWidget(label, 1)
            line.addWidget(button)
            layout.addLayout(line)
            self.step_buttons.append(button)
        self.guide_button = QPushButton(self.tr("打开用户手册 (F1)"))
        self.guide_button.clicked.connect(lambda: self._go("guide"))
        self.dont_show = QCheckBox(self.tr("下次启动不再显示（可在“帮助”菜单再打开）"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.guide_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addStretch(1)
        layout.addWidget(self.dont_show)
        layout.addLayout(bottom)

    def _steps(self, level: str) -> list[tuple[str, str, str]]:
        if level == "county":
            return [
                (self.tr("核对险种：在“数据交换”里看本县使用的险种定义（产品定义目录）。"), self.tr("数据交换"), "exchange"),
                (self.tr("登记下级单位：为每个乡镇生成邀请文件和配对码，交给乡镇。"), self.tr("数据交换"), "exchange"),
                (self.tr("下达任务数：在“进度统计”的任务表里填写或导入各乡镇的任务数。"), self.tr("进度统计"), "progress"),
            ]
        if level == "township":
            return [
                (self.tr("与县里配对：用县里给的邀请文件加入，再登记本乡镇的各个村。"), self.tr("数据交换"), "exchange"),
                (self.tr("收齐户籍：导入村里交来的数据包，或导入户籍名册（Excel）。"), self.tr("导入名册…"),
                 "import_roster"),
                (self.tr("参保、收费、打印：核对参保名单，打印参保凭证和花名册。"), self.tr("收费与打印"), "printing"),
            ]
        return [
            (self.tr("登记户籍：导入村里已有的户籍名册（Excel），或逐户新建家庭户（Ctrl+N）。"), self.tr("导入名册…"),
             "import_roster"),
            (self.tr("参保登记：选户、勾选参保人、填写告知事项，按 Ctrl+Enter 登记、收费并出单。"), self.tr("参保登记"), "enrollment"),
            (self.tr("交给乡镇：用乡镇给的邀请文件加入，然后导出数据包（U盘或邮件）。"), self.tr("数据交换"), "exchange"),
        ]

    def _go(self, target: str) -> None:
        self.go_to.emit(target)
        self.accept()
