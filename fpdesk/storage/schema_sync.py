"""Offices, sync packages, conflicts and duplicate reviews (migration 0006, issue 4).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.
"""

from __future__ import annotations
