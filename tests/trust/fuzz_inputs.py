"""Fuzzing the file readers with mutated real files: every case must be read or cleanly refused.

    python tests/trust/fuzz_inputs.py [--cases N] [--seed S] [--target NAME] [--keep DIR] [--json]

A case takes a real seed file (the committed roster fixtures), mutates it (flipped bytes, cuts,
inserted junk, and — inside zip containers — mutated XML parts re-packed so the damage gets past the
zip checksums) and feeds it to a target. A DomainError is a clean refusal; any other exception is a
crash, reported with the mutation and (with --keep) the input saved for replay.

Targets are entries of ``TARGETS``: a seed list and a function taking a path. The sync package
reader is one more ``FuzzTarget``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(1, str(TESTS.parent))  # tests.data.sync (golden packages) as the test suite imports it

from fpdesk.core.errors import DomainError  # noqa: E402

ROSTERS = TESTS / "data" / "rosters"


@dataclass
class FuzzTarget:
    """seeds(): real files to mutate; check(path, context): read the file (raise DomainError to refuse)."""

    name: str
    seeds: Callable[[Path], list[Path]]
    check: Callable[[Path, dict], object]
    setup: Callable[[Path], dict] = lambda folder: {}


def _roster_seeds(folder: Path) -> list[Path]:
    from roster_builders import good_rows, write_roster

    made = write_roster(folder / "seed_built.xlsx", good_rows())
    csv_seed = folder / "seed.csv"
    csv_seed.write_text("序号,乡镇,村,户主姓名,姓名,身份证号码,与户主关系,险种\n"
                        "1,城关乡,罗翠村,张三,张三,350421198001010017,户主,fp_family_accident_100\n", encoding="utf-8")
    return [p for p in sorted(ROSTERS.iterdir()) if p.suffix in (".xlsx", ".xls", ".ods")] + [made, csv_seed]


def _read_roster(path: Path, context: dict) -> object:
    """The reader over every sheet and row, then the import's dry run against a real database."""
    from fpdesk.excel.reader import open_roster
    from fpdesk.services.rosters.importing import import_roster

    book = open_roster(path)
    for name in book.sheet_names:
        for _ in book.rows(name):
            pass
    return import_roster(context["workspace"], path, year=2024, dry_run=True, today=dt.date(2026, 1, 5),
                         remember=False)


def _roster_setup(folder: Path) -> dict:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import add_division, init_office
    workspace = open_workspace(str(folder / "fuzz.sqlite3"))
    init_office(workspace, code="350421200", level="township", name="城关乡计生协")
    add_division(workspace, code="350421200201", name="罗翠村", code_year=2024)
    add_division(workspace, code="350421200202", name="城东村", code_year=2024)
    return {"workspace": workspace}


GOLDEN_PACKAGES = TESTS / "data" / "sync" / "v1"


def _package_seeds(folder: Path) -> list[Path]:
    return sorted(GOLDEN_PACKAGES.glob("*.fpsync"))


def _package_setup(folder: Path) -> dict:
    """The township the golden package is addressed to, set up from its committed invitation."""
    from unittest import mock

    from fpdesk.core import sync_package as fmt
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.sync.identity import join_by_invitation
    from tests.data.sync.make_golden import seeded_keys

    golden = json.loads((GOLDEN_PACKAGES / "golden.json").read_text(encoding="utf-8"))
    workspace = open_workspace(str(folder / "fuzz-township.sqlite3"))
    with mock.patch("fpdesk.services.workspace.new_device_id", lambda: golden["device_id"]), \
            mock.patch.object(fmt, "new_device_keys", lambda: seeded_keys(golden["keys_seed"])):
        join_by_invitation(workspace, GOLDEN_PACKAGES / golden["invitation"], golden["pairing_code"])
    return {"workspace": workspace}


