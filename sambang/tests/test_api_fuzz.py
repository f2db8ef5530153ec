"""Property-based fuzzing of the whole JSON API from its own OpenAPI document.

Schemathesis loads ``/api/openapi.json`` from the WSGI application, in-process, and
sends every operation requests generated from the document — valid ones and, for
operations that take input, invalid ones — as a Polres supervisor, as an officer, and
anonymously for the public operations. Paths name generated values and, as often, the
test world's real records (units, villages, officers, a plan, a report, a directive,
an incident, a person of interest, a resident's report), so that requests get past the
look-up to the code behind it. Each response must:

- not be a server error (5xx): bad input is a 4xx with field messages;
- have a status code the document lists for the operation;
- have the documented content type, and a body that matches the documented schema.

The run is bounded for CI (``FUZZ_EXAMPLES`` per operation and mode, deterministic:
the same requests every run); ``@pytest.mark.long`` runs ``LONG_EXAMPLES``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sambang.accounts.models import ApiToken, key_digest
from sambang.evaluation.maps import LAYERS
from sambang.personnel.models import Role
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

FUZZ_EXAMPLES = 12  # requests per operation and role: the bound that keeps CI short
# make test-long: enough for more than 20,000 requests per role (FUZZ_LONG_EXAMPLES to change)
LONG_EXAMPLES = int(os.environ.get("FUZZ_LONG_EXAMPLES", "250"))

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class FuzzRun:
    role: str
    operations: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)


@contextmanager
def _inside_the_test_transaction() -> Iterator[None]:
    """Requests reach the WSGI handler directly, as Django's test client does: the
    handler's signals must not close the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _client(world: World, role: str | None) -> APIClient:
    client = APIClient()
    if role:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def real_path_values(world: World) -> dict[str, dict[str, list[str]]]:
    """Records the fuzzed paths may name, by path parameter and the path's first part:
    the world's units, villages and officers, and one record of each kind made through
    the API (so that fuzzing reaches the code behind each look-up)."""
    officer, polres = _client(world, Role.OFFICER), _client(world, Role.POLRES)
    village = world.villages["polsek_a1a"]
    today = dt.date.today()
    plan = str(uuid.uuid4())
    _created(
        officer.post(
            "/api/v1/plans/",
            {
                "uuid": plan,
                "activity_type": "dds",
                "village": village.code,
                "date": today.isoformat(),
                "start_time": "09:00",
                "end_time": "11:00",
                "target_kind": "household",
                "target": "Rumah Pak RT 03",
            },
            format="json",
        )
    )
    report = _created(officer.post("/api/v1/reports/", report_payload(world), format="json"))
    incident = _created(
        officer.post(
            "/api/v1/incidents/",
            {
                "category": "tawuran-pelajar",
                "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat(),
                "village": village.code,
                "description": "Tawuran dua SMK sepulang sekolah di jembatan desa.",
            },
            format="json",
        )
    )
    person = _created(
        polres.post(
            "/api/v1/persons-of-interest/",
            {"name": "Residivis Contoh", "village": village.code, "incidents": [incident["id"]]},
            format="json",
        )
    )
    directive = _created(
        polres.post(
            "/api/v1/directives/",
            {"unit": world.units["polsek_a1a"].code, "title": "Patroli", "body": "Patroli malam."},
            format="json",
        )
    )
    citizen = _created(
        APIClient().post(
            "/api/v1/public/citizen-reports",
            {"category": "disorder", "description": "Balap liar.", "village": village.code},
            format="json",
        )
    )
    cache.clear()  # the residents' report counted against the address's limit
    units = [unit.code for unit in world.units.values()]
    villages = [v.code for v in [*world.villages.values(), *world.free_villages.values()]]
    months = [
        today.strftime("%Y-%m"),
        (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"),
    ]
    return {
        "code": {
            "units": units,
            "evaluations": units,
            "map": units,
            "public": [world.units[key].code for key in ("polsek_a1a", "polsek_b1a")]
            + [citizen["tracking_code"]],
            "villages": villages,
            "regions": ["32", "32.16", "32.16.08", *villages],
            "citizen-reports": [citizen["tracking_code"]],
        },
        "nrp": {"*": [o.nrp for o in world.officers.values()]},
        "month": {"*": months},
        "layer": {"*": list(LAYERS)},
        "uuid": {"plans": [plan], "reports": [report["uuid"]]},
        "id": {
            "assignments": [str(a.pk) for a in world.assignments.values()],
            "directives": [str(directive["id"])],
            "incidents": [str(incident["id"])],
            "persons-of-interest": [str(person["id"])],
        },
    }


def _real_path_parameters(operation: Any, pools: dict[str, dict[str, list[str]]]) -> list[dict]:
    """A few sets of real values for the operation's path parameters (none: none known)."""
    first = operation.path.removeprefix("/api/v1/").split("/")[0]
    names = [p.name for p in operation.path_parameters]
    values = {}
    for name in names:
        by_first = pools.get(name, {})
        found = by_first.get(first) or by_first.get("*")
        if found:
            values[name] = found
    if not values:
        return []
    width = max(len(found) for found in values.values())
    return [{name: found[i % len(found)] for name, found in values.items()} for i in range(width)]


def _load_schema() -> Any:
    with _inside_the_test_transaction():
        return schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


def _is_public(operation: Any) -> bool:
    """Public operations accept a request without credentials (``{}`` in security)."""
    security = operation.definition.raw.get("security")
    return security is not None and {} in security


def _strategy(operation: Any, real: list[dict[str, str]]) -> Any:
    """Valid and invalid requests, half of them (where known) on real records."""
    strategies = []
    for path_parameters in [None, *real]:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                strategies.append(
                    operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
                )
            except Exception:  # noqa: S112 - no invalid input to an operation without input
                continue
    generated = st.one_of(strategies[:2])
    if len(strategies) <= 2:
        return generated
    return st.one_of(generated, st.one_of(strategies[2:]))


def _keep_signed_in(world: World, role: str, headers: dict[str, str]) -> None:
    """A new token when the fuzzing has revoked the caller's own (``DELETE
    /auth/tokens/{id}`` with its id): the rest of the run must not be 401s only."""
    key = headers["Authorization"].removeprefix("Token ")
    if not ApiToken.objects.filter(digest=key_digest(key)).exists():
        headers["Authorization"] = f"Token {ApiToken.issue(world.users[role], 'fuzz')[1]}"


def fuzz(world: World, role: str | None, *, examples: int) -> FuzzRun:
    """Every operation of the document (anonymously: the public ones), ``examples``
    requests each, as ``role``."""
    pools = real_path_values(world)
    schema = _load_schema()
    run = FuzzRun(role=role or "anonymous")
    headers = {"Authorization": f"Token {world.tokens[role]}"} if role else {}
    server_errors: list[str] = []

    def record(sender: object, request: Any = None, **kwargs: Any) -> None:
        server_errors.append(traceback.format_exc())

    got_request_exception.connect(record)
    try:
        with _inside_the_test_transaction():
            for result in schema.get_all_operations():
                operation = result.ok()
                if role is None and not _is_public(operation):
                    continue
                run.operations += 1

                @settings(
                    max_examples=examples,
                    derandomize=True,
                    database=None,
                    deadline=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False,
                )
                @given(case=_strategy(operation, _real_path_parameters(operation, pools)))
                def check(case: Any) -> None:
                    # Residents' reports are limited per address: every case starts afresh,
                    # so that the limit's documented 429 does not hide the operation.
                    cache.clear()
                    if role:
                        _keep_signed_in(world, role, headers)
                    run.requests += 1
                    case.call_and_validate(headers=headers, checks=CHECKS)

                server_errors.clear()
                try:
                    check()
                except (Exception, BaseExceptionGroup) as error:
                    message = f"{operation.label} as {run.role}: {error}"
                    if server_errors:
                        message += "\n" + server_errors[-1]
                    run.failures.append(message)
    finally:
        got_request_exception.disconnect(record)
    return run


def _report(run: FuzzRun, started: float, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(
            f"\nAPI fuzz as {run.role}: {run.requests} requests over {run.operations} "
            f"operations in {time.monotonic() - started:.1f} s, {len(run.failures)} failing"
        )
    if run.failures:
        pytest.fail("\n\n".join(run.failures), pytrace=False)


FUZZ_ROLES = [Role.POLRES, Role.OFFICER, None]


@pytest.mark.django_db
@pytest.mark.parametrize("role", FUZZ_ROLES, ids=["polres", "officer", "anonymous"])
def test_the_api_answers_fuzzed_requests_as_documented(
    world: World, role: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    run = fuzz(world, role, examples=FUZZ_EXAMPLES)
    _report(run, started, capsys)


@pytest.mark.long
@pytest.mark.django_db
@pytest.mark.parametrize("role", FUZZ_ROLES, ids=["polres", "officer", "anonymous"])
def test_the_api_answers_many_more_fuzzed_requests_as_documented(
    world: World, role: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    run = fuzz(world, role, examples=LONG_EXAMPLES)
    _report(run, started, capsys)


def test_the_openapi_document_loads_as_a_valid_schema(db: None) -> None:
    schema = _load_schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50


# What the fuzzing found, each as the request that showed it.


@pytest.mark.django_db
def test_a_nul_in_a_query_parameter_is_a_field_error(world: World) -> None:
    response = _client(world, Role.POLRES).get("/api/v1/incidents/?category=a%00b")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"category": ["Null characters are not allowed."]}


@pytest.mark.django_db
def test_a_person_of_interest_naming_an_id_beyond_64_bits_is_a_field_error(world: World) -> None:
    response = _client(world, Role.POLRES).post(
        "/api/v1/persons-of-interest/",
        {"name": "X", "village": world.villages["polsek_a1a"].code, "incidents": [2**64]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["incidents.0"]


@pytest.mark.django_db
def test_a_village_nobody_described_has_an_empty_profile_with_every_field(world: World) -> None:
    code = world.villages["polsek_a1a"].code
    profile = _client(world, Role.POLRES).get(f"/api/v1/villages/{code}/profile").json()
    assert profile["updated_at"] is None and profile["factors"] == []
    assert {"households", "livelihoods", "religions"} <= profile.keys()


@pytest.mark.django_db
def test_the_honeypot_answer_looks_like_a_real_one(world: World) -> None:
    body = {"category": "crime", "description": "x", "website": "http://spam.example"}
    body["village"] = world.villages["polsek_a1a"].code
    answer = APIClient().post("/api/v1/public/citizen-reports", body, format="json").json()
    assert isinstance(answer["received_at"], str)
