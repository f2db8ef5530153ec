from __future__ import annotations

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("v/<str:token>/", views.visit_confirm, name="visit_confirm"),
    path("schedule/<str:code>/", views.schedule_board, name="schedule_board"),
    path("schedule/<str:code>.json", views.schedule_board_json, name="schedule_board_json"),
]
