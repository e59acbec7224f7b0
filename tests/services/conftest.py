"""Fixtures of the service tests: a folder of offices for the sync tests."""

from __future__ import annotations

import pytest

from tests.services.sync_helpers import Offices


@pytest.fixture
def offices(tmp_path):
    """Offices, each its own database in ``tmp_path``, closed after the test."""
    made = Offices(tmp_path)
    yield made
    made.close()
