"""Sync benchmark: a county-sized package (the demo generator's persons) exported, checked, imported
and imported again.

    python -m tests.benchmarks.sync [--persons 500000] [--keep DIR]

Without --keep its databases go to a temporary folder, removed at the end.

A township office holds the demo county's households (made by ``fpdesk demo``'s generator) and
sends them up to its county in one package. Each phase runs in its own process so its peak memory
is its own. Export is set beside a bare pipeline over the same change records in the same run:
canonical JSON lines + zstd + XChaCha20-Poly1305 + a sealed file key + one Ed25519 signature, the
primitives the package writer uses (no database, no blocks).
The set-based import (services/sync/newrecords.py) is set beside the per-entry import of the same
package into a copy of the same county, in the same run; the dry run is counted by the joins.
Bars (docs/benchmarks.md): export <= 2.5 x the bare pipeline, import <= 0.5 x the per-entry import, its
dry run <= 0.15 x it; re-import <= 3 s, <= 80 bytes per person on disk, peak memory <= 500 MB.
Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.standing import Standing, report

BARS = {"export_s": 15.0, "dry_run_plus_import_s": 30.0, "reimport_s": 3.0, "bytes_per_person": 80.0,
        "memory_mb": 500.0}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(folder: Path, persons: int) -> dict:
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.sync.export import export_package
    from fpdesk.services.sync.identity import add_child_office, join_by_invitation
    from fpdesk.services.sync.importer import import_package
    from fpdesk.services.workspace import init_office
    county = open_workspace(str(folder / "county.sqlite3"))
    init_office(county, code="350421", level="county", name="明溪县计生协")
    invitation = add_child_office(county, code="350421200", level="township", name="城关乡计生协",
                                  out=folder / "t.invite")
    township = open_workspace(str(folder / "township.sqlite3"))
    join_by_invitation(township, invitation.path, invitation.pairing_code)
    mail = folder / "mail"
    mail.mkdir(exist_ok=True)
    # pair (tiny packages both ways), then copy the county as it is before the big package
    import_package(county, export_package(township, to="350421", out=mail).path)
    import_package(township, export_package(county, to="350421200", out=mail).path)
    started = time.perf_counter()
    load_demo(township, scale="township", persons=persons, seed=4)  # its own villages only: a township sends what it owns
    generated = time.perf_counter() - started
    county.close()
    township.close()
    return {"demo_load_s": round(generated, 1)}


def phase_export(folder: Path) -> dict:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.sync.export import export_package
    township = open_workspace(str(folder / "township.sqlite3"))
    started = time.perf_counter()
    summary = export_package(township, to="350421", out=folder / "mail")
    seconds = time.perf_counter() - started
    memory = round(_peak_mb())  # before the baseline, which holds every record in memory at once
    baseline = _bare_pipeline(township)
    township.close()
    return {"export_s": round(seconds, 2), "package": str(summary.path), "bytes": summary.size,
            "records": summary.records, "by_kind": summary.by_kind, "baseline_s": baseline,
            "export_memory_mb": memory}


def _bare_pipeline(workspace) -> float:
    """The same records through the package's own primitives (fpdesk/core/sync_package.py): canonical
    JSON lines with their SHA-256, zstd, XChaCha20-Poly1305 under a file key sealed to one recipient
    (SealedBox), the payload's SHA-256 and one Ed25519 signature."""
    import hashlib
    import secrets

    import zstandard
    from nacl import bindings
    from nacl.public import PrivateKey, SealedBox
    from nacl.signing import SigningKey
    from sqlalchemy import select

    from fpdesk.core.sync_package import entry_line
    from fpdesk.storage.schema import ChangeEntry

    with workspace.read() as session:
        rows = session.execute(select(ChangeEntry.origin_seq, ChangeEntry.entity, ChangeEntry.record_id,
                                      ChangeEntry.revision, ChangeEntry.operation, ChangeEntry.fields,
                                      ChangeEntry.old_values, ChangeEntry.author, ChangeEntry.at)).all()
    started = time.perf_counter()
    lines = [entry_line(s, e, str(r), v, o, f, old, a, at.isoformat()) for s, e, r, v, o, f, old, a, at in rows]
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
        digest.update(b"\n")
    packed = zstandard.ZstdCompressor(level=3).compress(b"\n".join(lines))
    file_key, nonce = secrets.token_bytes(32), secrets.token_bytes(24)
    sealed = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(packed, None, nonce, file_key)
    SealedBox(PrivateKey.generate().public_key).encrypt(file_key)
    SigningKey.generate().sign(hashlib.sha256(sealed).digest() + digest.digest())
    return round(time.perf_counter() - started, 2)


