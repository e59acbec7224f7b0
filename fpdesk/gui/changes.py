"""One signal for "the data changed" (Anki's operation_did_execute is the model).

Every write the GUI makes runs as a BackgroundOp; when one has committed something, the hub emits
``changes_done(Changes, origin)``: the kinds of records changed (learnt from the change log, see
core/changes.py) and the widget that asked. A screen follows the kinds it shows with
``follow_changes`` and refreshes itself: at once if it is on view, else when next shown. Nobody
wires "after X refresh Y" by hand any more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from fpdesk.core.changes import Changes


class ChangesHub(QObject):
    changes_done = Signal(object, object)  # Changes, the widget whose operation made them (or None)


_hub: ChangesHub | None = None


def changes_hub() -> ChangesHub:
    global _hub
    if _hub is None:
        _hub = ChangesHub()
    return _hub


def announce(changes: Changes, origin: QObject | None = None) -> None:
    if changes:
        changes_hub().changes_done.emit(changes, origin)


class ChangeFollower(QObject):
    """Refreshes ``widget`` (a child of it: it goes when the widget goes).

    Attributes:
        stale: a change came while the widget was hidden; it refreshes when next shown.
    """

    def __init__(self, widget: QWidget, workspace, kinds: Iterable[str], refresh: Callable[[], None], *,
                 skip_own: bool = True) -> None:
        super().__init__(widget)
        self.widget, self.workspace, self.kinds = widget, workspace, frozenset(kinds)
        self.refresh, self.skip_own = refresh, skip_own
        self.stale = False
        changes_hub().changes_done.connect(self._changes_done)
        widget.installEventFilter(self)

    def _changes_done(self, changes: Changes, origin) -> None:
        if self.workspace.db.url not in changes.databases or not changes.touches(self.kinds):
            return
        if self.skip_own and isinstance(origin, QWidget) and (
                origin is self.widget or self.widget.isAncestorOf(origin)):
            return  # the screen that made the change has shown it already
        if self.widget.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched, event) -> bool:
        # getattr: Qt may ask while the Python side is being built or torn down
        if event.type() == QEvent.Type.Show and getattr(self, "stale", False) and watched is self.widget:
            self.stale = False
            self.refresh()
        return False


def follow_changes(widget: QWidget, workspace, kinds: Iterable[str], refresh: Callable[[], None], *,
                   skip_own: bool = True) -> ChangeFollower:
    """Call ``refresh`` when an operation on ``workspace``'s database changed one of ``kinds``
    (core/changes.py), unless ``widget`` itself (or a widget inside it) made the change and
    ``skip_own``: a screen that updates itself after its own save need not read everything again."""
    return ChangeFollower(widget, workspace, kinds, refresh, skip_own=skip_own)
