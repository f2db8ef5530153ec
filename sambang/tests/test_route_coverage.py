"""Every route and every API operation is in the scope table, and is checked against it.

The table (``scope_table.py``) is generated from nothing: it is written by hand. What is
generated from the URL configuration and the OpenAPI document is the list it is compared
with, so that a new page or operation without a scope entry fails here, and an entry for
a route that is gone fails too. Each entry is then requested as every role (and as an
anonymous visitor) with the ids of records of the user's own unit, a sibling, a parent and
another Polda's units; what each role should get is the table's scope, written out by hand.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.testing.world import World
from sambang.tests.scope_specimens import MONTH, Specimens, build_specimens
from sambang.tests.scope_table import OPERATIONS, PAGES, Entry, Scope, sees

ROLES = list(Role)
HOW_TO_ADD = (
    "Add a line for each to {table} in sambang/tests/scope_table.py, e.g.\n{lines}\n"
    "with its Scope (public, authenticated-any, own, unit-subtree, field-subtree, "
    "supervisor-subtree, polres-and-above, national, admin-only), the kind of record its URL "
    "names (a kind of scope_specimens.Specimens, or None) and the test proving its scope. "
    "The generated checks below then request it as every role; see the table's docstring."
)


def _suggest(keys: list[str]) -> str:
    return "\n".join(
        f'    "{key}": Entry(Scope.?, sample=?, tests=("<file>::<test>",)),' for key in keys
    )


# Values for URL parameters that name no record.
DEFAULTS = {
    "month": MONTH,
    "layer": "area",
    "fmt": "pdf",
    "kind_name": "equipment",
    "uidb64": "MQ",  # a password reset link, not a valid one
    "token": "not-a-token",
    "pk": "999999",  # an id no record has (the user's own API token, say)
    "code": "text_copy",  # a report's integrity signal
    "name": "reports/nothing-here.jpg",  # an uploaded file no record holds
    "channel": "telegram",  # a chat channel (off in the tests: no settings)
}


@dataclass(frozen=True)
class Route:
    key: str  # the URL name with its namespaces, or the pattern for an unnamed route
    pattern: str  # the whole pattern, e.g. "api/v1/reports/<uuid:uuid>"
    callback: Any


def routes() -> Iterator[Route]:
    """Every URL pattern of the URL configuration, through every include."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespaces: list[str]
    ) -> Iterator[Route]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespaces + ([pattern.namespace] if pattern.namespace else [])
                yield from walk(pattern.url_patterns, route, inner)
            else:
                key = ":".join([*namespaces, pattern.name]) if pattern.name else route
                yield Route(key, route, pattern.callback)

    yield from walk(get_resolver().url_patterns, "", [])


def is_admin(route: Route) -> bool:
    return route.pattern.startswith("admin/")


def is_api(route: Route) -> bool:
    return route.pattern.startswith("api/v1/")


def openapi_path(pattern: str) -> str:
    """``api/v1/assignments/<int:pk>/end`` → ``/api/v1/assignments/{id}/end`` (OpenAPI's name)."""
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)
    return path.replace("{pk}", "{id}")


