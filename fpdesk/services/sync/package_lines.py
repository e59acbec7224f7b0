"""The change lines of a sync package: decompressed a chunk at a time within bounds, cut by block,
and read (parsed and checked) a chunk at a time. The importer (importer.py) reads a package through
these twice, once for the joins' plan (newrecords.py) and once to apply it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from itertools import repeat
from operator import itemgetter
from typing import Any

import zstandard

from fpdesk.core import sync_package as fmt

try:  # orjson parses change lines faster than json, to the same values (see parse)
    import orjson
except ImportError:  # pragma: no cover - a dependency; json stays the reference
    orjson = None

# What the change lines of a package may decompress to: a county package of 650,000 changes is about
# eight times its compressed size; a compression bomb is hundreds of times.
MAX_EXPANSION = 32
MIN_DECOMPRESSED_LIMIT = 256 * 1024 * 1024
CHUNK = 1 << 20  # decompressed bytes read at a time: a few thousand lines of a county's package


def lines(compressed: bytes, block_count: int) -> Iterator[tuple[int, bytes]]:
    """(block index, line) of the compressed change lines, bounded (see line_chunks)."""
    for chunk in line_chunks(compressed):
        for raw in chunk:
            yield split_line(raw, block_count)


def line_chunks(compressed: bytes) -> Iterator[list[bytes]]:
    """The raw lines (block index, tab, change) of the compressed change lines, a CHUNK's at a time, bounded:
    the whole no more than MAX_EXPANSION times the compressed size, a line no longer than MAX_LINE (a
    line without an end would otherwise be re-scanned at every chunk)."""
    limit = max(MIN_DECOMPRESSED_LIMIT, MAX_EXPANSION * len(compressed))
    reader = zstandard.ZstdDecompressor().stream_reader(compressed, read_size=1 << 20)
    rest = b""
    total = 0
    try:
        while True:
            chunk = reader.read(CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise fmt.malformed(f"more than {limit // (1 << 20)} MB of changes", "解压后的内容超出上限")
            rest += chunk
            if b"\n" in chunk:
                *lines, rest = rest.split(b"\n")
                yield lines
            if len(rest) > fmt.MAX_LINE:
                raise fmt.malformed(f"a line longer than {fmt.MAX_LINE // (1 << 20)} MB", "一行记录超出长度上限")
    except zstandard.ZstdError:
        raise fmt.corrupt("compressed data") from None
    if rest:
        yield [rest]


def one_block(chunk: list[bytes], block_count: int) -> tuple[int, list[bytes]] | None:
    """(block index, lines) when every raw line of the chunk names the same block as its first (as
    split_line reads it); None for any other chunk, which is read line by line."""
    if not chunk:
        return None
    index, _line = split_line(chunk[0], block_count)
    prefix = chunk[0][:chunk[0].find(b"\t") + 1]
    # by builtins over the chunk, not a step of ours per line: both passes over a package come here
    if not all(map(bytes.startswith, chunk, repeat(prefix))):
        return None
    return index, list(map(itemgetter(slice(len(prefix), None)), chunk))


def split_line(raw: bytes, block_count: int) -> tuple[int, bytes]:
    tab = raw.find(b"\t")
    try:
        if tab < 1:
            raise ValueError("no block index")
        index = int(raw[:tab])
    except ValueError:
        raise fmt.corrupt("line") from None
    if not 0 <= index < block_count:
        raise fmt.corrupt("line block")
    return index, raw[tab + 1:]



def loads(line: bytes) -> Any:
    """A change line decoded, not checked: what plan reads (anything odd makes it leave the package
    to the per-entry path, which checks every line)."""
    return orjson.loads(line) if orjson is not None else json.loads(line)


# nineteen digits in a row: an integer orjson may read as a float (below -2**63 or above 2**64 - 1).
# Found as a run of nineteen '0's in the line with every digit made '0' and every other byte a space:
# what the regex rb"\d{19}" finds (\d of a bytes pattern is [0-9]), in an eighth of its time
_DIGITS_AS_ZEROS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_NINETEEN_DIGITS = b"0" * 19


def parse(line: bytes) -> list:
    """A change line as fmt.entry_of reads it. orjson refuses what json takes (NaN, lone surrogates):
    those lines, and any it cannot read, are read by json as before. An integer beyond 64 bits orjson
    does not refuse but reads as a float, where json keeps it exact: a line with nineteen digits in a
    row (18-character ID numbers have fewer) is json's too."""
    if orjson is not None and _NINETEEN_DIGITS not in line.translate(_DIGITS_AS_ZEROS):
        try:
            return fmt.checked_entry(orjson.loads(line))
        except orjson.JSONDecodeError:
            pass
    return fmt.entry_of(line)