def _read_package(path: Path, context: dict) -> object:
    """Verify and dry-run a package: anything but a clean refusal or a clean report is a crash."""
    from fpdesk.services.sync.importer import import_package

    return import_package(context["workspace"], path, dry_run=True)


TARGETS: dict[str, FuzzTarget] = {
    "roster": FuzzTarget("roster", _roster_seeds, _read_roster, _roster_setup),
    "package": FuzzTarget("package", _package_seeds, _read_package, _package_setup),
}


# -- mutations -------------------------------------------------------------------------------------

def _flip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    buffer = bytearray(data)
    count = rng.randint(1, 12)
    for _ in range(count):
        buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    return bytes(buffer), f"flip {count} bytes"


def _cut(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at], f"truncate at {at}/{len(data)}"


def _insert(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    junk = rng.choice([bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))), b"\x00" * 1000,
                       "中文，\"引号\"\n".encode() * 20, b"9" * 400, b"<row r=\"99999999\">"])
    return data[:at] + junk + data[at:], f"insert {len(junk)} bytes at {at}"


def _splice_chunk(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 512))
    if rng.random() < 0.5:
        return data[:start] + data[end:], f"delete {start}:{end}"
    return data[:end] + data[start:end] * rng.randint(2, 20) + data[end:], f"repeat {start}:{end}"


_XML_SWAPS = [(b'r="', b'r="Z'), (b"<c ", b"<c t=\"s\" "), (b"<v>", b"<v>99999999"), (b't="s"', b't="e"'),
              (b"</row>", b""), (b"<sheetData>", b"<sheetData><row>"), (b"count=\"", b"count=\"-"),
              (b"<v>", b"<v>-1e308"), (b"ref=\"", b"ref=\"XFD1048576:"), (b"<si>", b"<si><si>")]


def _zip_member(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Mutate one part inside a zip container and re-pack it (past the zip CRCs)."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        members = [(info, source.read(info)) for info in source.infolist()]
    except Exception:
        return _flip(data, rng)
    index = rng.randrange(len(members))
    info, content = members[index]
    if content and rng.random() < 0.6:
        before, after = rng.choice(_XML_SWAPS)
        if before in content:
            content = content.replace(before, after, rng.randint(1, 3))
            how = f"{info.filename}: {before!r}→{after!r}"
        else:
            content, how = _cut(content, rng)
            how = f"{info.filename}: {how}"
    elif content:
        content, how = rng.choice([_flip, _cut, _splice_chunk])(content, rng)
        how = f"{info.filename}: {how}"
    else:
        how = f"{info.filename}: dropped"
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as packed:
        for i, (member, body) in enumerate(members):
            if i == index:
                if how.endswith("dropped") or rng.random() < 0.05:
                    continue
                body = content
            packed.writestr(member.filename, body)
    return output.getvalue(), how


class _Worker:
    """A forked child that runs cases one after another (in-process speed); when a native abort kills it,
    the case is counted as a crash and a fresh child takes over."""

    def __init__(self, target: FuzzTarget, context: dict) -> None:
        self.target, self.context, self.pid = target, context, 0

    def _start(self) -> None:
        to_child, self._child_in = os.pipe()
        self._parent_in, from_child = os.pipe()
        if "workspace" in self.context:  # never share SQLite connections across fork
            self.context["workspace"].db.engine.dispose(close=False)
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._child_in)
            os.close(self._parent_in)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # native readers print panics to stderr
            self._serve(os.fdopen(to_child, "r"), os.fdopen(from_child, "w"))
        os.close(to_child)
        os.close(from_child)
        self.send = os.fdopen(self._child_in, "w")
        self.receive = os.fdopen(self._parent_in, "r")

    def _serve(self, requests, replies) -> None:
        for line in requests:
            try:
                self.target.check(Path(line.strip()), self.context)
                result = {"kind": "accepted"}
            except DomainError as error:
                result = {"kind": "refused", "code": error.code}
            except BaseException as exc:
                result = {"kind": "crash", "error": repr(exc)[:300],
                          "where": traceback.format_exc().strip().splitlines()[-3][:300]}
            replies.write(json.dumps(result) + "\n")
            replies.flush()
        os._exit(0)

    def run(self, case: Path) -> dict:
        if not self.pid:
            self._start()
        self.send.write(f"{case}\n")
        self.send.flush()
        line = self.receive.readline()
        if line:
            return json.loads(line)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        self.send.close()
        self.receive.close()
        return {"kind": "crash", "error": f"the process died (signal {os.WTERMSIG(status)})"
                if os.WIFSIGNALED(status) else f"the process exited with {os.WEXITSTATUS(status)}"}

    def stop(self) -> None:
        if self.pid:
            self.send.close()
            os.waitpid(self.pid, 0)
            self.receive.close()
            self.pid = 0


