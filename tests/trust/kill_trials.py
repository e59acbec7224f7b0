"""Kill trials: SIGKILL a real process at random moments of a job, then check the database.

    python tests/trust/kill_trials.py [--trials N] [--seed S] [--json]

One process imports fpdesk and builds a base database; each trial copies it, forks a child that
opens the copy and runs one job, kills the child with SIGKILL after a random delay within the
job's measured length, and then checks: ``PRAGMA integrity_check`` is ok; the job's footprint is
exactly the one before or the one after a complete run (never a half-applied job); the audit chain
verifies; and the next start works (the database opens and takes a new write).

Jobs are entries of ``JOBS``; a new one (e.g. the sync package import) is one more ``KillJob``.
Exit 0 when every trial held, 1 otherwise. Used by tests/trust/test_kill_trials.py in CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: roster_builders

from roster_builders import person, write_roster
from sqlalchemy import func, select

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.renewal import renew
from fpdesk.services.opening import open_workspace
from fpdesk.services.printouts.data import Selection
from fpdesk.services.printouts.jobs import print_certificates
from fpdesk.services.registry.households import register_household
from fpdesk.services.rosters.importing import import_roster
from fpdesk.services.sync.export import export_package
from fpdesk.services.sync.identity import add_child_office, join_by_invitation
from fpdesk.services.sync.importer import import_package
from fpdesk.services.trust import audit
from fpdesk.services.workspace import Workspace, add_division, init_office
from fpdesk.storage.schema import ChangeEntry, Household, Person
from fpdesk.storage.schema_enrollment import Enrollment
from fpdesk.storage.schema_printing import PrintLog
from fpdesk.storage.schema_sync import SyncPackage
from fpdesk.storage.sqlite_files import integrity_problem

TODAY = dt.date(2026, 1, 5)
# An encrypted database is opened by a user: every opening logs a log-in (entity "access"), which is
# not part of any job's footprint.
_CHANGES = select(func.count()).select_from(ChangeEntry).where(ChangeEntry.entity != "access")
ADMIN = ("admin", "admin-pass-1")  # the encrypted base's administrator; ignored by a plain file


@dataclass(frozen=True)
class KillJob:
    """run(workspace, folder) does the job in the child; footprint(workspace) is what it leaves;
    encrypted: run it on the SQLCipher-encrypted copy of the base."""

    name: str
    run: Callable[[Workspace, Path], object]
    footprint: Callable[[Workspace], tuple]
    files_ok: Callable[[Path], bool] = lambda folder: True
    encrypted: bool = False


def _count(workspace: Workspace, *queries) -> tuple:
    with workspace.read() as session:
        return tuple(session.scalar(q) for q in queries)


def _roster_rows(first: int, households: int, village: str) -> list[list]:
    rows, seq = [], 1
    for h in range(households):
        head = f"户主{first + h}"
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=(first + h) * 37 % 9000)
        rows.append(person(seq, head, make_number("350421", birth, (first + h) % 500 * 2 + 1), "户主", head=head,
                           village=village))
        rows.append(person(seq + 1, f"配偶{first + h}", make_number("350421", birth + dt.timedelta(days=400),
                                                                 (first + h) % 500 * 2), "配偶", head=head,
                           village=village))
        seq += 2
    return rows


def _import_second_roster(workspace: Workspace, folder: Path) -> object:
    return import_roster(workspace, folder / "second.xlsx", year=2024, today=TODAY)


def _renew(workspace: Workspace, folder: Path) -> object:
    return renew(workspace, from_year=2024, to_year=2025, on=dt.date(2025, 3, 1), today=dt.date(2025, 3, 1))


def _print(workspace: Workspace, folder: Path) -> object:
    return print_certificates(workspace, out=folder / "certificates.pdf", selection=Selection(year=2024))


def _import_package(workspace: Workspace, folder: Path) -> object:
    return import_package(workspace, folder / "village-package.fpsync")


def _pdf_whole_or_absent(folder: Path) -> bool:
    pdf = folder / "certificates.pdf"
    return not pdf.exists() or pdf.read_bytes().rstrip().endswith(b"%%EOF")


JOBS: dict[str, KillJob] = {
    "roster_import": KillJob("roster_import", _import_second_roster, lambda ws: _count(
        ws, select(func.count()).select_from(Person), select(func.count()).select_from(Household),
        select(func.count()).select_from(Enrollment), _CHANGES)),
    "bulk_renewal": KillJob("bulk_renewal", _renew, lambda ws: _count(
        ws, select(func.count()).select_from(Enrollment).where(Enrollment.policy_year == 2025),
        _CHANGES)),
    "batch_print": KillJob("batch_print", _print, lambda ws: _count(
        ws, select(func.count()).select_from(PrintLog), _CHANGES),
        _pdf_whole_or_absent),
    "package_import": KillJob("package_import", _import_package, lambda ws: _count(
        ws, select(func.count()).select_from(Person), select(func.count()).select_from(Household),
        select(func.count()).select_from(SyncPackage), _CHANGES)),
}
_ROSTER_FOOTPRINT = JOBS["roster_import"].footprint
JOBS["roster_import_encrypted"] = KillJob("roster_import_encrypted", _import_second_roster, _ROSTER_FOOTPRINT,
                                          encrypted=True)


def build_base(folder: Path, households: int = 120) -> Path:
    """A township with two villages, a 2024 roster imported, and a second roster ready to import."""
    location = folder / "base.sqlite3"
    workspace = open_workspace(str(location), credentials=ADMIN)
    init_office(workspace, code="350421200", level="township", name="城关乡计生协")
    add_division(workspace, code="350421200201", name="罗翠村", code_year=2024)
    add_division(workspace, code="350421200202", name="城东村", code_year=2024)
    first = write_roster(folder / "first.xlsx", _roster_rows(0, households, "罗翠村"))
    import_roster(workspace, first, year=2024, today=TODAY)
    with workspace.read() as session:  # paid enrollments are what a renewal renews
        enrollments = session.execute(select(Enrollment.id, Enrollment.payer_type)).all()
    for enrollment_id, payer in enrollments:  # the families' cash; the government's by one allocation
        if payer == "self":
            owed = status.enrollment_details(workspace, enrollment_id)["premium_fen"]
            status.record_payment(workspace, enrollment_id, amount_fen=owed, paid_on=dt.date(2024, 5, 1),
                                  today=TODAY)
    if any(payer != "self" for _, payer in enrollments):
        from fpdesk.services.enrollment.allocations import allocate

        allocate(workspace, payer="government", voucher_no="城财2024-1", on=dt.date(2024, 5, 1), today=TODAY,
                 product="fp_family_accident_100", year=2024)
    write_roster(folder / "second.xlsx", _roster_rows(1000, households, "城东村"))
    _village_package(workspace, folder, households)
    workspace.close()
    _checkpoint(location)
    return location


def _village_package(township: Workspace, folder: Path, households: int) -> None:
    """A village paired with the township (both ways), then a package of its new households to import."""
    mail = folder / "mail"
    mail.mkdir(exist_ok=True)
    invitation = add_child_office(township, code="350421200201", level="village", name="罗翠村计生协",
                                  out=folder / "village.invite")
    village = open_workspace(str(folder / "village.sqlite3"))
    join_by_invitation(village, invitation.path, invitation.pairing_code)
    import_package(township, export_package(village, to="350421200", out=mail).path)
    import_package(village, export_package(township, to="350421200201", out=mail).path)
    for h in range(households):
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=h * 41 % 9000)
        register_household(village, HouseholdDraft(division_code="350421200201", address=f"{h % 9 + 1}组{h}号"), [
            PersonDraft(f"村民{h}", make_number("350421", birth, 600 + h % 300 * 2 + 1), Relation.HEAD),
            PersonDraft(f"村民配偶{h}", make_number("350421", birth + dt.timedelta(days=500), 600 + h % 300 * 2),
                        Relation.SPOUSE)], today=TODAY)
    export_package(village, to="350421200", out=mail).path.rename(folder / "village-package.fpsync")
    village.close()


def encrypted_copy(base: Path) -> Path:
    """The base with an administrator, encrypted at rest (SQLCipher), its keyring beside it."""
    from fpdesk.services.trust.accounts import add_user
    from fpdesk.services.trust.encryption import enable_encryption

    target = base.with_name("base-encrypted.sqlite3")
    shutil.copyfile(base, target)
    workspace = open_workspace(str(target))
    add_user(workspace, name=ADMIN[0], password=ADMIN[1], role="admin")
    enable_encryption(workspace, ADMIN[1])
    workspace.close()
    return target


def _checkpoint(location: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(location)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


@dataclass
class TrialOutcome:
    job: str
    delay: float
    completed: bool
    footprint: str  # before | after
    problems: list[str] = field(default_factory=list)


def _fresh_copy(base: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    target = folder / "trial.sqlite3"
    shutil.copyfile(base, target)
    keyring = base.with_name(base.name + ".keys")
    if keyring.exists():
        shutil.copyfile(keyring, target.with_name(target.name + ".keys"))
    for name in ("second.xlsx", "village-package.fpsync"):  # the jobs' inputs
        shutil.copyfile(base.parent / name, folder / name)
    return target


def _run_child(job: KillJob, location: Path, folder: Path, delay: float | None) -> bool:
    """Fork; the child runs the job. With a delay, SIGKILL it then. True when it finished on its own."""
    pid = os.fork()
    if pid == 0:  # the child: run the job, leave without any clean-up of the parent's state
        code = 1
        try:
            workspace = open_workspace(str(location), credentials=ADMIN)
            job.run(workspace, folder)
            workspace.close()
            code = 0
        finally:
            os._exit(code)
    if delay is not None:
        deadline = time.perf_counter() + delay
        while time.perf_counter() < deadline:
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
            time.sleep(min(0.005, max(0.0, deadline - time.perf_counter())))
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _footprint(job: KillJob, location: Path) -> tuple:
    workspace = open_workspace(str(location), credentials=ADMIN)
    try:
        return job.footprint(workspace)
    finally:
        workspace.close()


def measure(job: KillJob, base: Path, folder: Path) -> tuple[tuple, tuple, float]:
    """The footprints before and after a complete run, and how long the job takes."""
    location = _fresh_copy(base, folder)
    before = _footprint(job, location)
    started = time.perf_counter()
    if not _run_child(job, location, folder, None):
        raise RuntimeError(f"job {job.name} fails even without a kill")
    took = time.perf_counter() - started
    after = _footprint(job, location)
    if after == before:
        raise RuntimeError(f"job {job.name} changes nothing: a kill trial of it would prove nothing")
    return before, after, took


def trial(job: KillJob, base: Path, folder: Path, delay: float, before: tuple, after: tuple) -> TrialOutcome:
    location = _fresh_copy(base, folder)
    completed = _run_child(job, location, folder, delay)
    outcome = TrialOutcome(job.name, round(delay, 3), completed, "?")
    key = None
    if job.encrypted:  # PRAGMA integrity_check through SQLCipher, with the key the keyring gives the admin
        from fpdesk.storage.encryption import unlock, user_slot

        key = unlock(location, user_slot(ADMIN[0]), ADMIN[1])
    problem = integrity_problem(location, key)
    if problem:
        outcome.problems.append(f"integrity_check: {problem}")
        return outcome
    found = _footprint(job, location)
    outcome.footprint = "after" if found == after else "before" if found == before else f"HALF {found}"
    if found not in (before, after) or (completed and found != after):
        outcome.problems.append(f"footprint {found}, expected {before} or {after}")
    if not job.files_ok(folder):
        outcome.problems.append("output file half written")
    workspace = open_workspace(str(location), credentials=ADMIN)  # the next start
    try:
        verification = audit.verify(workspace)
        if not verification.ok:
            outcome.problems.append(f"audit chain: {verification.reason} at {verification.broken_seq}")
        add_division(workspace, code="350421200299", name="新村", code_year=2024)  # takes a new write
    except Exception as exc:
        outcome.problems.append(f"next start: {exc!r}")
    finally:
        workspace.close()
    return outcome


def run_trials(trials: int, seed: int, jobs: list[str] | None = None) -> dict:
    rng = random.Random(seed)
    chosen = [JOBS[name] for name in (jobs or list(JOBS))]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fpdesk-kill-") as temp:
        root = Path(temp)
        base = build_base(root)
        bases = {False: base, True: encrypted_copy(base) if any(job.encrypted for job in chosen) else base}
        measured = {job.name: measure(job, bases[job.encrypted], root / "measure") for job in chosen}
        outcomes = []
        for number in range(trials):
            job = chosen[number % len(chosen)]
            before, after, took = measured[job.name]
            outcomes.append(trial(job, bases[job.encrypted], root / "trial", rng.uniform(0.0, took * 1.25), before,
                                  after))
    failures = [vars(o) for o in outcomes if o.problems]
    summary = {
        "trials": len(outcomes),
        "seconds": round(time.perf_counter() - started, 1),
        "job_seconds": {name: round(m[2], 3) for name, m in measured.items()},
        "per_job": {job.name: {kind: sum(1 for o in outcomes if o.job == job.name and o.footprint == kind)
                               for kind in ("before", "after")} for job in chosen},
        "killed_mid_job": sum(1 for o in outcomes if not o.completed),
        "failures": failures,
    }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=51)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--job", action="append", choices=sorted(JOBS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    summary = run_trials(args.trials, args.seed, args.job)
    summary["seed"] = args.seed
    print(json.dumps(summary, ensure_ascii=False, indent=None if args.json else 2))
    return 0 if not summary["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
