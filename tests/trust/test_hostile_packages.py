"""Packages signed by a paired township's genuine keys but built by a hostile or broken program: every
malformed header, manifest or line is a refusal (package_malformed), never a traceback; compression
bombs stop at their bounds; and nothing changes in the receiving database. A division code that two
offices both added is a legitimate package, and it imports."""

from __future__ import annotations

import hashlib
import uuid

import pytest
import zstandard
from sqlalchemy import select

from fpdesk.core import sync_package as fmt
from fpdesk.core.errors import DomainError
from fpdesk.services.sync import identity, package_lines
from fpdesk.services.sync.importer import import_package
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import Division, Household
from fpdesk.storage.schema_sync import SyncPeer
from tests.services.sync_helpers import Offices, dump, register_family

T1 = "350421200"


@pytest.fixture
def pair(tmp_path):
    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, T1, "township", "城关乡计生协")
    yield offices, county, township
    offices.close()


def _line(seq: int, entity: str, fields: dict, *, operation: str = "insert") -> bytes:
    return fmt.entry_line(seq, entity, str(uuid.uuid4()), 1, operation, fields, None, "x", "2026-11-22T10:00:00")


def forge(township, county, tmp_path, *, lines: list[bytes] | None = None, raw: bytes | None = None,
          header: dict | None = None, manifest: object = None, name: str = "forged.fpsync"):
    """A package signed with the township's own device key, addressed to the county."""
    me = township.require_office()
    with township.read() as session:
        keys = identity.device_keys(session, me.device_id)
        seq = session.get(SyncPeer, "350421").last_sent_seq + 1
    with county.read() as session:
        recipients = {r.device_id: r.enc_public for r in identity.active_devices(session, "350421")}
        done = session.get(SyncPeer, T1).acknowledged or {}
    first = int(done.get(me.device_id, 0)) + 1
    lines = lines if lines is not None else [_line(first, "division", {"code": "350421200299", "name": "新村",
                                                                        "kind": "village", "parent_code": T1,
                                                                        "code_year": 2024})]
    body = b"".join(b"0\t" + line + b"\n" for line in lines) if raw is None else raw
    digest = hashlib.sha256(b"".join(line + b"\n" for line in lines)).hexdigest()
    statement = fmt.block_statement(me.device_id, "up", first, first + len(lines) - 1, len(lines), digest)
    block = {"origin": me.device_id, "direction": "up", "from": first, "to": first + len(lines) - 1,
             "count": len(lines), "sha256": digest, "sig": fmt.b64(keys.sign(statement))}
    package_id = str(uuid.uuid4())
    if manifest is None:
        manifest = {"package_id": package_id, "sender": {"office": T1, "device": me.device_id, "level": "township"},
                    "recipient": "350421", "channel_seq": seq, "direction": "up", "blocks": [block],
                    "receipt": None}
    manifest_bytes = fmt.canonical(manifest) if not isinstance(manifest, bytes) else manifest
    inner = len(manifest_bytes).to_bytes(4, "big") + manifest_bytes + zstandard.ZstdCompressor().compress(body)
    base = {"package_id": package_id, "sender": {"office": T1, "device": me.device_id},
            "recipient": {"office": "350421"}, "channel_seq": seq, "created_at": "2026-11-22T10:00:00"}
    data = fmt.seal({**base, **(header or {})}, inner, keys, recipients)
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused_with(county, path, code: str) -> DomainError:
    before = dump(county)
    with pytest.raises(DomainError) as caught:
        import_package(county, path)
    assert caught.value.code == code, caught.value
    assert dump(county) == before
    return caught.value


def test_the_forger_itself_makes_an_importable_package(pair, tmp_path):
    _offices, county, township = pair
    report = import_package(county, forge(township, county, tmp_path))
    assert report.new == 1


