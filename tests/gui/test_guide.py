"""帮助: the user guide opens from the menu (F1) in the interface's language, with its pictures of the real
screens; a new office is shown the three steps that get it working."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import QLabel

from fpdesk.core import paths
from fpdesk.gui.dialogs.guide_dialog import FirstStepsDialog, GuideDialog, guide_path
from fpdesk.gui.main_window import MainWindow
from fpdesk.services.opening import open_workspace
from fpdesk.services.workspace import init_office

ROOT = Path(__file__).resolve().parents[2]
PICTURE = re.compile(r"!\[[^\]]*\]\((images/[^)\s]+\.png)\)")


def pictures(language: str) -> list[str]:
    return PICTURE.findall(guide_path(language).read_text(encoding="utf-8"))


def test_both_guides_exist_and_show_the_same_screens():
    zh, en = pictures("zh_CN"), pictures("en")
    assert len(zh) >= 7 and [p.replace(".zh.", ".") for p in zh] == [p.replace(".en.", ".") for p in en]
    assert "用户手册" in guide_path("zh_CN").read_text(encoding="utf-8")


def test_f1_opens_the_guide_from_the_help_menu(qtbot, chinese_app, village_workspace, user_settings):
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助")
    guide_action = next(a for a in help_menu.actions() if a.text() == "用户手册")
    assert guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    guide_action.trigger()
    guide = next(w for w in window.findChildren(GuideDialog))
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    assert "开始使用：三步" in text and "Ctrl+Shift+S" in text
    guide.close()


@pytest.fixture
def docs_copy(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("user-guide.zh.md", "user-guide.en.md"):
        shutil.copy(paths.docs_dir() / name, folder / name)
    monkeypatch.setattr(paths, "docs_dir", lambda: folder)
    monkeypatch.setattr("fpdesk.gui.dialogs.guide_dialog.docs_dir", lambda: folder)
    return folder


def test_the_guide_shows_its_pictures_or_says_how_to_make_them(qtbot, chinese_app, docs_copy):
    without = GuideDialog()
    qtbot.addWidget(without)
    assert without.missing_pictures and without.note.isVisibleTo(without)
    assert "guide_screenshots.py" in without.note.text()
    from PySide6.QtGui import QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkBlue)
    for name in pictures("zh_CN"):
        (docs_copy / name).parent.mkdir(exist_ok=True)
        assert image.save(str(docs_copy / name))
    shown = GuideDialog()
    qtbot.addWidget(shown)
    assert not shown.missing_pictures and not shown.note.isVisibleTo(shown)
    document = shown.browser.document()
    loaded = document.resource(QTextDocument.ResourceType.ImageResource, document.baseUrl().resolved(
        pictures("zh_CN")[0]))
    assert loaded is not None and not loaded.isNull()


def test_a_new_office_is_shown_its_three_steps_until_told_not_to(qtbot, chinese_app, user_settings, tmp_path,
                                                                  village_workspace):
    village = open_workspace(str(tmp_path / "new-village.sqlite3"))
    init_office(village, code="350421200201", level="village", name="罗翠村计生协")
    try:
        window = MainWindow(village, user_settings)
        qtbot.addWidget(window)
        window.show()
        steps = window.show_first_steps_if_new()
        assert isinstance(steps, FirstStepsDialog) and len(steps.step_buttons) == 3
        texts = [label.text() for label in steps.findChildren(QLabel)]
        assert any("登记户籍" in t for t in texts) and any("交给乡镇" in t for t in texts)
        steps.step_buttons[2].click()  # 交给乡镇 -> 数据交换
        assert window.navigation.currentRow() == 5 and not steps.isVisible()
        again = window.show_first_steps_if_new()
        again.dont_show.setChecked(True)
        again.reject()
        assert window.show_first_steps_if_new() is None  # told not to
    finally:
        village.close()
    populated = MainWindow(village_workspace, user_settings)  # an office with households is under way
    qtbot.addWidget(populated)
    assert populated.show_first_steps_if_new() is None


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_pictures_are_taken_from_the_real_screens_by_the_script(tmp_path):
    """build/guide_screenshots.py makes every picture the guides show, at most 1366×768 and small."""
    out = tmp_path / "images"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run([sys.executable, str(ROOT / "build" / "guide_screenshots.py"), "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    named = {Path(p).name for language in ("zh_CN", "en") for p in pictures(language)}
    made = {p.name for p in out.glob("*.png")}
    assert named <= made
    for path in out.glob("*.png"):
        width, height = png_size(path)
        assert width <= 1366 and height <= 768, (path.name, width, height)
        assert path.stat().st_size < 120_000, (path.name, path.stat().st_size)
