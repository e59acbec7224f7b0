"""Import: verify everything first, then a dry run or the apply, in one transaction.

Refused with nothing changed: not a package, an unsupported format version, a cut file, any
flipped byte (signature, payload hash, AEAD tag, block digests), another office's package, an
unknown or revoked sender, an older package than one already applied (replay). The same package
imported again changes nothing and reports its changes as unchanged.

Then per entry: already applied → unchanged; a gap before it in its origin's sequence → held;
signed by a revoked device after its cut → quarantined (rejected); otherwise applied (apply.py).
The report and a receipt (this office's version vector) go back in the next package the other way.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from fpdesk.core import sync_package as fmt
from fpdesk.core.collector import seldom, young_generations_only
from fpdesk.core.errors import DomainError
from fpdesk.services.enrollment.product_catalog import keep_received
from fpdesk.services.entities import DOWN, ValueProblem, row_values, table_of
from fpdesk.services.permissions import require
from fpdesk.services.sync import dryrun, identity, newbatch, newrecords, package_lines
from fpdesk.services.sync.apply import BATCH, Applier, Counts
from fpdesk.services.sync.state import direction_from, vector
from fpdesk.services.trust.audit_anchors import NOTES as ANCHOR_NOTES
from fpdesk.services.trust.audit_anchors import keep_anchor
from fpdesk.services.trust.backups import automatic_backup
from fpdesk.services.workspace import Workspace, retry_conflicts
from fpdesk.storage.bulk_indexes import deferred_search_indexes, deferred_write_only_indexes
from fpdesk.storage.schema import ChangeEntry, utc_now
from fpdesk.storage.schema_sync import OfficeRegistration, SyncBlock, SyncHeld, SyncPackage, SyncPeer

log = logging.getLogger(__name__)
_PERSON = b',"person","'  # [seq,"person","id",…


@dataclass
class ImportReport:
    package: str
    sender: str
    package_id: str = ""
    sender_name: str = ""  # as the sender's registration here names it (a clerk knows offices by name)
    sequence: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    held: int = 0
    rejected: int = 0
    merged: int = 0
    dry_run: bool = False
    already_imported: bool = False
    counted_by_joins: bool = False  # a dry run that counted by joins instead of applying and rolling back
    backup: str | None = None  # the copy made before the import (undo restores it)
    notes: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)  # the same notes in English, one for one

    def note(self, zh: str, en: str) -> None:
        self.notes.append(zh)
        self.notes_en.append(en)

    def as_dict(self) -> dict[str, Any]:
        return {"package": self.package, "from": self.sender, "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged, "conflicts": self.conflicts, "duplicates": self.duplicates,
                "held": self.held, "rejected": self.rejected}

    def summary(self) -> dict[str, Any]:
        return {**self.as_dict(), "package_id": self.package_id, "sequence": self.sequence, "merged": self.merged,
                "dry_run": self.dry_run, "already_imported": self.already_imported, "notes": self.notes[:20],
                "notes_en": self.notes_en[:20]}

    def add(self, counts: Counts) -> None:
        """Add the applier's counts (its counters have the same names as the report's)."""
        for name, value in vars(counts).items():
            if name in ("notes", "notes_en"):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)


class _DryRun(Exception):
    pass


@dataclass
class _Verified:
    outer: fmt.Outer | None  # dropped once decrypted
    manifest: dict[str, Any]
    compressed: bytes
    sender_office: str
    sender_device: str
    join: dict[str, Any] | None
    sign_public: str
    bad_blocks: set[int]
    partner_known: bool
    person_entries: int = 0  # how many changes to persons: a large share defers the search indexes


@retry_conflicts
def import_package(workspace: Workspace, path: Path | str, *, dry_run: bool = False,
                   set_based: bool | None = None) -> ImportReport:
    """``set_based``: sort the entries out by joins first (services/sync/newrecords.py); None: for
    the dry run of a large package, where that pays. Both ways give the same database and report."""
    require(workspace, "sync")
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DomainError("not_a_package", {"name": f"{path.name}: {error.strerror}"}) from None
    me = workspace.require_office()
    outer = fmt.parse(data, path.name)
    del data  # the parts are copies: the file's bytes need not stay in memory during the import
    header = outer.header
    report = ImportReport(package=path.name, sender=str(header.get("sender", {}).get("office", "")),
                          package_id=str(header.get("package_id", "")),
                          sequence=int(header.get("channel_seq", 0) or 0), dry_run=dry_run)
    if header.get("recipient", {}).get("office") != me.code:
        raise DomainError("package_wrong_recipient", {"recipient": header.get("recipient", {}).get("office"),
                                                      "office": me.code})
    with workspace.read() as session:
        sender = _verify_sender(session, outer)
        if _seen_before(session, report, session.get(SyncPeer, sender[0])):
            log.info("package %s from %s was imported before", report.package, report.sender)
            return report
        verified = _verify_inner(session, me, outer, *sender)
    del outer
    if not dry_run:
        backup = automatic_backup(workspace, "before-import")  # a rotating copy before the package is applied
        report.backup = str(backup) if backup is not None else None
    with contextlib.suppress(_DryRun), young_generations_only():
        _apply(workspace, verified, report, dry_run=dry_run, set_based=set_based)
    counts = ", ".join(f"{key} {value}" for key, value in report.as_dict().items() if key not in ("package", "from"))
    log.info("package %s from %s %s: %s", report.package, report.sender, "checked" if dry_run else "imported", counts)
    return report


def _seen_before(session, report: ImportReport, partner: SyncPeer | None) -> bool:
    """True (and the report says so) for a package imported already; a replay of an older one is refused."""
    done = session.get(SyncPackage, report.package_id)
    if done is not None:
        previous = done.report
        report.unchanged = sum(int(previous.get(k, 0)) for k in ("new", "updated", "unchanged", "conflicts"))
        report.already_imported = True
        return True
    last = partner.last_received_seq if partner is not None else 0
    if report.sequence <= last:
        raise DomainError("package_replay", {"seq": report.sequence, "last": last})
    return False


def _verify_sender(session, outer: fmt.Outer) -> tuple[str, str, dict | None, str]:
    """Who sent it, and is every byte as they signed it: (office, device, join request, key)."""
    header = outer.header
    sender_office = str(header.get("sender", {}).get("office"))
    sender_device = str(header.get("sender", {}).get("device"))
    registration = identity.registration(session, sender_device)
    join = header.get("join")
    if registration is None:
        sign_public = identity.pending_join(session, join)
        if sign_public is None or join.get("device_id") != sender_device or join.get("office_code") != sender_office:
            raise DomainError("package_unknown_sender", {"sender": sender_office, "device": sender_device})
    else:
        if registration.office_code != sender_office:
            raise DomainError("package_unknown_sender", {"sender": sender_office, "device": sender_device})
        if registration.revoked_seq is not None:
            raise DomainError("package_revoked_sender", {"sender": sender_office, "device": sender_device})
        sign_public = registration.sign_public
    partner = session.get(SyncPeer, sender_office)
    if partner is None:
        raise DomainError("package_unknown_sender", {"sender": sender_office, "device": sender_device})
    fmt.check(outer, sign_public)
    return sender_office, sender_device, join if registration is None else None, sign_public


def _verify_inner(session, me, outer: fmt.Outer, sender_office: str, sender_device: str, join: dict | None,
                  sign_public: str) -> _Verified:
    header = outer.header
    keys = identity.device_keys(session, me.device_id)
    if keys is None:
        raise DomainError("package_wrong_recipient", {"recipient": me.code, "office": me.code})
    inner = fmt.open_payload(outer, me.device_id, keys.enc_private)
    size = int.from_bytes(inner[:4], "big")
    if len(inner) < 4 + size:
        raise fmt.malformed("manifest size", "清单长度")
    manifest = fmt.load_json(inner[4:4 + size], "the manifest", "清单")
    fmt.check_manifest(manifest)
    for key, expected in (("package_id", header.get("package_id")), ("recipient", me.code),
                          ("channel_seq", header.get("channel_seq"))):
        if manifest.get(key) != expected:
            raise fmt.corrupt(f"manifest {key}")
    if manifest.get("sender", {}).get("device") != sender_device:
        raise fmt.corrupt("manifest sender")
    compressed = inner[4 + size:]
    blocks = manifest.get("blocks", [])
    hashers = [hashlib.sha256() for _ in blocks]
    counts = [0] * len(blocks)
    registrations: list[tuple[int, list]] = []
    person_entries = 0
    for chunk in package_lines.line_chunks(compressed):
        single = package_lines.one_block(chunk, len(blocks))
        if single is not None and counts[single[0]] + len(single[1]) <= blocks[single[0]]["count"]:
            index, lines = single  # the common case, taken at once: what the loop below does line by line
            body = b"\n".join(lines)
            hashers[index].update(body)
            hashers[index].update(b"\n")
            counts[index] += len(lines)
            # what ``b',"person","' in line[:32]`` finds, without a slice and a step of ours per line
            person_entries += len(lines) - list(map(bytes.find, lines, repeat(_PERSON), repeat(0), repeat(32))).count(-1)
            if b'"office_registration"' in body:
                registrations.extend((index, fmt.entry_of(line)) for line in lines if b'"office_registration"' in line)
            continue
        for index, line in (package_lines.split_line(raw, len(blocks)) for raw in chunk):
            hashers[index].update(line)
            hashers[index].update(b"\n")
            counts[index] += 1
            if counts[index] > blocks[index]["count"]:  # more lines than the block was signed for: stop reading
                raise fmt.corrupt(f"block {index}")
            if b',"person","' in line[:32]:  # [seq,"person","id",…
                person_entries += 1
            if b'"office_registration"' in line:
                registrations.append((index, fmt.entry_of(line)))
    for index, block in enumerate(blocks):
        if counts[index] != block.get("count") or hashers[index].hexdigest() != block.get("sha256"):
            raise fmt.corrupt(f"block {index}")
    known = {r.device_id: r.sign_public for r in session.scalars(select(OfficeRegistration))}
    known.setdefault(sender_device, sign_public)
    verified_blocks: set[int] = set()
    progress = True
    while progress:  # a block may be signed by a device registered in another block of this package
        progress = False
        for index, block in enumerate(blocks):
            if index in verified_blocks or block["origin"] not in known:
                continue
            statement = fmt.block_statement(block["origin"], block["direction"], block["from"], block["to"],
                                            block["count"], block["sha256"])
            try:
                signature = fmt.unb64(block["sig"])
            except (ValueError, KeyError):
                continue
            if fmt.verify(known[block["origin"]], statement, signature):
                verified_blocks.add(index)
                progress = True
                for _index, entry in (r for r in registrations if r[0] == index):
                    fields = entry[5]
                    if entry[4] == "insert" and fields.get("device_id") and fields.get("sign_public"):
                        known.setdefault(fields["device_id"], fields["sign_public"])
    own = [i for i, b in enumerate(blocks) if b["origin"] == sender_device and i not in verified_blocks]
    if own:
        raise fmt.corrupt("sender block signature")
    bad = set(range(len(blocks))) - verified_blocks
    return _Verified(None, manifest, compressed, sender_office, sender_device, join, sign_public, bad, True,
                     person_entries)


def _entries(verified: _Verified, cuts: dict[str, int], gaps: set[str], parse=package_lines.parse
             ) -> Iterator[tuple[str, list]]:
    """(origin, entry) of what the applier is given: not the held ones, nor those of rejected blocks."""
    blocks = verified.manifest["blocks"]
    for index, line in package_lines.lines(verified.compressed, len(blocks)):
        if index in verified.bad_blocks:
            continue
        origin = blocks[index]["origin"]
        entry = parse(line)
        if not ((origin in cuts and entry[0] > cuts[origin]) or origin in gaps):
            yield origin, entry


def _entry_chunks(verified: _Verified, cuts: dict[str, int], gaps: set[str], parse_lines
                  ) -> Iterator[list[tuple[str, list]]]:
    """What _entries gives, a chunk of lines at a time: ``parse_lines`` reads a chunk's lines at once."""
    blocks = verified.manifest["blocks"]
    bad = verified.bad_blocks
    for chunk in package_lines.line_chunks(verified.compressed):
        single = package_lines.one_block(chunk, len(blocks))
        if single is not None:  # a chunk of one block's lines: most are
            index, lines = single
            if index in bad:
                continue
            origin = blocks[index]["origin"]
            entries = parse_lines(lines)
            if origin in gaps:
                continue
            if origin in cuts:
                yield [(origin, entry) for entry in entries if not entry[0] > cuts[origin]]
            else:
                yield package_lines.Chunk([(origin, entry) for entry in entries], origin, getattr(entries, "columns", ()))
            continue
        kept = [(blocks[index]["origin"], line) for index, line in (package_lines.split_line(raw, len(blocks)) for raw in chunk)
                if index not in bad]
        entries = parse_lines([line for _origin, line in kept])
        yield [(origin, entry) for (origin, _line), entry in zip(kept, entries, strict=True)
               if not ((origin in cuts and entry[0] > cuts[origin]) or origin in gaps)]


