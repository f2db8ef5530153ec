"""Ids in URLs cannot be guessed into another unit's data, and downloads and searches hold
only the user's scope.

Enumeration: as a user of one unit, every id in the range of existing ids (and a band
around it) is tried on every route of the scope table that takes an integer id; every
string id (uuid, code, NRP, tracking code) of every unit's records is tried on the routes
that take one. A record out of scope must be answered exactly as a record that does not
exist: the same status and the same body (with the id itself left out), so that not even
its existence leaks.

Exports and searches: each list, search and download is requested by a Polsek, a Polres
and an officer user, with records in every unit that match the search; no row of a unit
outside the user's subtree may appear (each record carries its unit's key in its text,
and its unit's codes in its columns).
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import openpyxl
import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.testing.world import World
from sambang.tests.scope_specimens import MONTH, POLSEKS, Specimens, build_specimens
from sambang.tests.scope_table import OPERATIONS, PAGES, VISIBLE_UNITS, Entry, sees

BAND = 10  # ids tried below the lowest and above the highest existing id
ENUMERATING = (Role.OFFICER, Role.POLSEK, Role.POLRES, Role.POLDA)
RESOURCE_KINDS = ("equipment", "budget", "allowance", "training")
# A value of each string id's form that names no record.
MISSING = {
    "uuid": str(uuid.UUID(int=0x1234, version=4)),
    "code": "32.16.99.9999",
    "nrp": "79999999",
    "token": "bm90LWEtdG9rZW4:AAAAAAAAAAAAAAAAAAAAAAAAAAA",
}
_VOLATILE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'nonce="[^"]*"'),
    re.compile(r'"csrfToken":\s*"[^"]*"'),
]


def _client(world: World, role: str, api: bool) -> Client:
    if api:
        token = APIClient()
        token.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
        return token
    client = Client()
    client.force_login(world.users[role])
    return client


def _shape(content: bytes, url: str, value: str) -> str:
    """The body with the URL and id tried and per-request values (CSRF tokens, nonces) left
    out. A short id (an integer) is left out only as part of the URL: its digits may stand
    anywhere else in the page."""
    text = content.decode("utf-8", "replace").replace(url, "{url}")
    if len(value) >= 6:
        text = text.replace(value, "{id}")
    for pattern in _VOLATILE:
        text = pattern.sub("", text)
    return text


def within_reach(entry: Entry, role: str, owner: str) -> bool:
    """A record the user may see, or one of their units' that their role may not act on
    (a supervisor editing an officer's report: 403, not 404; nothing leaks that they could
    not read anyway). Enumeration compares everything else with a missing id."""
    if sees(entry, role, owner):
        return True
    if role == Role.OFFICER:
        return owner == "polsek_a1a"
    return owner.partition("#")[0] in VISIBLE_UNITS[role]


def _int_routes() -> list[tuple[str, str, Entry, Callable[[dict[str, str]], str], bool]]:
    """(name, method, entry, url for values, api?) for each route whose URL holds an integer id."""
    found: list[tuple[str, str, Entry, Callable[[dict[str, str]], str], bool]] = []
    for key, entry in OPERATIONS.items():
        method, path = key.split(" ", 1)
        if "{id}" in path and entry.sample:
            found.append((key, method, entry, partial(_fill, path.replace("{id}", "{pk}")), True))
    for key, entry in PAGES.items():
        if entry.sample is None or key.startswith("public:"):
            continue
        from sambang.tests.test_route_coverage import routes

        pattern = next(r.pattern for r in routes() if r.key == key)
        if "<int:" not in pattern:
            continue
        methods = (["GET"] if entry.get else []) + list(entry.writes)
        for method in methods:
            if key == "resources:detail":
                for kind in RESOURCE_KINDS:
                    found.append(
                        (
                            f"{method} {key} ({kind})",
                            method,
                            Entry(entry.scope, kind, roles=entry.roles),
                            partial(_resource_url, kind),
                            False,
                        )
                    )
            else:
                names = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
                found.append(
                    (
                        f"{method} {key}",
                        method,
                        entry,
                        partial(_reverse, key, tuple(names)),
                        False,
                    )
                )
    return found


def _resource_url(kind: str, values: dict[str, str]) -> str:
    return reverse("resources:detail", kwargs={"kind_name": kind, "pk": values["pk"]})


def _reverse(key: str, names: tuple[str, ...], values: dict[str, str]) -> str:
    return reverse(key, kwargs={name: values[name] for name in names})


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m[1]], path)


def _request(client: Client, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, "{}", content_type="application/json")


@pytest.fixture
def specimens(world: World) -> Specimens:
    return build_specimens(world)


@pytest.mark.django_db
def test_integer_ids_cannot_be_guessed_into_another_units_data(
    world: World, specimens: Specimens
) -> None:
    tried, wrong = 0, []
    for name, method, entry, url_of, api in _int_routes():
        owners = specimens.values[entry.sample or ""]
        pks = {int(values["pk"]): owner for owner, values in owners.items()}
        ids = range(max(1, min(pks) - BAND), max(pks) + BAND + 1)
        for role in ENUMERATING:
            client = _client(world, role, api)
            # The village of a village record's URL is one the user sees (their own Polsek's).
            base = dict(owners.get("polsek_a1a", next(iter(owners.values()))))
            missing_id = str(max(pks) + 10_000)
            missing_url = url_of(base | {"pk": missing_id})
            reference = _request(client, method, missing_url)
            expected = (reference.status_code, _shape(reference.content, missing_url, missing_id))
            assert reference.status_code in (403, 404), (name, role, reference.status_code)
            for pk in ids:
                owner = pks.get(pk)
                if owner is not None and within_reach(entry, role, owner):
                    continue  # in the user's units: the scope checks say what they get
                tried += 1
                url = url_of(base | {"pk": str(pk)})
                answer = _request(client, method, url)
                if (answer.status_code, _shape(answer.content, url, str(pk))) != expected:
                    wrong.append(
                        f"{role} {method} {url} (of {owner}): {answer.status_code}, "
                        f"a missing id: {reference.status_code} (or the body differs)"
                    )
    print(f"integer ids tried out of scope: {tried}")
    assert tried > 1000
    assert not wrong, "ids that reach or reveal another unit's records:\n" + "\n".join(wrong)


def _string_routes() -> list[tuple[str, str, Entry, str, bool]]:
    """Routes whose URL names a record by a string id: (key, method, entry, param, api?)."""
    found = []
    for key, entry in OPERATIONS.items():
        method, path = key.split(" ", 1)
        params = re.findall(r"\{(\w+)\}", path)
        if entry.sample and "id" not in params and entry.scope != "public":
            found.append((key, method, entry, params[0], True))
    for key, entry in PAGES.items():
        if entry.sample is None or entry.scope == "public":
            continue
        from sambang.tests.test_route_coverage import routes

        pattern = next(r.pattern for r in routes() if r.key == key)
        params = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
        if "<int:" in pattern or key == "exports:download":
            continue
        for method in (["GET"] if entry.get else []) + list(entry.writes):
            found.append((key, method, entry, params[0], False))
    return found


@pytest.mark.django_db
def test_string_ids_of_other_units_answer_as_ids_that_do_not_exist(
    world: World, specimens: Specimens
) -> None:
    from sambang.tests.test_route_coverage import DEFAULTS, _api_url, _page_url

    tried, wrong = 0, []
    for key, method, entry, param, api in _string_routes():
        owners = specimens.values[entry.sample or ""]
        for role in ENUMERATING:
            client = _client(world, role, api)
            url_of = _api_url if api else _page_url
            some = DEFAULTS | next(iter(owners.values()))
            missing = MISSING.get(param, "NOPE-0000")
            missing_url = url_of(key, some | {param: missing})
            reference = _request(client, method, missing_url)
            expected = (reference.status_code, _shape(reference.content, missing_url, missing))
            for owner, values in owners.items():
                if within_reach(entry, role, owner):
                    continue
                tried += 1
                url = url_of(key, DEFAULTS | values)
                answer = _request(client, method, url)
                if (answer.status_code, _shape(answer.content, url, values[param])) != expected:
                    wrong.append(
                        f"{role} {method} {url} (of {owner}): {answer.status_code}, "
                        f"a missing id: {reference.status_code} (or the body differs)"
                    )
    print(f"string ids tried out of scope: {tried}")
    assert tried > 300
    assert not wrong, "ids that reach or reveal another unit's records:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_another_users_download_answers_as_one_that_does_not_exist(
    world: World, specimens: Specimens
) -> None:
    jobs = specimens.values["export"]
    for role in Role:
        if role == Role.PARTNER:
            continue  # held to the partners' pages: a 403 for any download, theirs or not
        client = _client(world, role, api=False)
        reference = client.get(reverse("exports:download", kwargs={"pk": MISSING["uuid"]}))
        assert reference.status_code == 404
        for owner, values in jobs.items():
            answer = client.get(reverse("exports:download", kwargs=values))
            if owner == role:
                assert answer.status_code == 200
            else:
                assert answer.status_code == 404
                url = reverse("exports:download", kwargs=values)
                missing_url = reverse("exports:download", kwargs={"pk": MISSING["uuid"]})
                assert _shape(answer.content, url, values["pk"]) == _shape(
                    reference.content, missing_url, MISSING["uuid"]
                )


# --- exports and searches -------------------------------------------------------------------


def _markers(world: World, specimens: Specimens, unit_key: str) -> set[str]:
    """What identifies a unit's records in a page or a file."""
    found = {unit_key, world.units[unit_key].code, world.officers[unit_key].nrp}
    if unit_key in POLSEKS:
        found |= {
            world.villages[unit_key].code,
            specimens.values["citizen"][unit_key]["code"],
            specimens.values["report"][unit_key]["uuid"],
        }
    return found


