import gc
import weakref

import pytest

from fpdesk.core.collector import young_generations_only


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_young_cycles_are_still_freed_and_full_passes_held_back():
    before = gc.get_threshold()
    with young_generations_only():
        assert gc.isenabled()
        assert gc.get_threshold()[2] >= 1_000_000  # no full pass during the job
        cycle = weakref.ref(_Node())
        kept = [[] for _ in range(30_000)]  # containers enough for automatic young collections
        assert cycle() is None
        del kept
    assert gc.get_threshold() == before


def test_the_youngest_generation_alone_still_frees_young_cycles():
    before = gc.get_threshold()
    with young_generations_only(youngest=True):
        assert gc.isenabled()
        assert min(gc.get_threshold()[1:]) >= 1_000_000  # what survives a young pass is never walked again
        cycle = weakref.ref(_Node())
        kept = [[] for _ in range(30_000)]
        assert cycle() is None
        del kept
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_when_the_job_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), young_generations_only():
        raise RuntimeError("job failed")
    assert gc.get_threshold() == before
