"""Every committed golden package (tests/data/sync/v<format>/) still imports, on both engines.

The recipient is set up again from the committed invitation and pairing code, with the device id
and keys the generator used (tests/data/sync/make_golden.py)."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from fpdesk.core import sync_package as fmt
from fpdesk.services.opening import open_workspace
from fpdesk.services.sync.identity import join_by_invitation
from fpdesk.services.sync.importer import import_package
from fpdesk.storage.schema import Division
from tests.data.sync.make_golden import seeded_keys

GOLDEN = Path(__file__).parents[1] / "data" / "sync"
VERSIONS = sorted(p for p in GOLDEN.iterdir() if (p / "golden.json").exists())


def test_every_supported_format_has_a_golden_package():
    assert {int(p.name[1:]) for p in VERSIONS} == set(fmt.SUPPORTED_FORMATS)


@pytest.mark.parametrize("folder", VERSIONS, ids=[p.name for p in VERSIONS])
def test_golden_package_imports(folder, db_url):
    golden = json.loads((folder / "golden.json").read_text(encoding="utf-8"))
    workspace = open_workspace(db_url)
    try:
        with mock.patch("fpdesk.services.workspace.new_device_id", lambda: golden["device_id"]), \
                mock.patch.object(fmt, "new_device_keys", lambda: seeded_keys(golden["keys_seed"])):
            join_by_invitation(workspace, folder / golden["invitation"], golden["pairing_code"])
        preview = import_package(workspace, folder / golden["package"], dry_run=True)
        report = import_package(workspace, folder / golden["package"])
        assert preview.as_dict() == report.as_dict() == golden["expected"]
        with workspace.read() as session:
            codes = set(session.scalars(select(Division.code)))
        assert set(golden["divisions"]) <= codes
    finally:
        workspace.close()