def _out_of_scope(world: World, role: str) -> set[str]:
    if role == Role.OFFICER:
        return set(world.units) - {"polsek_a1a"}
    return set(world.units) - VISIBLE_UNITS[role]


def _text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8", "replace")


def _searches(world: World, specimens: Specimens, role: str) -> list[tuple[str, bool]]:
    """(URL, is it the API?) of every list, search and download, with filters that match
    the records of units outside the scope."""
    own = world.units[str(_own_unit(role))].code
    sibling = world.villages["polsek_a1b"].code
    far = world.villages["polsek_b1a"].code
    others = [world.officers[k].nrp for k in ("polsek_a1b", "polsek_b1a")]
    urls: list[tuple[str, bool]] = [
        ("/api/v1/officers/?q=Officer&limit=500", True),
        ("/api/v1/officers/?q=8000&limit=500", True),
        ("/api/v1/units/?limit=500", True),
        (f"/api/v1/units/?parent={world.units['polres_b1'].code}&limit=500", True),
        ("/api/v1/units/?level=polsek&limit=500", True),
        ("/api/v1/reports/?type=dds&limit=500", True),
        (f"/api/v1/reports/?village={sibling}&limit=500", True),
        (f"/api/v1/reports/?village={far}&limit=500", True),
        *((f"/api/v1/reports/?officer={nrp}&limit=500", True) for nrp in others),
        ("/api/v1/plans/?limit=500", True),
        ("/api/v1/plans/realization", True),
        ("/api/v1/citizen-reports/?category=crime&limit=500", True),
        ("/api/v1/incidents/?category=curanmor&limit=500", True),
        ("/api/v1/incidents/?category=crime&limit=500", True),
        ("/api/v1/directives/?limit=500", True),
        ("/api/v1/persons-of-interest/?q=Orang&limit=500", True),
        ("/officers/?q=Officer", False),
        ("/field/reports/?type=dds", False),
        (f"/field/reports/?village={sibling}", False),
        ("/field/plans/?period=month", False),
        ("/field/realization/", False),
        ("/citizen-reports/?category=crime", False),
        ("/incidents/?category=curanmor", False),
        ("/persons-of-interest/", False),
        ("/directives/", False),
        ("/", False),
        (f"/units/{own}/", False),
    ]
    for fmt in ("csv", "xlsx"):
        urls += [
            (f"/officers/?q=Officer&export={fmt}", False),
            (f"/field/reports/?type=dds&export={fmt}", False),
            (f"/field/reports/?village={sibling}&export={fmt}", False),
            (f"/citizen-reports/?category=crime&export={fmt}", False),
            (f"/incidents/?category=curanmor&export={fmt}", False),
            *((f"/resources/{kind}/?export={fmt}", False) for kind in RESOURCE_KINDS),
            *(
                (f"/resources/{kind}/?unit={world.units['polsek_b1a'].code}&export={fmt}", False)
                for kind in RESOURCE_KINDS
            ),
            (f"/anev/{own}/{MONTH}/?export={fmt}", False),
        ]
    for layer in ("area", "incidents", "citizen-reports", "spots", "heat", "hotspots"):
        urls.append((f"/api/v1/map/{own}/{MONTH}/{layer}", True))
    return urls


