"""The change-log text of many entries of one kind, made from a template per distinct set of their
shared values.

A roster's writing logs 300,000 entries whose values mostly repeat: every insured person of a
plan has the same product, year, shares, date and list of sums insured, every member of a
household the same household id. Encoding each entry whole (``changelog._dumps``) cost 8.5 µs an
entry, most of it on values already encoded for the entry before. A ``FieldsTexts`` encodes the
values that repeat once, as a template with a gap for each value that varies, and fills the gaps:
the text is exactly what ``_dumps`` gives the same dict (same keys, order, separators and escapes),
which tests/storage/test_fields_text.py checks value kind by value kind, and the roster equivalence
test checks over a whole import.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from typing import Any

from fpdesk.storage.changelog import _dumps

_SENTINEL = "\x00fpdesk-gap-{}\x00"  # a text no logged value holds; checked when a template is made


def _uuid_text(value: uuid.UUID) -> str:
    return f'"{value}"'


def _date_text(value: dt.date) -> str:
    return f'"{value.isoformat()}"'


# the kinds of varying value encoded here directly, as the JSON encoder (and _json_default) writes them;
# any other kind goes through _dumps
_ENCODE = {str: encode_basestring_ascii, int: int.__repr__, type(None): lambda _value: "null",
           bool: lambda value: "true" if value else "false", uuid.UUID: _uuid_text, dt.date: _date_text}


def value_text(value: Any) -> str:
    """What ``_dumps`` writes for this value inside a dict."""
    encode = _ENCODE.get(value.__class__)
    return encode(value) if encode is not None else _dumps(value)


class FieldsTexts:
    """Texts of dicts with the same keys in the same order.

    ``varying``: the keys whose values differ from entry to entry (encoded every time);
    ``shared``: keys whose values are unhashable objects the entries share (a plan's list of sums
    insured), told apart by identity and kept alive by the template made for them. Every other key's
    value, with its class, picks the template; an unhashable one makes that entry go through
    ``_dumps`` whole.
    """

    def __init__(self, keys: Sequence[str], varying: Sequence[str], shared: Sequence[str] = ()):
        self.keys = tuple(keys)
        unknown = (set(varying) | set(shared)) - set(self.keys)
        if unknown:
            raise ValueError(f"not among the keys: {sorted(unknown)}")
        self._varying = [key for key in self.keys if key in varying]
        self._shared = [key for key in self.keys if key in shared]
        self._fixed = [key for key in self.keys if key not in varying and key not in shared]
        self._get_varying = _getter(self._varying)
        self._get_shared = _getter(self._shared)
        self._get_fixed = _getter(self._fixed)
        self._templates: dict[tuple, tuple[tuple[str, ...], tuple]] = {}

    def text(self, fields: dict[str, Any]) -> str:
        if tuple(fields) != self.keys:  # a template is made from one order of the keys
            return _dumps(fields)
        fixed = self._get_fixed(fields)
        shared = self._get_shared(fields)
        try:
            key = (fixed, tuple(map(type, fixed)), tuple(map(id, shared)))
            template = self._templates.get(key)
        except TypeError:  # an unhashable value where a repeated one was expected
            return _dumps(fields)
        if template is None:
            template = self._templates[key] = (self._make(fields), shared)  # shared kept alive with it
        pieces = template[0]
        if pieces is None:
            return _dumps(fields)
        if len(pieces) == 1:
            return pieces[0]
        return pieces[0] + "".join(map(str.__add__, map(value_text, self._get_varying(fields)), pieces[1:]))

    def _make(self, fields: dict[str, Any]) -> tuple[str, ...] | None:
        """The text of ``fields`` with a gap marker for each varying value, cut at the markers;
        None (the entries of these values encoded whole) if a repeated value holds a marker."""
        gaps = {key: _SENTINEL.format(n) for n, key in enumerate(self._varying)}
        text = _dumps({key: gaps.get(key, value) for key, value in fields.items()})
        pieces = [text]
        for key in self._varying:
            marker = encode_basestring_ascii(gaps[key])
            if text.count(marker) != 1:
                return None
            head, _, tail = pieces[-1].partition(marker)
            pieces[-1:] = [head, tail]
        return tuple(pieces)


def _getter(keys: list[str]):
    if not keys:
        return lambda _fields: ()
    if len(keys) == 1:
        only = keys[0]
        return lambda fields: (fields[only],)
    return itemgetter(*keys)
