"""The JSON API, version 1."""

from __future__ import annotations

from django.urls import path

from sambang.core import api as core_api
from sambang.organization import api as organization_api
from sambang.personnel import api as personnel_api
from sambang.territory import api as territory_api

app_name = "api"
urlpatterns = [
    path("auth/token", core_api.TokenView.as_view(), name="token"),
    path("me", core_api.MeView.as_view(), name="me"),
    path("regions/", territory_api.RegionListView.as_view(), name="region_list"),
    path("regions/locate", territory_api.LocateView.as_view(), name="region_locate"),
    path("regions/<str:code>", territory_api.RegionDetailView.as_view(), name="region_detail"),
    path("villages/<str:code>", territory_api.VillageDetailView.as_view(), name="village_detail"),
    path("units/", organization_api.UnitListView.as_view(), name="unit_list"),
    path("units/<str:code>", organization_api.UnitDetailView.as_view(), name="unit_detail"),
    path(
        "units/<str:code>/villages",
        organization_api.UnitVillagesView.as_view(),
        name="unit_villages",
    ),
    path("officers/", personnel_api.OfficerListView.as_view(), name="officer_list"),
    path("officers/<str:nrp>", personnel_api.OfficerDetailView.as_view(), name="officer_detail"),
    path("assignments/", personnel_api.AssignmentCreateView.as_view(), name="assignment_create"),
    path(
        "assignments/<int:pk>/end", personnel_api.AssignmentEndView.as_view(), name="assignment_end"
    ),
]