def _own_unit(role: str) -> str:
    return "polsek_a1a" if role in (Role.OFFICER, Role.POLSEK) else "polres_a1"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.POLSEK, Role.POLRES])
def test_exports_hold_only_the_scope(world: World, specimens: Specimens, role: str) -> None:
    outside = _out_of_scope(world, role)
    markers = {m: key for key in outside for m in _markers(world, specimens, key)}
    own_markers = _markers(world, specimens, "polsek_a1a")
    wrong, answered = [], 0
    for url, api in _searches(world, specimens, role):
        response = _client(world, role, api).get(url)
        if response.status_code in (302, 403, 404):
            continue  # not for this role (the scope checks say which)
        assert response.status_code == 200, (role, url, response.status_code)
        answered += 1
        text = _text(response)
        if url.startswith("/api/v1/units/"):
            # a unit's row names its parent; the rows themselves must be in scope
            codes = {row["code"] for row in response.json()["results"]}
            text = " ".join(sorted(codes))
        # a filter's own value is echoed by the page's filter form: it is not a row
        leaked = sorted({f"{markers[m]} ({m})" for m in markers if m in text and m not in url})
        if leaked:
            wrong.append(f"{role} GET {url}: {leaked}")
        filtered_away = any(f in url for f in ("unit=", "village=", "/anev/"))
        if "export=" in url and not filtered_away and not any(m in text for m in own_markers):
            wrong.append(f"{role} GET {url}: none of the scope's own rows (an empty download)")
    assert answered >= 20 if role != Role.OFFICER else answered >= 8
    assert not wrong, "lists, searches and downloads with rows out of scope:\n" + "\n".join(wrong)