def _apply(workspace: Workspace, verified: _Verified, report: ImportReport, *, dry_run: bool,
           set_based: bool | None = None) -> None:
    manifest = verified.manifest
    blocks = manifest["blocks"]
    with workspace.write() as ctx:
        session = ctx.session
        # One import of a sender's packages at a time: a second one of the same package (two clerks, two
        # windows) waits here for the partner row, then finds it imported (SQLite's BEGIN IMMEDIATE
        # already serialises writers; on PostgreSQL this row lock does).
        locked = session.get(SyncPeer, verified.sender_office, with_for_update=True)
        if _seen_before(session, report, locked):
            return
        if workspace.db.is_sqlite:
            # a county package touches indexes all over a large table: 64 MB of page cache instead of
            # SQLite's 2 MB saves most of the re-reading (this connection keeps it; memory stays bounded)
            session.connection().exec_driver_sql("PRAGMA cache_size=-65536")
        identity.ensure_identity(ctx)
        if verified.join is not None:
            if identity.accept_join(ctx, verified.join, verified.sign_public) is None:
                raise DomainError("package_unknown_sender", {"sender": verified.sender_office,
                                                             "device": verified.sender_device})
            ctx.recorder.flush()  # the registration precedes the child's changes in our log
        partner = session.get(SyncPeer, verified.sender_office)
        here = vector(session)
        starts: dict[str, int] = {}
        for index, block in enumerate(blocks):
            if index not in verified.bad_blocks:
                starts[block["origin"]] = min(starts.get(block["origin"], block["from"]), block["from"])
        gaps = {origin for origin, first in starts.items() if first > here.get(origin, 0) + 1}
        cuts = {r.device_id: r.revoked_seq for r in session.scalars(
            select(OfficeRegistration).where(OfficeRegistration.revoked_seq.is_not(None)))}
        # a dry run raises inside: its rollback brings the indexes back, nothing is built for it
        with deferred_search_indexes(session.connection(), "person", incoming=verified.person_entries) as bulk:
            sender = identity.registration(session, verified.sender_device)
            applier = Applier(ctx, report.package_id,
                              from_parent=partner is not None and direction_from(partner) == DOWN,
                              sender_office=verified.sender_office, sender_name=sender.name if sender else "")
            report.sender_name = sender.name if sender else ""
            if set_based is None:
                # measured on a county package of 500,000 persons (docs/benchmarks.md): the dry run
                # counted by the joins takes 0.13-0.20 of the per-entry import. The import takes them for a
                # package that brings persons by the ten thousand, a good part of the table (its search
                # indexes deferred: SQLite), which is mostly new records: newbatch.py writes their
                # batches without the lookups (0.63-0.72 of the per-entry import); other imports stay per entry
                set_based = bulk or (dry_run and sum(block["count"] for block in blocks) >= newrecords.MIN_ENTRIES)
            parse, counted, judge = fmt.entry_of, False, None
            if set_based:
                held_before = session.scalar(select(func.count()).select_from(SyncHeld).where(
                    SyncHeld.reason.in_(("gap", "missing"))))
                held_now = any(block["origin"] in cuts or block["origin"] in gaps for block in blocks)
                if dry_run:  # the checks of the new records ride along the joins' pass (dryrun.py)
                    judge = dryrun.Judge(session.connection(), applier.devices, sender_office=verified.sender_office,
                                         direction=applier.guard.direction, aliases=applier.aliases, batch=BATCH)
                    judge.may_count = not verified.bad_blocks and not held_before and not held_now
                applier.plan = _plan(session, verified, cuts, gaps, applier.aliases, judge)
            if applier.plan is not None:
                parse = package_lines.parse
                counted = dry_run and not verified.bad_blocks and newrecords.countable(applier.plan, held_before,
                                                                                        held_now)
            if applier.plan is not None and applier.plan.by_judge:  # its ids were not read: counted here
                dryrun.count(applier, judge)
                report.counted_by_joins = True
            elif counted:
                _count(applier, _entries(verified, cuts, gaps), report)
            else:
                # the change log's record index, random ids all over a large B-tree, is built once at
                # the end when the joins found every household and person new: then nothing in the
                # import reads it but a conflict of a reference record (which orders what it reads)
                incoming = applier.plan.new_count if applier.plan is not None and applier.plan.skip_checks else 0
                with deferred_write_only_indexes(session.connection(), {"change_log": 0 if dry_run else incoming}):
                    if not dry_run and incoming and workspace.db.is_sqlite:
                        rejected = report.rejected

                        def feed(applier: Applier) -> None:
                            report.rejected = rejected  # a second feed counts from where the first began
                            _feed(applier, verified, report, cuts, gaps, parse)
                            _retry_held(ctx, applier)

                        applier = newbatch.feed_pipelined(ctx, applier, feed)
                    else:
                        _feed(applier, verified, report, cuts, gaps, parse)
                        _retry_held(ctx, applier)
            report.add(applier.counts)  # rejected already counts the blocks signed by unknown devices
            if verified.bad_blocks:
                report.note(f"{len(verified.bad_blocks)} 组记录由不认识的设备签名，已拒收。",
                            f"{len(verified.bad_blocks)} blocks of records signed by unknown devices were refused.")
            if applier.entities.get("product_definition"):
                problem = keep_received(ctx)
                if problem is not None:  # said now: the office keeps working with the definitions it had
                    report.note(f"县级下发的新产品定义不能使用，仍按原有定义办理：{problem.message_zh}",
                                "The product definitions the county sent cannot be used; the office keeps working"
                                f" with the ones it had: {problem.message_en}")
            for index, block in enumerate(blocks):
                if index in verified.bad_blocks or block["origin"] == ctx.office.device_id:
                    continue
                exists = session.scalar(select(SyncBlock.id).where(
                    SyncBlock.origin_device == block["origin"], SyncBlock.direction == block["direction"],
                    SyncBlock.from_seq == block["from"], SyncBlock.to_seq == block["to"],
                    SyncBlock.digest == block["sha256"]))
                if exists is None:
                    session.add(SyncBlock(origin_device=block["origin"], direction=block["direction"],
                                          from_seq=block["from"], to_seq=block["to"], count=block["count"],
                                          digest=block["sha256"], signature=block["sig"]))
            problem = keep_anchor(session, device=verified.sender_device, office=verified.sender_office,
                                  sign_public=verified.sign_public, audit=manifest.get("audit"),
                                  package_id=report.package_id)
            if problem is not None:
                report.note(*ANCHOR_NOTES[problem])
            receipt = manifest.get("receipt") or {}
            partner.last_received_seq = int(manifest["channel_seq"])
            # a sender restored from a backup learns here which numbers it already used towards us
            partner.last_sent_seq = max(partner.last_sent_seq, int(receipt.get("last_received_seq") or 0))
            partner.acknowledged = {str(k): int(v) for k, v in (receipt.get("vector") or {}).items()}
            partner.their_report = receipt.get("report")
            partner.last_imported_at = utc_now()
            partner.our_report = report.summary()
            if partner.relation == "parent":
                partner.join_proof = None  # the parent answered: it knows us
            session.add(SyncPackage(package_id=report.package_id, sender_office=verified.sender_office,
                                    channel_seq=int(manifest["channel_seq"]), report=report.summary()))
            session.flush()
            if dry_run:
                raise _DryRun


