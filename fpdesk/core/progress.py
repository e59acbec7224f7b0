"""The progress protocol: a plain callback with cancel, rendered by the GUI or the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised inside a job when the user pressed Cancel; the job's transaction rolls back."""


@dataclass
class Progress:
    """Report ``done`` of ``total`` steps; ``check()`` raises Cancelled once cancel was asked."""

    callback: Callable[[int, int, str], None] | None = None
    cancel_requested: Callable[[], bool] | None = None

    def update(self, done: int, total: int, label: str = "") -> None:
        if self.callback:
            self.callback(done, total, label)
        self.check()

    def check(self) -> None:
        if self.cancel_requested and self.cancel_requested():
            raise Cancelled()


NO_PROGRESS = Progress()
