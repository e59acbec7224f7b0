"""Reference data the county publishes: its product and enrollment-form definitions (its forms folder).

Before a county exports, the YAML files of its forms folder are compared with what it published
last (by SHA-256); new or changed ones are written as ``product_definition`` changes, which travel
down the chain like every other reference change. Offices below keep the texts as received.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fpdesk.core.ids import new_id
from fpdesk.services.enrollment.product_catalog import county_folder_for_publishing, retire_definitions
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import utc_now
from fpdesk.storage.schema_sync import ProductDefinition

KINDS = {"products": "product", "enrollment": "form"}


def publish_definitions(ctx: WriteContext, folder: Path | None = None) -> int:
    """Log the forms folder's new, changed and removed definitions (default: the county's folder,
    checked whole first, so that a definition that does not read is never sent down); returns how many."""
    root = Path(folder) if folder is not None else county_folder_for_publishing(ctx.session)
    published = 0
    withdrawn = []
    for sub, kind in KINDS.items():
        paths = sorted((root / sub).glob("*.yaml"))
        rows = {row.code: row for row in ctx.session.scalars(
            select(ProductDefinition).where(ProductDefinition.kind == kind))}
        for code in sorted(set(rows) - {path.stem for path in paths}):  # the county no longer offers it
            row = rows.pop(code)
            withdrawn.append((row.kind, row.code, row.sha256, row.content))
            ctx.session.delete(row)
            ctx.recorder.record("product_definition", row.id, "delete", {}, row.revision + 1,
                                {"kind": row.kind, "code": row.code, "sha256": row.sha256})
            published += 1
        ctx.session.flush()
        for path in paths:
            content = path.read_text(encoding="utf-8")
            digest = hashlib.sha256(content.encode()).hexdigest()
            row = rows.get(path.stem)
            if row is None:
                row = ProductDefinition(id=new_id(), kind=kind, code=path.stem, sha256=digest, content=content,
                                        revision=1)
                ctx.session.add(row)
                ctx.session.flush()
                ctx.recorder.record("product_definition", row.id, "insert",
                                    {"kind": kind, "code": path.stem, "sha256": digest, "content": content}, 1)
            elif row.sha256 != digest:
                old = {"sha256": row.sha256, "content": row.content}
                row.sha256, row.content, row.revision, row.updated_at = digest, content, row.revision + 1, utc_now()
                ctx.recorder.record("product_definition", row.id, "update", {"sha256": digest, "content": content},
                                    row.revision, old)
            else:
                continue
            published += 1
    retire_definitions(ctx, withdrawn, replace_kept=False)  # kept for the enrollments in them
    return published


def received_definitions(workspace: Workspace) -> list[dict[str, Any]]:
    with workspace.read() as session:
        return [{"kind": r.kind, "code": r.code, "sha256": r.sha256, "revision": r.revision}
                for r in session.scalars(select(ProductDefinition).order_by(ProductDefinition.kind,
                                                                            ProductDefinition.code))]

