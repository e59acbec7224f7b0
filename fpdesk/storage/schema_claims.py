"""Targets, population and claims (migration 0004, issue 5).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.
"""

from __future__ import annotations
