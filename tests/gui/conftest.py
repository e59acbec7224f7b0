"""GUI test helpers: screenshots go to FPDESK_SCREENSHOTS (a folder outside git) when it is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def screenshot():
    folder = os.environ.get("FPDESK_SCREENSHOTS")

    def grab(widget, name: str) -> Path | None:
        if not folder:
            return None
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(path))
        return path

    return grab
