"""Every path parameter of every route × the bad path values of the catalogue, and every
route × the methods that no page or client of ours sends (OPTIONS, TRACE, an unknown one).

The routes come from the URL configuration (the walk of ``test_route_coverage``, which also
ties every API route to the OpenAPI document), so a new route is tried here without a line
added. Each is requested anonymously, as an officer and as a Polres supervisor, with the
records of the officer's own Polsek in its other parameters, so that requests get past the
look-ups to the code behind them. The answers:

- a NUL byte in any path parameter, whatever the method: 404 in the one error shape
  (``{"error": …}`` under /api/, the error page elsewhere). PostgreSQL refuses NUL in text,
  so one place (``core.querystrings.NulInputMiddleware``) refuses it before any view;
- any other bad path value (``bad_inputs.BAD_PATH_VALUES``), and OPTIONS, TRACE and an
  unknown method on every route: never a server error, and under /api/ the one error shape.

Run on PostgreSQL too (``DATABASE_URL``): there a NUL that reaches a query is a 500.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.testing.bad_inputs import BAD_PATH_VALUES, NUL_PATH_VALUES
from sambang.testing.world import World
from sambang.tests.scope_specimens import Specimens, build_specimens
from sambang.tests.scope_table import OPERATIONS, PAGES, Entry
from sambang.tests.test_route_coverage import (
    DEFAULTS,
    Route,
    is_admin,
    is_api,
    openapi_operations,
    openapi_path,
    routes,
)

pytestmark = pytest.mark.django_db

PEOPLE: tuple[str | None, ...] = (None, Role.OFFICER, Role.POLRES)
OWNER = "polsek_a1a"  # the officer user's Polsek: in scope of both signed-in users
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
# A value of each converter's form for a parameter that no specimen names.
PLACEHOLDER = {"int": "1", "uuid": str(uuid.UUID(int=1, version=4)), "slug": "x"}
PAGE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
# Methods that no page or client of ours sends: answered, never a server error.
ODD_METHODS = ("OPTIONS", "TRACE", "PROPFIND")


def _routes() -> list[Route]:
    return [r for r in routes() if not is_admin(r)]


def _entry(route: Route) -> Entry | None:
    if is_api(route):
        path = openapi_path(route.pattern)
        return next((e for k, e in OPERATIONS.items() if k.split(" ", 1)[1] == path), None)
    return PAGES.get(route.key)


def _values(route: Route, specimens: Specimens) -> dict[str, str]:
    """Real values for the route's parameters: the record of the officer's Polsek of the
    kind the scope table names for it, else the generated checks' defaults."""
    values = dict(DEFAULTS)
    entry = _entry(route)
    if entry is not None and entry.sample is not None:
        owners = specimens.values.get(entry.sample, {})
        values |= owners.get(OWNER) or next(iter(owners.values()), {})
    return values


def _url(route: Route, values: dict[str, str], bad: tuple[str, str] | None = None) -> str:
    """The route's URL; with ``bad`` = (parameter, raw value), that parameter sent as is."""

    def fill(match: re.Match[str]) -> str:
        converter, name = match[1] or "str", match[2]
        if bad is not None and name == bad[0]:
            return bad[1]
        return quote(values.get(name, PLACEHOLDER.get(converter, "x")), safe="")

    return "/" + PARAMETER.sub(fill, route.pattern)


def _methods(route: Route, described: dict[str, set[str]]) -> tuple[str, ...]:
    if is_api(route):
        return (*sorted(described.get(openapi_path(route.pattern), {"GET"})), "OPTIONS", "HEAD")
    return PAGE_METHODS


