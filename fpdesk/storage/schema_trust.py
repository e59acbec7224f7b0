"""Users, the audit chain and consent (migration 0005, issue 6).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.
"""

from __future__ import annotations
