from __future__ import annotations

from django.urls import path

from . import residents, views

app_name = "public"
urlpatterns = [
    path("v/<str:token>/", views.visit_confirm, name="visit_confirm"),
    path("schedule/<str:code>/", views.schedule_board, name="schedule_board"),
    path("schedule/<str:code>.json", views.schedule_board_json, name="schedule_board_json"),
    path("lapor/", residents.report_start, name="report_start"),
    path("lapor/status/", residents.report_status, name="report_status_lookup"),
    path("lapor/status/<str:code>/", residents.report_status, name="report_status"),
    path("lapor/<str:code>/", residents.report_form, name="report_form"),
    path("lapor/<str:code>/qr.png", residents.village_qr, name="village_qr"),
]
