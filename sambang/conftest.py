"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from sambang.testing.world import World, build_world

LONG_TESTS = os.environ.get("SAMBANG_LONG_TESTS") == "1"

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counts (in the cache) do not carry from one test to the next."""
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def shared_data() -> Path:
    """The reference data beside the checkout (../shared/data); skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Runs of minutes (``@pytest.mark.long``) wait for ``SAMBANG_LONG_TESTS=1``
    (``make test-long``); their short versions run in every ``make test``."""
    if LONG_TESTS:
        return
    skip = pytest.mark.skip(reason="long run: set SAMBANG_LONG_TESTS=1 (make test-long)")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