def _plan(session, verified: _Verified, cuts: dict[str, int], gaps: set[str], aliases: dict,
          judge: dryrun.Judge | None = None) -> newrecords.Plan | None:
    """The joins' plan, in a savepoint: a value the database will not take (a hostile package's
    numbers beyond 64 bits) leaves the package to the per-entry path, which refuses it as before.
    With a judge the lines are read checked, as the applier reads them."""
    parse_lines = package_lines.loads_lines if judge is None else package_lines.parse_lines
    try:
        with session.begin_nested(), (contextlib.nullcontext() if judge is None else seldom()):
            return newrecords.plan(session.connection(), _entry_chunks(verified, cuts, gaps, parse_lines), aliases,
                                   judge)
    except (DBAPIError, OverflowError):
        return None


def _feed(applier: Applier, verified: _Verified, report: ImportReport, cuts: dict[str, int], gaps: set[str],
          parse) -> None:
    """Every entry of the package to the applier, or held (a gap before it, a revoked device). With
    the joins' parse (package_lines.parse), a chunk of one block's lines whose origin is neither cut nor
    behind a gap is read at once (package_lines.parse_lines) and given to the applier at once: the same
    entries in the same batches. A chunk parse_lines refuses is read again line by line, so a bad
    line is refused where it was, after the entries before it."""
    blocks = verified.manifest["blocks"]
    origins = [block["origin"] for block in blocks]  # looked up once: this loop runs once per entry
    bad, add = verified.bad_blocks, applier.add
    chunked = parse is package_lines.parse
    for chunk in package_lines.line_chunks(verified.compressed):
        single = package_lines.one_block(chunk, len(blocks)) if chunked else None
        if single is not None:
            index, lines = single
            origin = origins[index]
            if index in bad:
                report.rejected += len(lines)
                continue
            if origin not in cuts and origin not in gaps:
                try:
                    entries = package_lines.parse_lines(lines)
                except DomainError:
                    entries = None  # read again below, line by line
                if entries is not None:
                    applier.add_all(origin, entries)
                    continue
        for index, line in (package_lines.split_line(raw, len(blocks)) for raw in chunk):
            if index in bad:
                report.rejected += 1
                continue
            origin = origins[index]
            entry = parse(line)
            if origin in cuts and entry[0] > cuts[origin]:
                applier.flush()
                applier.hold(origin, entry, "revoked")
            elif origin in gaps:
                applier.hold(origin, entry, "gap")
            else:
                add(origin, entry)
    applier.flush()


