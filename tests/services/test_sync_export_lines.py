"""The export reads the change log as the database stores it (services/sync/export.py, _StoredValues)
and writes every line byte for byte as fmt.entry_line writes the values the ORM reads: checked on
both engines with entries whose values are awkward for a JSON reader (floats, integers beyond 64
bits, escapes, characters outside the BMP, an empty old value, NaN where the engine stores it)."""

from __future__ import annotations

import hashlib
import json
import math

import zstandard
from sqlalchemy import select

from fpdesk.core import sync_package as fmt
from fpdesk.services.entities import UP
from fpdesk.services.sync import identity
from fpdesk.services.sync.ownership import travels
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import ChangeEntry
from tests.services.sync_helpers import Offices, register_family

AWKWARD = {"name": "王\"五\\\n\t\u2028😀", "float": 0.1, "tiny": 5e-324, "huge": 1e300, "negative_zero": -0.0,
           "beyond_64_bits": 2**70, "below_64_bits": -(2**70), "nested": {"b": [1, 2.5, None, True], "a": "é"},
           "empty": "", "zero": 0}


def _package_lines(county, path) -> list[bytes]:
    data = path.read_bytes()
    outer = fmt.parse(data)
    me = county.require_office()
    with county.read() as session:
        keys = identity.device_keys(session, me.device_id)
    inner = fmt.open_payload(outer, me.device_id, keys.enc_private)
    size = int.from_bytes(inner[:4], "big")
    manifest = json.loads(inner[4:4 + size])
    text = zstandard.ZstdDecompressor().stream_reader(inner[4 + size:]).read()
    lines = text.split(b"\n")[:-1]
    for index, block in enumerate(manifest["blocks"]):  # the signed digests are over the same lines
        digest = hashlib.sha256()
        for line in lines:
            number, _, body = line.partition(b"\t")
            if int(number) == index:
                digest.update(body + b"\n")
        assert digest.hexdigest() == block["sha256"]
    return lines


def test_export_lines_are_entry_lines_of_what_the_orm_reads(tmp_path, db_url):
    offices = Offices(tmp_path)
    try:
        county = offices.county()
        township = offices.pair(county, "350421200", "township", "城关乡计生协", url=db_url)
        add_division(township, code="350421200201", name="罗翠村", code_year=2024)
        register_family(township, "350421200201", "张三", 1)
        with township.read() as session:
            person_id = session.scalar(select(ChangeEntry.record_id).where(ChangeEntry.entity == "person"))
        awkward = dict(AWKWARD)
        sqlite = not db_url.startswith("postgresql")
        if sqlite:  # PostgreSQL's json type refuses NaN and Infinity
            awkward.update(nan=math.nan, infinity=-math.inf)
        with township.write() as ctx:
            ctx.recorder.record("person", person_id, "update", awkward, 2, {"name": "张三", "float": 1.5})
            ctx.recorder.record("person", person_id, "update", {"name": "李四"}, 3, {})
        lines = _package_lines(county, offices.export(township, county))

        with township.read() as session:
            device = township.require_office().device_id
            stored = {seq: (seq, entity, str(record_id), revision, operation, fields, old, author, at.isoformat())
                      for seq, entity, record_id, revision, operation, fields, old, author, at in session.execute(
                          select(ChangeEntry.origin_seq, ChangeEntry.entity, ChangeEntry.record_id,
                                 ChangeEntry.revision, ChangeEntry.operation, ChangeEntry.fields,
                                 ChangeEntry.old_values, ChangeEntry.author, ChangeEntry.at)
                          .where(ChangeEntry.origin_device == device))}
        sent = {}
        for line in lines:
            body = line.partition(b"\t")[2]
            seq = json.loads(body)[0]
            assert body == fmt.entry_line(*stored[seq])
            sent[seq] = json.loads(body)
        assert sent, "nothing was exported"
        last = max(sent)
        assert sent[last][5] == {"name": "李四"} and sent[last][6] is None
        awkward_sent = sent[last - 1][5]
        assert awkward_sent["beyond_64_bits"] == 2**70 and awkward_sent["name"] == AWKWARD["name"]
        if sqlite:
            assert math.isnan(awkward_sent["nan"])
        assert all(travels(entry[1], entry[4], UP) for entry in sent.values())
    finally:
        offices.close()