def openapi_operations() -> dict[str, dict[str, Any]]:
    """Every operation of the OpenAPI document, as ``METHOD /path``, read over HTTP."""
    document = Client().get("/api/openapi.json").json()
    return {
        f"{method.upper()} {path}": operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


# --- the table covers every route and nothing else ------------------------------------------


def test_every_page_has_a_scope_entry() -> None:
    missing = [r for r in routes() if not is_admin(r) and not is_api(r) and r.key not in PAGES]
    assert not missing, (
        f"these routes have no scope entry: {[f'{r.key} (/{r.pattern})' for r in missing]}.\n"
        + HOW_TO_ADD.format(table="PAGES", lines=_suggest([r.key for r in missing]))
    )


@pytest.mark.django_db
def test_every_api_operation_has_a_scope_entry() -> None:
    missing = sorted(set(openapi_operations()) - set(OPERATIONS))
    assert not missing, f"these API operations have no scope entry: {missing}.\n" + (
        HOW_TO_ADD.format(table="OPERATIONS", lines=_suggest(missing))
    )


@pytest.mark.django_db
def test_every_api_route_is_described_in_the_openapi_document() -> None:
    described = {key.split(" ", 1)[1] for key in openapi_operations()}
    hidden = [r.key for r in routes() if is_api(r) and openapi_path(r.pattern) not in described]
    assert not hidden, (
        f"these API routes are not in /api/openapi.json, so no scope entry can name them: "
        f"{hidden}; describe them (drf-spectacular's extend_schema) and add their operations "
        "to OPERATIONS in sambang/tests/scope_table.py"
    )


@pytest.mark.django_db
def test_the_table_has_no_stale_entries() -> None:
    pages = {r.key for r in routes() if not is_admin(r) and not is_api(r)}
    stale = sorted(set(PAGES) - pages) + sorted(set(OPERATIONS) - set(openapi_operations()))
    assert not stale, f"these scope entries name no route any more: {stale}; remove them"


def test_every_named_test_exists() -> None:
    absent = []
    for key, entry in [*PAGES.items(), *OPERATIONS.items()]:
        for name in entry.tests:
            path, function = name.split("::")
            module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
            if not (function.startswith("test_") and callable(getattr(module, function, None))):
                absent.append(f"{key}: {name}")
    assert not absent, f"these scope entries name tests that do not exist: {absent}"


def test_every_route_has_a_generated_check_or_a_named_test() -> None:
    # A route is checked here when it answers GET, or names a record (writes out of scope
    # are probed); the others must name the test that covers them.
    unchecked = [
        key
        for key, entry in [*PAGES.items(), *OPERATIONS.items()]
        if not entry.get
        and entry.sample is None
        and not entry.writes
        and not entry.tests
        and not key.startswith(("POST ", "PUT ", "PATCH ", "DELETE "))
    ]
    assert not unchecked, f"these routes have neither a generated check nor a test: {unchecked}"


def test_public_pages_and_only_they_are_open_to_anyone() -> None:
    wrong = []
    for route in routes():
        if is_admin(route) or is_api(route) or route.key not in PAGES:
            continue
        public = PAGES[route.key].scope == Scope.PUBLIC
        marked = getattr(route.callback, "login_required", True) is False
        if public != marked:
            wrong.append(f"{route.key}: table says {PAGES[route.key].scope}, view login_required")
    assert not wrong, (
        f"{wrong}: a public page is marked with login_not_required, and only a public page"
    )


@pytest.mark.django_db
def test_public_operations_and_only_they_allow_anyone() -> None:
    views = {openapi_path(r.pattern): r.callback for r in routes() if is_api(r)}
    wrong = []
    for key, entry in OPERATIONS.items():
        method, path = key.split(" ", 1)
        view = views[path]
        cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
        permissions = list(getattr(cls, "permission_classes", []))
        handler = getattr(cls, method.lower(), None)
        permissions = list(getattr(handler, "permission_classes", permissions))
        open_to_all = bool(permissions) and all(p is AllowAny for p in permissions)
        if (entry.scope == Scope.PUBLIC) != open_to_all:
            wrong.append(f"{key}: table says {entry.scope}, permissions {permissions}")
    assert not wrong, f"{wrong}: a public operation allows anyone (AllowAny), and only it"


# --- generated checks: every role × records of every unit -----------------------------------


def _client(world: World, role: str, api: bool) -> Client:
    if api:
        token = APIClient()
        token.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
        return token
    client = Client()
    client.force_login(world.users[role])
    return client


def _samples(entry: Entry, specimens: Specimens) -> dict[str | None, dict[str, str]]:
    if entry.sample is None:
        return {None: dict(DEFAULTS)}
    return {owner: DEFAULTS | values for owner, values in specimens.values[entry.sample].items()}


def _page_url(key: str, values: dict[str, str]) -> str:
    route = next(r for r in routes() if r.key == key)
    names = re.findall(r"<(?:\w+:)?(\w+)>", route.pattern)
    if ":" not in key and key.endswith("/"):
        return "/" + key
    return reverse(key, kwargs={name: values[name] for name in names})


def _api_url(key: str, values: dict[str, str]) -> str:
    path = key.split(" ", 1)[1]
    return re.sub(r"\{(\w+)\}", lambda m: values["pk" if m[1] == "id" else m[1]], path)


def _check(
    clients: Mapping[str, Client],
    key: str,
    entry: Entry,
    method: str,
    url_of: Any,
    api: bool,
    owners: Any,
) -> list[str]:
    """Request the route as everyone (``clients``: one signed in per role); the list of
    answers that break the table's scope."""
    wrong: list[str] = []
    anonymous = APIClient() if api else Client()
    for owner, values in owners.items():
        url = url_of(key, values)
        if method == "GET" or entry.scope != Scope.PUBLIC:
            answer = anonymous.generic(method, url)
            if entry.scope == Scope.PUBLIC:
                if answer.status_code != entry.ok:
                    wrong.append(f"anonymous GET {url}: {answer.status_code}, not {entry.ok}")
            elif api and answer.status_code != 401:
                wrong.append(f"anonymous {method} {url}: {answer.status_code}, not 401")
            elif not api and not (
                answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
            ):
                wrong.append(f"anonymous {method} {url}: {answer.status_code}, not the login")
        for role, client in clients.items():
            visible = sees(entry, role, owner)
            if method == "GET":
                status = client.get(url).status_code
                # A partner outside their pages: always 403 (``partners.routes``).
                others = 403 if role == Role.PARTNER else entry.others
                expected = {entry.ok} if visible else {others} if owner is None else {403, 404}
            elif visible or entry.scope == Scope.PUBLIC:
                continue  # writes in scope: the named tests
            else:
                answer = client.generic(method, url, "{}", content_type="application/json")
                status = answer.status_code
                expected = {403, 404} if owner is not None else {403}
            if status not in expected:
                seen = "in scope" if visible else "out of scope"
                wrong.append(f"{role} {method} {url} ({owner}, {seen}): {status}, not {expected}")
    return [f"{key} ({entry.scope}): {line}" for line in wrong]


@pytest.fixture
def specimens(world: World) -> Specimens:
    return build_specimens(world)


@pytest.mark.django_db
def test_every_page_follows_its_scope(world: World, specimens: Specimens) -> None:
    # One world for all pages (building it takes seconds); every break is listed.
    wrong = []
    clients: dict[str, Client] = {role: _client(world, role, api=False) for role in ROLES}
    for key, entry in sorted(PAGES.items()):
        owners = _samples(entry, specimens)
        for method in (["GET"] if entry.get else []) + list(entry.writes):
            wrong += _check(clients, key, entry, method, _page_url, api=False, owners=owners)
    assert not wrong, "pages answering outside their scope entry:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_every_api_operation_follows_its_scope(world: World, specimens: Specimens) -> None:
    wrong = []
    clients: dict[str, Client] = {role: _client(world, role, api=True) for role in ROLES}
    for key, entry in sorted(OPERATIONS.items()):
        method = key.split(" ", 1)[0]
        owners = _samples(entry, specimens)
        wrong += _check(clients, key, entry, method, _api_url, api=True, owners=owners)
    assert not wrong, "operations answering outside their scope entry:\n" + "\n".join(wrong)


# --- the Django admin -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_is_for_staff_only_on_every_route(world: World) -> None:
    """Every admin URL (filled with a real object id) sends everyone but staff to its login."""
    from sambang.personnel.models import Officer

    officer_pk = str(world.officers["polsek_b1a"].pk)
    urls = []
    for route in routes():
        if not is_admin(route):
            continue
        path = route.pattern.replace("^", "").replace("$", "")
        path = re.sub(r"\(\?P<app_label>([a-z_]+)\|.*?\)", r"\1", path)
        path = path.replace("(?P<url>.*)", "nothing-here/")
        path = re.sub(r"<path:content_type_id>", "1", path)
        path = re.sub(r"<(?:\w+:)?\w+>", officer_pk, path)
        urls.append("/" + path)
    assert Officer.objects.filter(pk=officer_pk).exists()
    wrong = []
    # Staff reach the admin (what each admin page does with an odd id is not a scope matter).
    assert _client(world, Role.ADMIN, api=False).get("/admin/").status_code == 200
    for role in ROLES:
        if role == Role.ADMIN:
            continue
        client = _client(world, role, api=False)
        for url in urls:
            answer = client.get(url)
            to_login = answer.status_code == 302 and "/admin/login/" in answer["Location"]
            to_login |= role == Role.PARTNER and answer.status_code == 403  # held to their pages
            if not to_login and not url.startswith(("/admin/login/", "/admin/logout/")):
                wrong.append(f"{role} GET {url}: {answer.status_code}")
    anonymous = Client()
    for url in urls:
        answer = anonymous.get(url)
        if answer.status_code != 302 and not url.startswith("/admin/login/"):
            wrong.append(f"anonymous GET {url}: {answer.status_code}")
    assert len(urls) > 50
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_signed_in_user_logs_out(world: World) -> None:
    client = _client(world, Role.POLSEK, api=False)
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")
