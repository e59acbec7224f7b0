"""A change-log text made from a template (storage/fields_text.py) is exactly the text the flush
would have made of the same dict (``changelog._dumps``): the chain hashes that text and sync sends
it, so not a byte may differ. Checked on generated dicts of every kind of value services log, many
dicts sharing one ``FieldsTexts`` (so its templates are reused, and told apart by their values and
the values' classes), and on what must not take a template."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from fpdesk.storage.changelog import _dumps
from fpdesk.storage.fields_text import FieldsTexts, value_text

TEXT = st.text(alphabet=st.sampled_from("林国华罗翠村户主配偶abcXYZ 019-,:\"\\\n\t\x00\x01\x7fé€😀{}"), max_size=10)
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | TEXT | st.dates()
           | st.datetimes() | st.uuids() | st.floats(allow_nan=False, allow_infinity=False)
           | st.frozensets(st.integers(), max_size=3) | st.frozensets(TEXT, max_size=3))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=6)
KEYS = ("enrollment_id", "person_id", "id_number", "policy_year", "shares", "added_on", "sums_insured", "note")
# few distinct values a key, as a roster's rows repeat them: 0, 0.0, False and None among them
REPEATED = st.sampled_from([0, 0.0, False, None, 1, True, "", "户主", dt.date(2024, 4, 30), 2024, "0"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(VALUES, min_size=3, max_size=3), st.lists(REPEATED, min_size=4, max_size=4),
                          st.integers(min_value=0, max_value=2)), min_size=1, max_size=25))
def test_every_text_is_what_the_flush_would_make_of_the_dict(entries):
    shared_lists = [[{"kind": "accident", "amount_fen": 6666667, "per_day": None}], [], [{"kind": "medical"}]]
    texts = FieldsTexts(KEYS, varying=("enrollment_id", "person_id", "id_number"), shared=("sums_insured",))
    for varying, repeated, shared in entries:
        fields = dict(zip(KEYS, [*varying, *repeated[:3], shared_lists[shared], repeated[3]], strict=True))
        assert texts.text(fields) == _dumps(fields)


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_a_varying_value_is_written_as_inside_the_dict(value):
    assert f'{{"a": {value_text(value)}}}' == _dumps({"a": value})


def test_what_takes_no_template_is_encoded_whole():
    texts = FieldsTexts(("a", "b", "c"), varying=("a",))
    marker = "\x00fpdesk-gap-0\x00"
    for fields in ({"a": 1, "b": [1, 2], "c": None},  # an unhashable value where a repeated one is expected
                   {"b": 2, "a": 1, "c": None},  # the keys in another order
                   {"a": 1, "b": 2},  # fewer keys
                   {"a": 1, "b": marker, "c": "x"},  # a repeated value holding the gap marker
                   {"a": marker, "b": 2, "c": 3}):  # so does the varying value: written as it is
        assert texts.text(fields) == _dumps(fields)
    one = uuid.UUID(int=7)
    assert texts.text({"a": one, "b": True, "c": 1}) == _dumps({"a": one, "b": True, "c": 1})
    assert texts.text({"a": one, "b": 1, "c": True}) == _dumps({"a": one, "b": 1, "c": True})  # not True's template


def test_keys_named_for_templates_must_be_keys():
    import pytest

    with pytest.raises(ValueError):
        FieldsTexts(("a",), varying=("b",))