def _count(applier: Applier, entries: Iterator[tuple[str, list]], report: ImportReport) -> None:
    """A dry run counted by the joins (newrecords.countable) outside dryrun.py's clean case (a person
    the check must read, a household held, a value that does not fit): each new household and person is checked
    as the import checks it (who may send it, values that fit their columns) and counted. What the
    import's duplicate check would read (newrecords.Plan.needed) and the reference records go through
    the applier, in the import's batches, so the suspicions it finds are the import's. Nothing stays
    written: the caller rolls back."""
    plan = applier.plan
    table = {entity: table_of(entity) for entity in newrecords.FAST_ENTITIES}
    for position, (origin, entry) in enumerate(entries, start=1):
        key = (origin, entry[0])
        if entry[1] not in table or key in plan.needed:
            with contextlib.suppress(DomainError):  # the guard learns its owners in the package's order;
                applier.guard.check(origin, entry[1], uuid.UUID(entry[2]), entry[4], entry[5])  # the applier judges
            applier.buffer.append((origin, entry))
        elif key not in plan.new:
            applier.counts.unchanged += 1  # applied before: the import does not look at it again
        elif not applier.guard.check(origin, entry[1], uuid.UUID(entry[2]), entry[4], entry[5]):
            applier.counts.held += 1
        else:
            try:
                row_values(table[entry[1]], entry[1], entry[5])
                applier.counts.new += 1
            except ValueProblem as problem:
                applier._refuse_value(origin, entry, problem)
        if position % BATCH == 0:  # where the import's applier ends its batches
            applier.flush()
    applier.flush()
    report.counted_by_joins = True


def _retry_held(ctx, applier: Applier) -> None:
    """Held changes whose gap has now closed are applied (oldest first)."""
    held = ctx.session.scalars(select(SyncHeld).where(SyncHeld.reason.in_(("gap", "missing")))
                               .order_by(SyncHeld.origin_device, SyncHeld.origin_seq)).all()
    if not held:
        return
    here = vector(ctx.session)
    for row in held:
        if row.package_id == applier.package_id:
            continue
        applied = ctx.session.scalar(select(ChangeEntry.local_seq).where(
            ChangeEntry.origin_device == row.origin_device, ChangeEntry.origin_seq == row.origin_seq))
        if applied is not None:  # arrived again in a later package and applied from there
            ctx.session.delete(row)
            continue
        if row.origin_seq <= here.get(row.origin_device, 0) + 1 or row.reason == "missing":
            ctx.session.delete(row)
            ctx.session.flush()
            applier.add(row.origin_device, row.envelope)
            here[row.origin_device] = max(here.get(row.origin_device, 0), row.origin_seq)
    applier.flush()