class People:
    """Anonymous, the officer and the Polres supervisor; a token for /api/, a session
    elsewhere. A server error is an answer here (500), not an exception, so that every
    route's failures are listed at once."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clients: dict[tuple[str | None, bool], Client] = {}

    def __call__(self, role: str | None, api: bool) -> Client:
        key = (role, api)
        if key not in self.clients:
            client: Client
            if api:
                client = APIClient(raise_request_exception=False)
                if role is not None:
                    client.credentials(HTTP_AUTHORIZATION=f"Token {self.world.tokens[role]}")
            else:
                client = Client(raise_request_exception=False)
                if role is not None:
                    client.force_login(self.world.users[role])
            self.clients[key] = client
        return self.clients[key]


def _in_error_shape(answer: object) -> bool:
    try:
        body = answer.json()  # type: ignore[attr-defined]
    except ValueError:
        return False
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and {"code", "message", "fields"} <= set(error)


def _nul_problem(answer: object, method: str, api: bool) -> str | None:
    """Why the answer to a path with a NUL is not the 404 of the one error shape, or None."""
    status = answer.status_code  # type: ignore[attr-defined]
    if status != 404:
        return f"{status}, not 404"
    if method == "HEAD":
        return None
    if api:
        if not _in_error_shape(answer) or answer.json()["error"]["code"] != "not_found":  # type: ignore[attr-defined]
            return "not the JSON error shape"
    elif b"<h1>404</h1>" not in answer.content:  # type: ignore[attr-defined]
        return "not the error page"
    return None


@pytest.fixture
def specimens(world: World) -> Specimens:
    return build_specimens(world)


def _parameters(route: Route) -> Iterator[str]:
    for match in PARAMETER.finditer(route.pattern):
        yield match[2]


def test_the_routes_with_parameters_are_all_tried() -> None:
    # The walk finds the routes named in the issue that was filed about it: public ones,
    # API operations and pages with string codes.
    with_parameters = {r.key for r in _routes() if any(_parameters(r))}
    assert {"public:report_status", "api:unit_detail", "organization:unit_detail"} <= (
        with_parameters
    )
    assert len(with_parameters) > 70


def test_a_nul_byte_in_any_path_parameter_is_a_404_in_the_error_shape(
    world: World, specimens: Specimens
) -> None:
    people = People(world)
    described: dict[str, set[str]] = {}
    for key in openapi_operations():
        method, path = key.split(" ", 1)
        described.setdefault(path, set()).add(method)
    wrong: list[str] = []
    tried = 0
    for route in _routes():
        values, api = _values(route, specimens), is_api(route)
        for name in _parameters(route):
            for index, (label, raw) in enumerate(NUL_PATH_VALUES):
                url = _url(route, values, (name, raw))
                methods = _methods(route, described) if index == 0 else ("GET",)
                for role in PEOPLE:
                    for method in methods:
                        answer = people(role, api).generic(method, url)
                        tried += 1
                        if problem := _nul_problem(answer, method, api):
                            wrong.append(
                                f"{role or 'anonymous'} {method} {url} ({label}): {problem}"
                            )
    assert tried > 1000
    assert not wrong, f"{len(wrong)} answers to a NUL in the path:\n" + "\n".join(wrong)


def test_bad_path_values_never_cause_a_server_error(world: World, specimens: Specimens) -> None:
    people = People(world)
    wrong: list[str] = []
    others = [bad for bad in BAD_PATH_VALUES if bad not in NUL_PATH_VALUES]
    for route in _routes():
        values, api = _values(route, specimens), is_api(route)
        for name in _parameters(route):
            for label, raw in others:
                url = _url(route, values, (name, raw))
                for role in PEOPLE:
                    answer = people(role, api).get(url)
                    if answer.status_code >= 500:
                        wrong.append(f"{role or 'anonymous'} GET {url[:120]} ({label}): 5xx")
                    elif api and answer.status_code >= 400 and not _in_error_shape(answer):
                        wrong.append(f"{role or 'anonymous'} GET {url[:120]} ({label}): shape")
    assert not wrong, f"{len(wrong)} bad answers:\n" + "\n".join(wrong)


def test_options_trace_and_unknown_methods_never_cause_a_server_error(
    world: World, specimens: Specimens
) -> None:
    people = People(world)
    wrong: list[str] = []
    for route in _routes():
        url, api = _url(route, _values(route, specimens)), is_api(route)
        for role in PEOPLE:
            for method in ODD_METHODS:
                answer = people(role, api).generic(method, url)
                if answer.status_code >= 500:
                    wrong.append(f"{role or 'anonymous'} {method} {url}: {answer.status_code}")
                elif api and answer.status_code >= 400 and not _in_error_shape(answer):
                    wrong.append(f"{role or 'anonymous'} {method} {url}: not the error shape")
    assert not wrong, f"{len(wrong)} bad answers:\n" + "\n".join(wrong)