MUTATIONS = [_flip, _cut, _insert, _splice_chunk, _zip_member, _zip_member, _zip_member]


@dataclass
class FuzzSummary:
    cases: int = 0
    accepted: int = 0
    refused: int = 0
    crashes: list[dict] = field(default_factory=list)
    refusal_codes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    slowest_seconds: float = 0.0
    slowest: str = ""


def run_fuzz(cases: int, seed: int, targets: list[str] | None = None, keep: Path | None = None) -> dict:
    rng = random.Random(seed)
    started = time.perf_counter()
    summaries: dict[str, FuzzSummary] = {}
    with tempfile.TemporaryDirectory(prefix="fpdesk-fuzz-") as temp:
        folder = Path(temp)
        chosen = [TARGETS[name] for name in (targets or list(TARGETS))]
        for target_number, target in enumerate(chosen):
            summary = summaries[target.name] = FuzzSummary()
            context = target.setup(folder)
            seeds = [(path, path.read_bytes()) for path in target.seeds(folder)]
            share = cases // len(chosen) + (1 if target_number < cases % len(chosen) else 0)
            target_started = time.perf_counter()
            worker = _Worker(target, context)
            for number in range(share):
                seed_path, data = seeds[number % len(seeds)]
                mutation = rng.choice(MUTATIONS)
                mutated, how = mutation(data, rng)
                case = folder / f"case{number}{seed_path.suffix}"
                case.write_bytes(mutated)
                summary.cases += 1
                case_started = time.perf_counter()
                outcome = worker.run(case)
                took = time.perf_counter() - case_started
                if took > summary.slowest_seconds:
                    summary.slowest_seconds, summary.slowest = round(took, 2), f"{seed_path.name}: {how}"
                if outcome["kind"] == "accepted":
                    summary.accepted += 1
                elif outcome["kind"] == "refused":
                    summary.refused += 1
                    summary.refusal_codes[outcome["code"]] = summary.refusal_codes.get(outcome["code"], 0) + 1
                else:
                    crash = {"seed_file": seed_path.name, "mutation": how, "error": outcome["error"]}
                    if keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        saved = keep / f"{target.name}-crash-{seed}-{number}{seed_path.suffix}"
                        saved.write_bytes(mutated)
                        crash["saved"] = str(saved)
                    summary.crashes.append(crash)
                case.unlink(missing_ok=True)
            worker.stop()
            summary.seconds = round(time.perf_counter() - target_started, 1)
            workspace = context.get("workspace")
            if workspace is not None:
                workspace.close()
    return {"seed": seed, "seconds": round(time.perf_counter() - started, 1),
            "targets": {name: vars(s) for name, s in summaries.items()},
            "cases": sum(s.cases for s in summaries.values()),
            "crash_count": sum(len(s.crashes) for s in summaries.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    parser.add_argument("--keep", type=Path, help="save crashing inputs here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    summary = run_fuzz(args.cases, args.seed, args.target, args.keep)
    print(json.dumps(summary, ensure_ascii=False, indent=None if args.json else 2))
    return 0 if summary["crash_count"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
