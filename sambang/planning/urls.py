from __future__ import annotations

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.planning_home, name="home"),
    path("week/", views.officer_week, name="week"),
    path("<str:code>/", views.unit_planning, name="unit"),
    path(
        "<str:code>/recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"
    ),
]
