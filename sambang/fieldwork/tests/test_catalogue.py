"""The activity catalogue: seeded by a migration, edited by administrators, read by clients."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.fieldwork.catalogue import CATALOGUE
from sambang.fieldwork.models import ActivityType
from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_the_seven_daily_activities_and_the_programs(
    officer_api: APIClient,
) -> None:
    types = officer_api.get("/api/v1/activity-types/").json()
    assert len(types) == len(CATALOGUE)
    mandatory = [t["code"] for t in types if t["group"] == "mandatory"]
    assert len(mandatory) == 7
    assert {"jumat-curhat", "penyuluhan", "pam-pilkada", "terobosan-kreatif"} <= {
        t["code"] for t in types
    }
    dds = next(t for t in types if t["code"] == "dds")
    assert dds["required_fields"] == ["household"]


def admin_client(world: World) -> Client:
    admin = world.users[Role.ADMIN]
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(admin)
    return client


def test_an_administrator_adds_a_type_and_a_bad_field_list_is_refused(world: World) -> None:
    client = admin_client(world)
    values = {
        "code": "patroli-sepeda",
        "name": "Patroli bersepeda",
        "name_en": "Bicycle patrol",
        "group": "other",
        "required_fields": '["participants", "photo"]',
        "sort_order": "300",
        "active": "on",
    }
    bad = client.post(
        "/admin/fieldwork/activitytype/add/",
        {**values, "required_fields": '["household", "problem"]'},
    )
    assert bad.status_code == 200 and "at most one of" in bad.content.decode()
    unknown = client.post(
        "/admin/fieldwork/activitytype/add/", {**values, "required_fields": '["weather"]'}
    )
    assert (
        unknown.status_code == 200
        and not ActivityType.objects.filter(code="patroli-sepeda").exists()
    )
    assert client.post("/admin/fieldwork/activitytype/add/", values).status_code == 302
    assert ActivityType.objects.get(code="patroli-sepeda").required_fields == [
        "participants",
        "photo",
    ]


def test_a_retired_type_is_no_longer_offered_or_accepted(
    world: World, officer_api: APIClient
) -> None:
    from sambang.testing.fieldwork import report_payload

    ActivityType.objects.filter(code="penyuluhan").update(active=False)
    codes = {t["code"] for t in officer_api.get("/api/v1/activity-types/").json()}
    assert "penyuluhan" not in codes
    response = officer_api.post(
        "/api/v1/reports/", report_payload(world, activity_type="penyuluhan"), format="json"
    )
    assert response.status_code == 400 and "activity_type" in response.json()["error"]["fields"]
