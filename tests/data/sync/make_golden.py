"""Write the golden sync package of the current format version (run from the repository root):

    python -m tests.data.sync.make_golden

A county invites a township whose device id and keys come from fixed seeds, so a test can set the
same township up again from the committed invitation and pairing code and import the package.
The package (county -> township: divisions, registrations, the county's printing key) lands in
``tests/data/sync/v<format>/`` with ``golden.json`` (how to set up the recipient, the expected
report). Old versions' folders stay: ``tests/services/test_sync_golden.py`` imports every one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from fpdesk.core import sync_package as fmt

HERE = Path(__file__).parent
COUNTY_DEVICE, TOWNSHIP_DEVICE = "DGOLDENCOUNTY001", "DGOLDENTOWNSHIP1"


def seeded_keys(name: str) -> fmt.DeviceKeys:
    return fmt.DeviceKeys(hashlib.sha256(f"{name} sign".encode()).digest(),
                          hashlib.sha256(f"{name} enc".encode()).digest())


def main() -> None:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.sync.export import export_package
    from fpdesk.services.sync.identity import add_child_office, join_by_invitation
    from fpdesk.services.sync.importer import import_package
    from fpdesk.services.trust.office_keys import signing_key
    from fpdesk.services.workspace import add_division, init_office

    target = HERE / f"v{fmt.FORMAT_VERSION}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    work = Path(tempfile.mkdtemp(prefix="fpdesk-golden-"))
    devices = iter([COUNTY_DEVICE, TOWNSHIP_DEVICE])
    keys = iter([seeded_keys("county"), seeded_keys("township")])
    with mock.patch("fpdesk.services.workspace.new_device_id", lambda: next(devices)), \
            mock.patch.object(fmt, "new_device_keys", lambda: next(keys)):
        county = open_workspace(str(work / "county.sqlite3"), author="县级管理员")
        init_office(county, code="350421", level="county", name="明溪县计生协")
        invitation = add_child_office(county, code="350421200", level="township", name="城关乡计生协",
                                      out=target / "township.invite")
        township = open_workspace(str(work / "township.sqlite3"), author="乡镇管理员")
        join_by_invitation(township, invitation.path, invitation.pairing_code)
    import_package(county, export_package(township, to="350421", out=work).path)
    add_division(county, code="350421200201", name="罗翠村", code_year=2024)
    with county.write() as ctx:
        signing_key(ctx)
    package = export_package(county, to="350421200", out=target).path
    golden_name = "county-to-township.fpsync"
    package.replace(target / golden_name)
    report = import_package(township, target / golden_name)
    (target / "golden.json").write_text(json.dumps({
        "format": fmt.FORMAT_VERSION, "package": golden_name, "invitation": "township.invite",
        "pairing_code": invitation.pairing_code, "device_id": TOWNSHIP_DEVICE, "keys_seed": "township",
        "expected": report.as_dict() | {"package": golden_name},
        "divisions": ["350421", "350421200", "350421200201"],
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    county.close()
    township.close()
    shutil.rmtree(work)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
