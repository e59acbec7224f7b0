"""Printouts leave nothing behind: receipts and certificates (names, ID numbers, addresses) were left
in the temporary folder after their preview and after the program closed, unencrypted beside an
encrypted database."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from fpdesk.gui.ops import shutdown_workers
from fpdesk.gui.screens.printing import CERTIFICATES, PrintingScreen
from fpdesk.services.printouts import scratch

D = dt.date


@pytest.fixture
def own_temporary_folder(tmp_path, monkeypatch):
    """The system's temporary folder, for this test alone; this process's scratch folder starts anew in it."""
    import tempfile

    folder = tmp_path / "system-temp"
    folder.mkdir()
    scratch.clean_up()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    scratch.clean_up()


@pytest.fixture
def enrolled_village(village_workspace):
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.storage.schema import Household

    with village_workspace.read() as session:
        ids = list(session.scalars(select(Household.id).limit(5)))
    enroll_households_bulk(village_workspace, product="fp_family_accident_100", year=2025, household_ids=ids,
                           on=D(2025, 3, 1), today=D(2025, 3, 1),
                           form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    from fpdesk.services.enrollment.allocations import allocate
    from fpdesk.services.enrollment.status import record_payment
    from fpdesk.storage.schema_enrollment import Enrollment

    # a certificate is proof of cover: the premium is in (cash, or the government's allocation)
    with village_workspace.read() as session:
        self_paid = session.execute(select(Enrollment.id, Enrollment.premium_fen)
                                    .where(Enrollment.payer_type == "self")).all()
    for enrollment_id, premium in self_paid:
        record_payment(village_workspace, enrollment_id, amount_fen=premium, paid_on=D(2025, 3, 5), today=D(2025, 3, 5))
    if len(self_paid) < len(ids):
        allocate(village_workspace, payer="government", voucher_no="城财2025-1", on=D(2025, 3, 5), today=D(2025, 3, 5),
                 product="fp_family_accident_100", year=2025)
    return village_workspace


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != scratch.LOCK_NAME)


def test_a_printout_is_deleted_when_its_preview_closes_and_nothing_else_stays(qtbot, chinese_app, enrolled_village,
                                                                            own_temporary_folder, tmp_path):
    screen = PrintingScreen(enrolled_village, today=D(2025, 3, 5))
    qtbot.addWidget(screen)
    screen.year.setValue(2025)
    screen.kind.setCurrentIndex(screen.kind.findData(CERTIFICATES))
    screen.generate()
    qtbot.waitUntil(lambda: screen.preview is not None, timeout=30000)
    printout = Path(screen.result.path)
    assert printout.is_file() and printout.is_relative_to(own_temporary_folder)
    (tmp_path / "chosen").mkdir()
    copy = screen.preview.save_as(str(tmp_path / "chosen" / "凭证.pdf"))
    screen.preview.close()
    qtbot.waitUntil(lambda: not printout.exists())
    assert copy is not None and copy.is_file()  # the copy the user chose to keep stays where they chose
    assert files_under(own_temporary_folder) == []
    shutdown_workers()


def test_the_program_folder_goes_at_exit_and_a_crashed_programs_at_the_next_start(tmp_path):
    """A child process makes a printout and exits normally; another is killed and leaves its folder:
    the next start sweeps it, and never sweeps a folder of a program still running."""
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=os.pathsep.join(sys.path))
    script = ("import sys, time\nfrom fpdesk.services.printouts import scratch\n"
              "path = scratch.scratch_file('收据.pdf'); path.write_bytes(b'%PDF-1.4 350421198103050052')\n"
              "print(path, flush=True)\n"
              "if sys.argv[1] == 'hang': time.sleep(60)\n")
    normal = subprocess.run([sys.executable, "-c", script, "exit"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert normal.returncode == 0, normal.stderr
    assert not Path(normal.stdout.strip()).parent.exists()  # gone with the program

    running = subprocess.Popen([sys.executable, "-c", script, "hang"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        alive = Path(running.stdout.readline().strip()).parent
        killed = subprocess.Popen([sys.executable, "-c", script, "hang"], env=env, stdout=subprocess.PIPE, text=True)
        crashed = Path(killed.stdout.readline().strip()).parent
        killed.kill()  # a power cut: no exit handler runs
        killed.wait()
        killed.stdout.close()
        old = tmp_path / "fpdesk-receipt-abc123"  # an older version's folder, two days old
        old.mkdir()
        (old / "2025-000001.pdf").write_bytes(b"%PDF")
        os.utime(old, (time.time() - 2 * 86400,) * 2)
        fresh_old = tmp_path / "fpdesk-print-def456"  # an older version maybe still running
        fresh_old.mkdir()
        removed = scratch.sweep_stale(tmp_path)
        assert set(removed) == {crashed, old}
        assert alive.exists() and fresh_old.exists() and not crashed.exists()
    finally:
        running.kill()
        running.wait()
        running.stdout.close()


def test_the_demo_leaves_no_database_behind(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1", "PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path),
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "c"),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-m", "fpdesk", "--demo"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    left = [p for p in tmp_path.iterdir() if p.name.startswith("fpdesk")]
    assert left == []
