"""Files that are whole on disk or absent: flushed to the device before they take their final name.

Windows refuses ``FlushFileBuffers`` (``os.fsync``) on a handle opened for reading only
(PermissionError 13), where Linux allows it; every flush here goes through a handle that may write.
"""

from __future__ import annotations

import os
from pathlib import Path


def flush_to_disk(path: Path) -> None:
    """Push a finished file's data to the device (a handle opened for writing, as Windows requires)."""
    with open(path, "r+b") as handle:
        os.fsync(handle.fileno())


def write_atomically(target: Path, data: bytes, *, suffix: str = ".partial") -> Path:
    """Write ``data`` beside ``target``, flush it, then rename it into place: a reader (or a crash)
    sees the old file or the new one, never half of it."""
    target = Path(target)
    temporary = target.with_name(target.name + suffix)
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
