"""Where the program's own data folders live, from a source checkout and from a PyInstaller bundle.

Only read-only data that ships with the program is located here (the ``forms/`` definitions, the
guide in ``docs/``);
user data (the database) lives in the user data folder chosen by the CLI/GUI.
"""

from __future__ import annotations

import sys
from pathlib import Path


def program_root() -> Path:
    """The folder holding ``forms/`` and ``resources/``.

    PyInstaller unpacks a one-file bundle into ``sys._MEIPASS`` (a one-folder bundle sets it to the
    bundle folder); from a source checkout it is the repository root, two levels above this package.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def forms_dir() -> Path:
    """``<program root>/forms``: ``products/`` and ``enrollment/`` definitions (a county may work from
    a folder of its own instead: services/product_catalog.set_forms_folder)."""
    return program_root() / "forms"


def resources_dir() -> Path:
    """``<program root>/resources``: fonts, icons, translations, templates."""
    return program_root() / "resources"


def docs_dir() -> Path:
    """``<program root>/docs``: the user guide (用户手册) and its pictures, the glossary."""
    return program_root() / "docs"


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the program root when inside it (forms/products/x.yaml)."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(program_root()).as_posix()
    except ValueError:
        return str(path)


def font_path() -> Path:
    """The CJK TrueType font shipped with fpdesk (WenQuanYi Micro Hei, Apache-2.0)."""
    return resources_dir() / "fonts" / "wqy-microhei.ttc"
