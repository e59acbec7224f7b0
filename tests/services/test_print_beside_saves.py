"""A print job draws with no transaction open: a save on another connection meanwhile goes through,
and a job whose numbers another job took while it drew draws again under the next ones (no gaps).
SQLite only: there one writer holds the whole file, which is what made saves wait for a print."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.changes import collecting
from fpdesk.services.opening import open_workspace
from fpdesk.services.printouts import jobs as printouts
from fpdesk.services.registry import households as hh
from fpdesk.storage.schema import Household
from fpdesk.storage.schema_printing import PrintLog
from tests.services.test_printouts import SEASON, family  # noqa: F401 (a fixture)

D = dt.date


@pytest.fixture
def other(workspace):
    """A second connection to the same file, as a second program (or the GUI beside a CLI print)."""
    if not workspace.db.is_sqlite:
        pytest.skip("SQLite's single writer is what the print job held")
    second = open_workspace(str(workspace.db.file_path), author="clerk")
    yield second
    second.close()


def drawing_calls(monkeypatch, name, during):
    """Run ``during()`` inside the renderer ``name`` of the print service, once, while it draws."""
    real = getattr(printouts, name)
    calls, started = [], []

    def drawing(*args, **kwargs):
        if not started:  # once: ``during`` may print itself, through this same renderer
            started.append(True)
            calls.append(during())
        return real(*args, **kwargs)

    monkeypatch.setattr(printouts, name, drawing)
    return calls


def test_a_save_while_certificates_draw_goes_through(workspace, family, other, monkeypatch, tmp_path):  # noqa: F811
    [household_id] = family.ids("household") or [_household_of(workspace)]

    def save():
        return hh.update_household(other, household_id, address="罗翠村3组9号")

    calls = drawing_calls(monkeypatch, "write_certificates", save)
    result = printouts.print_certificates(workspace, out=tmp_path / "c.pdf", selection=SEASON, today=D(2025, 3, 5))
    assert calls and calls[0].primary_id == household_id  # the save was not refused as db_busy
    assert result.numbers == ["350421200-2025-000001"]
    with workspace.read() as session:
        assert session.get(Household, household_id).address == "罗翠村3组9号"
        assert session.scalars(select(PrintLog.number)).all() == ["350421200-2025-000001"]


def test_a_job_overtaken_while_it_draws_draws_again_under_the_next_number(workspace, family, other,  # noqa: F811
                                                                         monkeypatch, tmp_path):
    def print_elsewhere():
        return printouts.print_roster(other, out=tmp_path / "other.pdf", selection=SEASON)

    calls = drawing_calls(monkeypatch, "write_roster", print_elsewhere)
    with collecting() as collector:
        mine = printouts.print_roster(workspace, out=tmp_path / "mine.pdf", selection=SEASON)
    [theirs] = calls
    assert theirs.numbers == ["350421200-2025-000001"]
    assert mine.numbers == ["350421200-2025-000002"]  # drawn again: the first drawing's number was taken
    assert (tmp_path / "mine.pdf").exists() and not list(tmp_path.glob(".*.partial"))
    with workspace.read() as session:
        assert sorted(session.scalars(select(PrintLog.number))) == [
            "350421200-2025-000001", "350421200-2025-000002"]
    assert "print_log" in collector.changes.entities


def test_a_receipt_printed_elsewhere_while_drawing_is_then_a_reprint(workspace, family, other,  # noqa: F811
                                                                     monkeypatch, tmp_path):
    def print_elsewhere():
        return printouts.print_receipts(other, out=tmp_path / "other.pdf", selection=SEASON)

    calls = drawing_calls(monkeypatch, "write_receipts", print_elsewhere)
    mine = printouts.print_receipts(workspace, out=tmp_path / "mine.pdf", selection=SEASON)
    assert (calls[0].reprints, mine.reprints) == (0, 1)


def _household_of(workspace):
    with workspace.read() as session:
        return session.scalar(select(Household.id))