@pytest.mark.parametrize(("header", "code"), [
    ({"sender": "350421200"}, "package_malformed"),
    ({"channel_seq": "abc"}, "package_malformed"),
    ({"recipient": ["350421"]}, "package_malformed"),
    ({"join": "a pairing proof"}, "package_malformed"),
])
def test_a_malformed_header_is_refused(pair, tmp_path, header, code):
    _offices, county, township = pair
    refused_with(county, forge(township, county, tmp_path, header=header), code)


def test_malformed_manifests_are_refused(pair, tmp_path):
    _offices, county, township = pair
    deep = b"[" * 100_000 + b"]" * 100_000
    refused_with(county, forge(township, county, tmp_path, manifest=deep), "package_malformed")
    refused_with(county, forge(township, county, tmp_path, manifest=b"{not json"), "package_malformed")
    with township.read() as session:
        seq = session.get(SyncPeer, "350421").last_sent_seq + 1
    for broken in ({"blocks": "all of them"}, {"blocks": [{"origin": 7}]}, {"receipt": {"vector": {"x": "y"}}}):
        path = forge(township, county, tmp_path)
        manifest = {"package_id": "", "sender": {"device": township.require_office().device_id},
                    "recipient": "350421", "channel_seq": seq, **broken}
        path = forge(township, county, tmp_path, manifest=manifest)
        with pytest.raises(DomainError) as caught:
            import_package(county, path)
        assert caught.value.code in ("package_malformed", "package_corrupt")


def test_a_bad_line_an_unknown_table_and_a_wrong_value_are_refused(pair, tmp_path):
    _offices, county, township = pair
    with county.read() as session:
        first = int((session.get(SyncPeer, T1).acknowledged or {}).get(township.require_office().device_id, 0)) + 1
    refused_with(county, forge(township, county, tmp_path, lines=[b"[1, not json"]), "package_malformed")
    refused_with(county, forge(township, county, tmp_path, lines=[b"[" * 50_000 + b"]" * 50_000]),
                 "package_malformed")
    refused_with(county, forge(township, county, tmp_path, lines=[_line(first, "no_such_table", {"a": 1})]),
                 "package_entity_unknown")
    refused_with(county, forge(township, county, tmp_path, lines=[_line(first, "division", {
        "code": "350421200299", "name": "新村", "kind": "village", "parent_code": T1, "code_year": "2024年"})]),
                 "package_malformed")


def test_compression_bombs_stop_at_their_bounds(pair, tmp_path):
    _offices, county, township = pair
    no_newline = b"0\t" + b"a" * (64 * 1024 * 1024)  # 64 MB in one line, a few KB compressed
    error = refused_with(county, forge(township, county, tmp_path, raw=no_newline), "package_malformed")
    assert "line" in error.params["detail"]
    with county.read() as session:
        first = int((session.get(SyncPeer, T1).acknowledged or {}).get(township.require_office().device_id, 0)) + 1
    line = b"0\t" + _line(first, "division", {"code": "350421200299"}) + b"\n"
    repeated = line * (300 * 1024 * 1024 // len(line))  # 300 MB of lines: more than the block was signed for
    refused_with(county, forge(township, county, tmp_path, raw=repeated), "package_corrupt")
    compressed = zstandard.ZstdCompressor().compress(repeated)  # hundreds of times its compressed size
    with pytest.raises(DomainError) as caught:
        for _ in package_lines.lines(compressed, 1):
            pass
    assert caught.value.code == "package_malformed" and "MB" in caught.value.params["detail"]


def test_a_division_code_both_offices_added_imports_into_the_one_division(pair, tmp_path):
    offices, county, township = pair
    add_division(county, code="350421200203", name="新村", code_year=2024)  # from the county's list
    add_division(township, code="350421200203", name="新村", code_year=2024)  # typed at the township
    household = register_family(township, "350421200203", "林新", 3).primary_id
    report = offices.send(township, county)
    assert report.rejected == 0 and report.new > 0
    with county.read() as session:
        [division_id] = session.scalars(select(Division.id).where(Division.code == "350421200203")).all()
        assert session.get(Household, household).division_id == division_id
    register_family(township, "350421200203", "林再", 4)  # and the next package too
    assert offices.send(township, county).rejected == 0
