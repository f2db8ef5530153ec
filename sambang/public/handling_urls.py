from __future__ import annotations

from django.urls import path

from . import handling

app_name = "citizen"
urlpatterns = [
    path("", handling.citizen_report_list, name="list"),
    path("<str:code>/", handling.citizen_report_detail, name="detail"),
]
