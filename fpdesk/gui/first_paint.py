"""The window painted before the database layer is imported.

Importing SQLAlchemy and the mapped tables is about half of the window's start. When the database
is the plain case storage/first_screen.py reads with sqlite3, the window is built and its first
screenful painted from that read, and the workspace (services/opening.py) is opened right after
the first paint: what the window shows is the same, half a second sooner.

No Qt here: app.py imports this module before PySide6, whose import hook it needs to see unhooked.
"""

from __future__ import annotations

import builtins
import threading
from contextlib import contextmanager

from fpdesk.storage.first_screen import FirstScreen, read_first_screen

FIRST_PAGE = 200  # of a list without text: a screenful on the tallest screen, several on a laptop
FIRST_ROWS = 100  # the rows read with it: the table model's first block (people_table.BLOCK)

# Python's own import function as it was before PySide6 was imported. PySide6 puts its hook in front
# of every later import (it looks in each module for its feature switches), which makes importing
# the database layer after Qt about a third slower (80 ms of CPU here).
_PLAIN_IMPORT = builtins.__import__


def first_screen_of(location: str) -> FirstScreen | None:
    return read_first_screen(location, page_size=FIRST_PAGE, rows_for=FIRST_ROWS)


@contextmanager
def without_qt_import_hook():
    """Imports of modules without Qt (the import-linter contracts keep services and storage so) skip
    PySide6's hook. On the GUI thread only: a worker's imports keep it, as the GUI thread's might
    be of Qt modules meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    hooked = builtins.__import__
    builtins.__import__ = _PLAIN_IMPORT
    try:
        yield
    finally:
        builtins.__import__ = hooked


class OpeningWorkspace:
    """The workspace of a window whose first screen was read with sqlite3: it answers what the window
    asks before its first paint (the office; no accounts exist) and opens the real workspace on
    anything else, once, whichever comes first: the call after the first paint or a use before it
    (a click that came before the paint, a worker thread).

    Every attribute read or written after that is the real workspace's; the window and its
    households screen hold the real one from then on (MainWindow.workspace_opened)."""

    def __init__(self, location: str, first: FirstScreen) -> None:
        object.__setattr__(self, "_location", location)
        object.__setattr__(self, "_first", first)
        object.__setattr__(self, "_workspace", None)
        object.__setattr__(self, "_lock", threading.Lock())

    @property
    def is_open(self) -> bool:
        return self._workspace is not None

    @property
    def office(self):
        return self._first.office if self._workspace is None else self._workspace.office

    @property
    def accounts_exist(self) -> bool:
        return False if self._workspace is None else self._workspace.accounts_exist

    def opened(self):
        """The real workspace, opened now if it is not yet."""
        with self._lock:
            if self._workspace is None:
                with without_qt_import_hook():
                    from fpdesk.services.opening import open_workspace

                    object.__setattr__(self, "_workspace", open_workspace(self._location, encrypted=False))
        return self._workspace

    def __getattr__(self, name: str):  # only for names this class does not have
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.opened(), name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self.opened(), name, value)
