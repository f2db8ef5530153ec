from __future__ import annotations

from django.urls import path

from sambang.personnel import views as personnel_views

from . import views

app_name = "territory"
urlpatterns = [
    path("<str:code>/", views.village_detail, name="village_detail"),
    path("<str:code>/assign/", personnel_views.assignment_start, name="assignment_start"),
]
