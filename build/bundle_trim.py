"""The mechanics behind ``packaging.spec``'s trimming; the spec holds the policy (what to keep and why).

PyInstaller's Qt hooks collect every plugin and translation that belongs to a Qt module, and then the
shared libraries those plugins link. :class:`TrimRules` decides which collected files stay;
:func:`prune_orphans` then removes the libraries that only the dropped files needed.
"""

from __future__ import annotations

import fnmatch
import os
import re
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass

# A PyInstaller TOC entry: (path inside the bundle, source path or symlink target, typecode).
Entry = tuple[str, str, str]
LIBRARY_TYPECODES = ("BINARY", "EXTENSION")


@dataclass(frozen=True)
class TrimRules:
    """Which collected files stay in the bundle.

    Attributes:
        plugins_kept: Qt plugin folder → plugin names kept (file name without ``lib`` and extension),
            or None to keep the whole folder; folders not listed are dropped.
        translations_kept: file names of the Qt ``.qm`` files kept; every other one is dropped.
        dropped_libraries: ``fnmatch`` patterns on lower-cased file names, dropped wherever they are.
        dropped_qt_dirs: folders under ``PySide6/`` whose contents are dropped (``qml``, ...).
    """

    plugins_kept: dict[str, frozenset[str] | None]
    translations_kept: frozenset[str]
    dropped_libraries: tuple[str, ...]
    dropped_qt_dirs: tuple[str, ...]

    def keeps(self, dest: str) -> bool:
        path = dest.replace("\\", "/")
        name = path.rsplit("/", 1)[-1]
        lower = name.lower()
        if any(fnmatch.fnmatch(lower, pattern) for pattern in self.dropped_libraries):
            return False
        if not path.startswith("PySide6/"):
            return True
        plugin = re.search(r"/plugins/([^/]+)/([^/]+)$", path)
        if plugin:
            kept = self.plugins_kept.get(plugin.group(1), frozenset())
            return kept is None or plugin_name(plugin.group(2)) in kept
        if lower.endswith(".qm"):
            return name in self.translations_kept
        return not any(part in self.dropped_qt_dirs for part in path.split("/")[1:-1])

    def split(self, entries: Iterable[Entry]) -> tuple[list[Entry], list[Entry]]:
        """``(kept, dropped)``."""
        kept: list[Entry] = []
        dropped: list[Entry] = []
        for entry in entries:
            (kept if self.keeps(entry[0]) else dropped).append(entry)
        return kept, dropped


def plugin_name(file_name: str) -> str:
    """``libqxcb.so`` → ``qxcb``; ``qwindows.dll`` → ``qwindows``; ``libqcocoa.dylib`` → ``qcocoa``."""
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def library_key(path: str) -> str:
    return os.path.basename(path.replace("\\", "/")).lower()


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED names of an ELF file: its direct dependencies (``ldd`` lists transitive ones)."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] != b"\x7fELF":
        return []
    is_64 = data[4] == 2
    order = "<" if data[5] == 1 else ">"
    if is_64:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
        section_format, dyn_format = order + "IIQQQQIIQQ", order + "qQ"
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
        section_format, dyn_format = order + "IIIIIIIIII", order + "iI"
    sections = [struct.unpack_from(section_format, data, shoff + index * shentsize) for index in range(shnum)]
    names: list[str] = []
    for section in sections:
        if section[1] != 6:  # SHT_DYNAMIC
            continue
        offset, size, link = section[4], section[5], section[6]
        strtab_offset = sections[link][4]
        step = struct.calcsize(dyn_format)
        for position in range(offset, offset + size, step):
            tag, value = struct.unpack_from(dyn_format, data, position)
            if tag == 0:  # DT_NULL
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab_offset + value)
                names.append(data[strtab_offset + value:end].decode("utf-8", "replace"))
    return names


def direct_imports(path: str) -> list[str]:
    """Lower-cased file names of the libraries ``path`` links directly."""
    if sys.platform.startswith("linux"):
        return [name.lower() for name in elf_needed(path)]
    from PyInstaller.depend.bindepend import get_imports  # pefile on Windows, macholib on macOS

    return [library_key(resolved or name) for name, resolved in get_imports(path)]


def prune_orphans(kept: list[Entry], dropped: list[Entry]) -> tuple[list[Entry], list[str]]:
    """Remove from ``kept`` the libraries that only ``dropped`` files needed; returns (kept, pruned names).

    A library goes when a dropped file links it (directly or through other libraries) and no kept file
    does. Libraries nothing links to (loaded with ctypes or dlopen) are never touched.
    """
    libraries = {library_key(dest): src for dest, src, typecode in kept if typecode in LIBRARY_TYPECODES}
    imports: dict[str, list[str]] = {}

    def closure(sources: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(sources)
        while stack:
            source = stack.pop()
            if source not in imports:
                try:
                    imports[source] = direct_imports(source)
                except (OSError, ValueError, struct.error) as error:
                    print(f"fpdesk bundle: cannot read the imports of {source}: {error}")
                    imports[source] = []
            for key in imports[source]:
                if key in libraries and key not in seen:
                    seen.add(key)
                    stack.append(libraries[key])
        return seen

    only_for_dropped = closure(src for _, src, typecode in dropped if typecode in LIBRARY_TYPECODES)
    roots = [src for dest, src, typecode in kept
             if typecode in LIBRARY_TYPECODES and library_key(dest) not in only_for_dropped]
    orphans = only_for_dropped - closure(roots)
    survivors, pruned = [], set()
    for entry in kept:
        if library_key(entry[0]) in orphans or (entry[2] == "SYMLINK" and library_key(entry[1]) in orphans):
            pruned.add(os.path.basename(entry[0]))
        else:
            survivors.append(entry)
    return survivors, sorted(pruned)
