"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.signals import request_finished
from django.test import TestCase
from rest_framework.test import APIClient

from sambang.testing import shared
from sambang.testing.world import World, build_world

LONG_TESTS = os.environ.get("SAMBANG_LONG_TESTS") == "1"

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counts and staffing figures (in the caches) and the activity types a process
    keeps do not carry from one test to the next (a test's rows are rolled back)."""
    from sambang.fieldwork.services import forget_types

    for kept in caches.all():
        kept.clear()
    forget_types()


@pytest.fixture(autouse=True)
def _shared_data_closed_for_committing_tests(
    request: pytest.FixtureRequest, django_db_blocker: Any
) -> None:
    """A test that commits does not run inside a module's shared transaction."""
    shared.close_before(request.node, django_db_blocker)


@pytest.fixture(scope="module")
def _module_world(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[object]:
    """The test world, built once for the module's tests that roll back (sambang.testing.shared)."""
    with shared.module_data(request, django_db_blocker, "world", build_world) as built:
        yield built


@pytest.fixture
def world(_module_world: World | None, db: None) -> World:
    """The small police world of ``sambang.testing.world``: fresh instances over rows shared
    by the module's tests; built for the test itself where it commits."""
    if shared.SHARED.holds(_module_world):
        assert _module_world is not None
        return _module_world.reloaded()
    return build_world()


def _the_worker_catches_up(sender: Any, **kwargs: Any) -> None:
    from sambang.fieldwork.processing import process_pending

    # What the worker does once its batch is committed (deleting the photos as sent) is done
    # too, though the test's own transaction never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        process_pending()


@pytest.fixture(autouse=True)
def _worker_keeps_up(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each request a test makes, the report worker processes what it accepted
    (``fieldwork.processing``), as ``sambang process`` would a moment later: the tests then
    read integrity and figures as they stand once it has. A test marked ``worker_behind``
    sees what a request leaves before the worker comes (reports accepted, being checked)."""
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if "worker_behind" in request.keywords or not uses_db:
        yield
        return
    request_finished.connect(_the_worker_catches_up, dispatch_uid="test-worker")
    try:
        yield
    finally:
        request_finished.disconnect(dispatch_uid="test-worker")


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def shared_data() -> Path:
    """The reference data beside the checkout (../shared/data); skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.hookimpl(trylast=True)  # after pytest-django has put tests that commit last
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last (each test process starts Chromium once and keeps it: while
    Playwright runs, the process's ORM calls need DJANGO_ALLOW_ASYNC_UNSAFE, which only the
    browser tests set). Runs of minutes (``@pytest.mark.long``) wait for
    ``SAMBANG_LONG_TESTS=1`` (``make test-long``); their short versions run in every
    ``make test``."""
    items.sort(key=lambda item: "browser" in item.keywords)  # stable: the order otherwise kept
    if LONG_TESTS:
        return
    skip = pytest.mark.skip(reason="long run: set SAMBANG_LONG_TESTS=1 (make test-long)")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
