"""The main window: navigation on the left, the chosen screen on the right, office and database below.

The screens themselves arrive with later work; until then each says what it will do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

SCREENS = (
    ("户籍登记", "登记和查找家庭户、家庭成员。"),
    ("参保登记", "为家庭或个人办理参保、续保，实时判断参保资格。"),
    ("收费与打印", "收取保费、开具收据，打印参保凭证和花名册。"),
    ("理赔", "登记出险、报案和理赔进度（绿色通道）。"),
    ("进度统计", "对照县里下达的任务数统计各乡镇、各村进度，生成周通报。"),
    ("数据交换", "用U盘或邮件向上级报送数据、接收下发的产品和任务。"),
    ("系统设置", "本机单位、用户、语言和字号。"),
)


class MainWindow(QMainWindow):
    """Attributes:
    workspace: the open fpdesk workspace (database + local office).
    """

    def __init__(self, workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle("计生家庭保险登记 fpdesk")
        self.resize(1100, 720)
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(170)
        self.navigation.setObjectName("navigation")
        self.pages = QStackedWidget()
        for title, purpose in SCREENS:
            self.navigation.addItem(title)
            self.pages.addWidget(self._placeholder(title, purpose))
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.navigation.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._fill_status_bar()

    def _placeholder(self, title: str, purpose: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 20pt; font-weight: bold;")
        body = QLabel(purpose + "\n\n（此功能正在开发中。）")
        body.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        return page

    def _fill_status_bar(self) -> None:
        office = self.workspace.office
        office_text = f"本机单位：{office.name}（{office.code}）" if office else "本机单位：尚未设置"
        self.office_label = QLabel(office_text)
        self.database_label = QLabel(f"数据库：{self.workspace.db.display_name}")
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.office_label)
        self.statusBar().addPermanentWidget(self.database_label)