def loads_lines(lines: list[bytes], _text: bytes | None = None) -> list:
    """loads, for a chunk of lines (``_text``: as parse_lines has it)."""
    return [loads(line) for line in lines]


class Parsed(list):
    """parse_lines's entries; ``columns``: their nine fields as columns, when they were checked as columns."""

    columns: tuple = ()


class Chunk(list):
    """A chunk of (origin, entry) of one origin, as importer._entry_chunks gives the most: ``columns``
    those of its entries (Parsed), when they were checked as columns, so that newrecords._Sorting.chunk need not
    take them apart and check them again."""

    def __init__(self, items: list, origin: str, columns: tuple) -> None:
        super().__init__(items)
        self.origin, self.columns = origin, columns


def parse_lines(lines: list[bytes], text: bytes | None = None) -> list[list]:
    """parse, for a chunk of lines: read by orjson and checked column by column for the shape every
    export writes (fmt.checked_entry's, and no more than it allows); a chunk with anything else (a
    line orjson refuses, nineteen digits in a row, a shape that needs a closer look) is read line by
    line by parse, which takes or refuses each line as before. ``text``: the lines joined by line
    breaks, when the caller has them so."""
    # over the whole chunk at once: one substring search, not one per line
    if orjson is None or _NINETEEN_DIGITS in (b"\n".join(lines) if text is None else text).translate(_DIGITS_AS_ZEROS):
        return [parse(line) for line in lines]
    try:
        entries = Parsed(map(orjson.loads, lines))
        columns = _plain_columns(entries)
        if columns is not None:
            entries.columns = columns
            return entries
    except (orjson.JSONDecodeError, TypeError, ValueError):
        pass
    return [parse(line) for line in lines]


def _plain_columns(entries: list) -> tuple | None:
    """The entries' nine columns when every entry passes fmt.checked_entry, judged by columns (TypeError:
    an unhashable value); None otherwise. A column's kinds as a set: an int is no bool here, as there."""
    if not entries:
        return ()
    if set(map(type, entries)) != {list} or set(map(len, entries)) != {9}:
        return None
    columns = tuple(zip(*entries, strict=True))
    seqs, entities, record_ids, revisions, operations, fields, olds, authors, times = columns
    plain = (set(map(type, seqs)) == {int} and min(seqs) >= 1
            and all(entity.__class__ is str and 0 < len(entity) <= 30 for entity in set(entities))
            and set(map(type, revisions)) == {int} and min(revisions) >= 0
            and set(operations) <= fmt.OPERATIONS
            and set(map(type, fields)) == {dict}
            and set(map(type, olds)) <= {type(None), dict}
            and all(author.__class__ is str and len(author) <= 40 for author in set(authors))
            and all_canonical(record_ids)
            and all(at.__class__ is str and _iso_time(at) for at in set(times)))
    return columns if plain else None


# an id's characters as their class: a hex digit "x"; a dash and a line break as they are; anything else "?"
_ID_CLASSES = bytes(ord("x") if chr(byte) in "0123456789abcdef" else byte if chr(byte) in "-\n" else ord("?")
                    for byte in range(256))
_ID_SHAPE = b"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"


def all_canonical(ids: list[str]) -> bool:
    """Whether each of ``ids`` (texts) matches CANONICAL_ID, by one comparison over them all: the ids
    one to a line, their characters by class, are as many lines of the canonical shape."""
    try:
        joined = "\n".join(ids).encode("ascii")  # TypeError: one is no text; UnicodeError: no id's
    except UnicodeEncodeError:
        return False
    return bool(ids) and joined.translate(_ID_CLASSES) == b"\n".join([_ID_SHAPE] * len(ids))


def _iso_time(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
