from __future__ import annotations

from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("<str:code>/profile/", views.village_profile, name="village_profile"),
]