def phase_import(folder: Path, package: str, *, dry_run: bool, database: str = "county.sqlite3",
                 set_based: bool | None = None) -> dict:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.sync.importer import import_package
    county = open_workspace(str(folder / database))
    started, cpu = time.perf_counter(), time.thread_time()
    report = import_package(county, package, dry_run=dry_run, set_based=set_based)
    seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu
    county.close()
    # the calling thread's CPU: what the job's Python (and its own SQLite calls) took, apart from the
    # statements a writer thread ran beside it and from waiting for the disk
    return {"seconds": round(seconds, 2), "main_thread_cpu_s": round(cpu, 2), "report": report.as_dict(),
            "memory_mb": round(_peak_mb())}


def _child(phase: str, folder: Path, extra: str = "") -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.benchmarks.sync", "--phase", phase, "--folder", str(folder),
                          "--package", extra], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--package", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = {"export": lambda: phase_export(args.folder),
                  "dry_run": lambda: phase_import(args.folder, args.package, dry_run=True),
                  "import": lambda: phase_import(args.folder, args.package, dry_run=False, set_based=True),
                  # today's per-entry import of the same package into a copy of the same county
                  "import_entries": lambda: phase_import(args.folder, args.package, dry_run=False,
                                                         database="county-entries.sqlite3", set_based=False),
                  "reimport": lambda: phase_import(args.folder, args.package, dry_run=False)}[args.phase]()
        print(json.dumps(result, ensure_ascii=False))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fpdesk-sync-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        run(args, folder)
    finally:
        if args.keep is None:  # three databases of a county's size: gigabytes left in /tmp otherwise
            shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    figures = {"persons": args.persons, **prepare(folder, args.persons)}
    exported = _child("export", folder)
    dry = _child("dry_run", folder, exported["package"])
    shutil.copy(folder / "county.sqlite3", folder / "county-entries.sqlite3")
    entries = _child("import_entries", folder, exported["package"])
    applied = _child("import", folder, exported["package"])
    again = _child("reimport", folder, exported["package"])
    figures.update({
        "records": exported["records"], "by_kind": exported["by_kind"], "package_bytes": exported["bytes"],
        "bytes_per_person": round(exported["bytes"] / args.persons, 1),
        "export_s": exported["export_s"], "bare_pipeline_s": exported["baseline_s"],
        "export_to_bare_ratio": round(exported["export_s"] / max(exported["baseline_s"], 0.01), 1),
        "dry_run_s": dry["seconds"], "import_s": applied["seconds"], "per_entry_import_s": entries["seconds"],
        "load_average": os.getloadavg(),
        "dry_run_plus_import_s": round(dry["seconds"] + applied["seconds"], 2), "reimport_s": again["seconds"],
        "records_per_s": {"export": round(exported["records"] / exported["export_s"]),
                          "dry_run": round(exported["records"] / dry["seconds"]),
                          "import": round(exported["records"] / applied["seconds"])},
        "memory_mb": {"export": exported["export_memory_mb"], "dry_run": dry["memory_mb"],
                      "import": applied["memory_mb"], "import_per_entry": entries["memory_mb"],
                      "reimport": again["memory_mb"]},
        "import_report": applied["report"], "reimport_report": again["report"], "bars": BARS,
    })
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    persons = f"{args.persons:,} persons"
    report([
        Standing("sync", f"export, {persons}", exported["export_s"], "s", exported["baseline_s"],
                 "lines + zstd + XChaCha20 + sealed key + sign", "ratio <= 2.5",
                 exported["export_s"] <= 2.5 * exported["baseline_s"]),
        Standing("sync", f"import, {persons}", applied["seconds"], "s", entries["seconds"],
                 "per-entry import, same package and county", "ratio <= 0.50",
                 applied["seconds"] <= 0.5 * entries["seconds"]),
        Standing("sync", f"dry run, {persons}", dry["seconds"], "s", entries["seconds"],
                 "per-entry import, same package and county", "ratio <= 0.15",
                 dry["seconds"] <= 0.15 * entries["seconds"]),
        Standing("sync", f"import, {persons}: CPU of its calling thread", applied["main_thread_cpu_s"], "s",
                 applied["seconds"], "the import's own time", "figure (no bar)", None),
    ])


if __name__ == "__main__":
    main()
