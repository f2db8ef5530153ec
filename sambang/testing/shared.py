"""Data built once and read by many tests: the test world of a module, the demo.

What Django's ``TestCase.setUpTestData`` does for a class, here for a pytest module: the data
is written inside one transaction that stays open while the module's tests run; each test's
own transaction (pytest-django's ``db``) nests in it as a savepoint and is rolled back, so
every test starts from the same data, and the outer transaction is rolled back at the end.

Tests that commit (``transaction=True``, ``live_server``) cannot run inside it: before one of
them the shared transaction is closed, and such tests build what they need themselves.
At most one shared transaction is open at a time (one per xdist worker: one process each).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from pytest_django.fixtures import validate_django_db

_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def is_transactional(item: pytest.Item) -> bool:
    """Whether the test commits (pytest-django runs it as a ``TransactionTestCase``)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return bool(_TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def module_reads(request: pytest.FixtureRequest, fixture: str) -> bool:
    """Whether a test of the requesting module reads ``fixture`` inside a rolled-back
    transaction (so building it once for the module pays)."""
    return any(
        fixture in getattr(item, "fixturenames", ())
        and not is_transactional(item)
        and item.getparent(pytest.Module) is request.node
        for item in request.session.items
    )


class _Shared:
    def __init__(self) -> None:
        self._atomic: Any = None
        self.value: object = None

    def open(self, build: Callable[[], object]) -> object:
        self.close()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        self._atomic, self.value = atomic, value
        return value

    def close(self) -> None:
        if self._atomic is None:
            return
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._atomic, self.value = None, None

    def holds(self, value: object) -> bool:
        return self._atomic is not None and value is not None and self.value is value


SHARED = _Shared()


@contextmanager
def module_data(
    request: pytest.FixtureRequest, blocker: Any, fixture: str, build: Callable[[], object]
) -> Iterator[object]:
    """For a module-scoped fixture: ``build()`` once inside the shared transaction when a test
    of the module reads ``fixture`` without committing; yields what it built, else None."""
    if not module_reads(request, fixture):
        yield None
        return
    with blocker.unblock():
        value = SHARED.open(build)
    try:
        yield value
    finally:
        with blocker.unblock():
            SHARED.close()


def close_before(item: pytest.Item, blocker: Any) -> None:
    """A test that commits runs outside any shared transaction."""
    if is_transactional(item):
        with blocker.unblock():
            SHARED.close()
