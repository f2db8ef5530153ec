"""What an officer knows of a village: kept by its officer and supervisors, with a history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.community.models import KeyFigure, VillageProfile, VulnerableSpot
from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


PROFILE = {
    "households": 1240,
    "rt_count": 24,
    "rw_count": 6,
    "livelihoods": "Buruh pabrik, petani, pedagang",
    "religions": {"Islam": 93, "Kristen": 6, "Buddha": 1},
    "ethnic_groups": {"Sunda": 60, "Betawi": 25, "Jawa": 15},
    "factors": [
        {"factor": "land_dispute", "level": "high", "note": "Sengketa lahan pabrik"},
        {"factor": "illegal_racing", "level": "medium"},
    ],
}


def test_the_officer_keeps_the_profile_and_the_history_says_who_changed_what(world: World) -> None:
    village = world.villages["polsek_a1a"]
    url = f"/api/v1/villages/{village.code}/profile"
    officer = api(world, Role.OFFICER)
    body = officer.put(url, PROFILE, format="json").json()
    assert body["households"] == 1240 and {f["factor"] for f in body["factors"]} == {
        "land_dispute",
        "illegal_racing",
    }
    polsek = api(world, Role.POLSEK)
    polsek.put(
        url,
        {"households": 1260, "factors": [{"factor": "land_dispute", "level": "medium"}]},
        format="json",
    )
    profile = VillageProfile.objects.get(village=village)
    assert profile.households == 1260 and list(profile.factors.values_list("factor", "level")) == [
        ("land_dispute", "medium")
    ]
    history = polsek.get(f"{url}/history").json()
    changes = {(c["by"], c["kind"], c["record"], c["change"]) for c in history}
    officer_name, polsek_name = (
        world.users[Role.OFFICER].username,
        world.users[Role.POLSEK].username,
    )
    assert (officer_name, "profile", village.code, "created") in changes
    assert (polsek_name, "factor", "illegal_racing", "deleted") in changes
    assert any(c["by"] == polsek_name and "households" in c["changed_fields"] for c in history)

    page = Client()
    page.force_login(world.users[Role.POLSEK])
    page.cookies["django_language"] = "id"
    html = page.get(f"/villages/{village.code}/profile/").content.decode()
    lines = html[html.index('<ul class="comments">') :]
    assert f"{officer_name}: Profil desa/kelurahan dibuat" in lines
    assert f"{polsek_name}: Profil desa/kelurahan diubah (jumlah KK)" in lines
    assert f"{polsek_name}: Kerawanan daerah (Kakerda): “Balap liar” dihapus" in lines
    assert "created" not in lines and "illegal_racing" not in lines


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"religions": {"Islam": 90, "Kristen": 30}}, "religions"),
        ({"ethnic_groups": {"Sunda": -5}}, "ethnic_groups"),
        ({"households": -1}, "households"),
        ({"factors": [{"factor": "aliens", "level": "high"}]}, "factors"),
    ],
)
def test_bad_profiles_name_the_field_and_change_nothing(
    world: World, data: dict, field: str
) -> None:
    response = api(world, Role.OFFICER).put(
        f"/api/v1/villages/{world.villages['polsek_a1a'].code}/profile", data, format="json"
    )
    assert response.status_code == 400
    assert any(k == field or k.startswith(f"{field}.") for k in response.json()["error"]["fields"])
    assert not VillageProfile.objects.exists()


def test_figures_partners_posts_and_spots_are_kept_per_village(world: World) -> None:
    village = world.villages["polsek_a1a"]
    officer = api(world, Role.OFFICER)
    base = f"/api/v1/villages/{village.code}"
    figure = officer.post(
        f"{base}/figures",
        {
            "kind": "religious",
            "name": "KH. Contoh",
            "role": "Ketua MUI desa",
            "phone": "0812-1",
            "influence": "high",
        },
        format="json",
    )
    assert figure.status_code == 201
    assert (
        officer.post(
            f"{base}/partners", {"kind": "babinsa", "name": "Serda Contoh"}, format="json"
        ).status_code
        == 201
    )
    assert (
        officer.post(
            f"{base}/posts",
            {"name": "Pos Kamling RW 03", "roster": {"mon": "Pak Ahmad"}},
            format="json",
        ).status_code
        == 201
    )
    spot = officer.post(
        f"{base}/spots",
        {
            "category": "traffic",
            "level": "high",
            "latitude": village.centroid_lat,
            "longitude": village.centroid_lng,
            "last_reviewed": dt.date.today().isoformat(),
        },
        format="json",
    )
    assert spot.status_code == 201 and VulnerableSpot.objects.get().cell > 0
    bad = officer.post(
        f"{base}/spots",
        {
            "category": "traffic",
            "level": "high",
            "latitude": 95,
            "longitude": 10,
            "last_reviewed": "2026-01-01",
        },
        format="json",
    )
    assert bad.status_code == 400 and "latitude" in bad.json()["error"]["fields"]
    figure_url = f"{base}/figures/{figure.json()['id']}"
    assert (
        officer.patch(figure_url, {"influence": "medium"}, format="json").json()["influence"]
        == "medium"
    )
    other = world.villages["polsek_a1b"]
    assert (
        api(world, Role.POLRES)
        .get(f"/api/v1/villages/{other.code}/figures/{figure.json()['id']}")
        .status_code
        == 404
    )
    assert officer.delete(figure_url).status_code == 204 and not KeyFigure.objects.exists()


def test_key_figure_contacts_stay_inside_the_scope(world: World) -> None:
    village = world.villages["polsek_a1a"]
    api(world, Role.OFFICER).post(
        f"/api/v1/villages/{village.code}/figures",
        {"kind": "youth", "name": "Bang Contoh", "phone": "0812-999", "influence": "medium"},
        format="json",
    )
    for role, status in [(Role.POLSEK, 200), (Role.POLRES, 200), (Role.NATIONAL, 200)]:
        assert (
            api(world, role).get(f"/api/v1/villages/{village.code}/figures").status_code == status
        )
    assert (
        api(world, Role.ADMIN)
        .post(
            f"/api/v1/villages/{village.code}/figures",
            {"kind": "youth", "name": "x", "influence": "low"},
            format="json",
        )
        .status_code
        == 403
    )


def test_the_profile_page_saves_the_checklist_and_adds_records(world: World) -> None:
    village = world.villages["polsek_a1a"]
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    url = f"/villages/{village.code}/profile/"
    assert page.get(url).status_code == 200
    page.post(
        url,
        {
            "action": "profile",
            "households": "800",
            "religions": "Islam: 95\nKristen: 5",
            "factor-flood": "high",
            "note-flood": "Banjir kiriman",
        },
    )
    profile = VillageProfile.objects.get(village=village)
    assert (
        profile.religions == {"Islam": 95.0, "Kristen": 5.0}
        and profile.factors.get().factor == "flood"
    )
    response = page.post(
        url,
        {
            "action": "figure",
            "figure-kind": "women",
            "figure-name": "Ibu Contoh",
            "figure-influence": "high",
        },
    )
    assert response.status_code == 302 and KeyFigure.objects.get().name == "Ibu Contoh"
    invalid = page.post(url, {"action": "figure", "figure-kind": "women", "figure-name": ""})
    assert invalid.status_code == 400 and KeyFigure.objects.count() == 1
    page.post(url, {"action": f"delete-figure-{KeyFigure.objects.get().pk}"})
    assert not KeyFigure.objects.exists()
    admin = Client()
    admin.force_login(world.users[Role.ADMIN])
    assert admin.post(url, {"action": "profile", "households": "1"}).status_code == 403