@pytest.mark.django_db
@override_settings(SAMBANG_EXPORT_INLINE_ROWS=0)
@pytest.mark.parametrize("role", [Role.POLSEK, Role.POLRES])
def test_background_downloads_hold_only_the_scope(
    world: World, specimens: Specimens, role: str
) -> None:
    from sambang.exports.models import ExportJob
    from sambang.exports.tasks import export_run

    client = _client(world, role, api=False)
    outside = _out_of_scope(world, role)
    markers = {m: key for key in outside for m in _markers(world, specimens, key)}
    for url in (
        "/officers/?q=Officer&export=xlsx",
        "/field/reports/?export=xlsx",
        "/citizen-reports/?export=xlsx",
        "/incidents/?export=xlsx",
    ):
        before = set(ExportJob.objects.values_list("pk", flat=True))
        assert client.get(url).status_code == 302, url
        job = ExportJob.objects.exclude(pk__in=before).get()
        export_run.func(str(job.pk))  # what the worker runs (in this test's transaction)
        download = client.get(reverse("exports:download", kwargs={"pk": job.pk}))
        assert download.status_code == 200
        text = _text(download)
        assert "polsek_a1a" in text or world.units["polsek_a1a"].code in text, url
        leaked = sorted({markers[m] for m in markers if m in text})
        assert not leaked, (role, url, leaked)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.POLSEK, Role.POLRES])
def test_resources_cannot_be_added_to_another_unit(world: World, role: str) -> None:
    from sambang.resources.models import Equipment

    client = _client(world, role, api=False)
    other = world.units["polsek_b1a"]
    answer = client.post(
        "/resources/equipment/",
        {"unit": other.code, "kind": "vest", "good": 3, "light_damage": 0, "heavy_damage": 0},
    )
    assert answer.status_code == 400
    assert not Equipment.objects.filter(unit=other).exists()
    mine = world.units[_own_unit(role)]
    answer = client.post(
        "/resources/equipment/",
        {"unit": mine.code, "kind": "vest", "good": 3, "light_damage": 0, "heavy_damage": 0},
    )
    assert answer.status_code == 302
    assert Equipment.objects.filter(unit=mine).exists()
