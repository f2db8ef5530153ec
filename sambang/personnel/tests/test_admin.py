"""The admin is where administrators keep master data; bad input is refused, never a 500."""

from __future__ import annotations

from django.test import Client

from sambang.organization.models import Unit
from sambang.personnel.models import Role, User
from sambang.testing.world import World


def admin_client(world: World) -> Client:
    admin = world.users[Role.ADMIN]
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    return client


def add_user(client: Client, world: World, role: str, unit_key: str | None) -> int:
    response = client.post(
        "/admin/personnel/user/add/",
        {
            "username": f"new-{role}",
            "password1": "a long enough secret 42",
            "password2": "a long enough secret 42",
            "usable_password": "true",
            "role": role,
            "unit": world.units[unit_key].pk if unit_key else "",
        },
    )
    return response.status_code


def test_an_administrator_adds_a_supervisor_with_role_and_unit(world: World) -> None:
    assert add_user(admin_client(world), world, Role.POLRES, "polres_a2") == 302
    user = User.objects.get(username="new-polres")
    assert (user.role, user.unit.code) == ("polres", "POLRES-A2")  # type: ignore[union-attr]


def test_a_role_without_its_kind_of_unit_is_refused(world: World) -> None:
    client = admin_client(world)
    assert add_user(client, world, Role.POLRES, "polsek_a1a") == 200  # the form again, with errors
    assert add_user(client, world, Role.POLSEK, None) == 200
    assert not User.objects.filter(username__startswith="new-").exists()


def test_a_unit_under_the_wrong_level_is_refused(world: World) -> None:
    response = admin_client(world).post(
        "/admin/organization/unit/add/",
        {
            "code": "POLSEK-X",
            "name": "Polsek X",
            "level": "polsek",
            "parent": world.units["polda_a"].pk,
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 200
    assert "must sit under a polres unit" in response.content.decode()
    assert not Unit.objects.filter(code="POLSEK-X").exists()


def test_moving_a_unit_in_the_admin_moves_its_subtree(world: World) -> None:
    polres = world.units["polres_a2"]
    response = admin_client(world).post(
        f"/admin/organization/unit/{polres.pk}/change/",
        {
            "code": polres.code,
            "name": polres.name,
            "level": "polres",
            "parent": world.units["polda_b"].pk,
            "timezone": "Asia/Jakarta",
            "address": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="POLSEK-A2A").path == "MABES/POLDA-B/POLRES-A2/POLSEK-A2A/"
