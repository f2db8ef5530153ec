"""The demo's tests read one demo, built once per module (``DEMO_DAYS`` of field work, set
by each module) in a transaction the module's tests share (``sambang.testing.shared``)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from sambang.testing import shared


@pytest.fixture(autouse=True)
def demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = True


def _builder(request: pytest.FixtureRequest) -> Callable[[], str]:
    days = request.module.DEMO_DAYS

    def build() -> str:
        out = io.StringIO()
        with override_settings(DEMO_MODE=True):
            call_command("demo", "--days", str(days), stdout=out)
        return out.getvalue()

    return build


@pytest.fixture(scope="module")
def _module_demo(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[object]:
    with shared.module_data(request, django_db_blocker, "demo", _builder(request)) as built:
        yield built


@pytest.fixture
def demo(request: pytest.FixtureRequest, _module_demo: str | None, db: None) -> str:
    """The demo, and what ``sambang demo`` printed while building it."""
    if shared.SHARED.holds(_module_demo):
        assert _module_demo is not None
        return _module_demo
    return _builder(request)()
