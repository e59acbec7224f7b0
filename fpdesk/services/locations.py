"""Where data lives by default: the platform's user data folder, unless FPDESK_DB says otherwise."""

from __future__ import annotations

import os
from pathlib import Path


def default_database_location() -> str:
    value = os.environ.get("FPDESK_DB")
    if value:
        return value
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("fpdesk", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "fpdesk.sqlite3")
