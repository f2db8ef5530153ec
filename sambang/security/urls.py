from __future__ import annotations

from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/import/", views.incident_import, name="incident_import"),
    path("persons-of-interest/", views.person_list, name="person_list"),
]
