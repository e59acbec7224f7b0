"""The user's settings (language, text size, window layout, last screen), kept in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

LANGUAGES = ("zh_CN", "en")
TEXT_SIZES = {"normal": 11, "large": 14, "larger": 17}


class UserSettings:
    """Typed access to QSettings; tests point it at a temporary file."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings("fpdesk", "fpdesk")

    def _get(self, key: str, default):
        value = self.store.value(key, default)
        return default if value is None else value

    @property
    def language(self) -> str:
        value = str(self._get("ui/language", "zh_CN"))
        return value if value in LANGUAGES else "zh_CN"

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("ui/language", value)

    @property
    def text_size(self) -> str:
        value = str(self._get("ui/text_size", "normal"))
        return value if value in TEXT_SIZES else "normal"

    @text_size.setter
    def text_size(self, value: str) -> None:
        self.store.setValue("ui/text_size", value)

    @property
    def point_size(self) -> int:
        return TEXT_SIZES[self.text_size]

    @property
    def last_screen(self) -> int:
        try:
            return int(self._get("ui/last_screen", 0))
        except (TypeError, ValueError):
            return 0

    @last_screen.setter
    def last_screen(self, value: int) -> None:
        self.store.setValue("ui/last_screen", value)

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self.store.value("ui/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self.store.setValue("ui/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self.store.value("ui/state")
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.store.setValue("ui/state", value)

    @property
    def policy_year(self) -> int | None:
        value = self.store.value("work/policy_year")
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    @policy_year.setter
    def policy_year(self, value: int) -> None:
        self.store.setValue("work/policy_year", value)

    @property
    def papers_to(self) -> str:
        """Where an enrollment's receipt and certificate go: "preview", "printer" or "folder"."""
        value = str(self._get("print/papers_to", "preview"))
        return value if value in ("preview", "printer", "folder") else "preview"

    @papers_to.setter
    def papers_to(self, value: str) -> None:
        self.store.setValue("print/papers_to", value)

    @property
    def papers_printer(self) -> str:
        return str(self._get("print/printer", ""))

    @papers_printer.setter
    def papers_printer(self, value: str) -> None:
        self.store.setValue("print/printer", value)

    @property
    def papers_folder(self) -> str:
        return str(self._get("print/folder", ""))

    @papers_folder.setter
    def papers_folder(self, value: str) -> None:
        self.store.setValue("print/folder", value)

    def first_steps_done(self, office_code: str) -> bool:
        """The office's three first steps were dismissed for good ("下次启动不再显示")."""
        return str(self.store.value(f"help/first_steps_done/{office_code}", "")) == "1"

    def set_first_steps_done(self, office_code: str) -> None:
        self.store.setValue(f"help/first_steps_done/{office_code}", "1")

    def sync(self) -> None:
        self.store.sync()
