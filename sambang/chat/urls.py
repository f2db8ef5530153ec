from __future__ import annotations

from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("demo/", views.demo, name="demo"),
    path("link/", views.link, name="link"),
    path("<str:channel>/webhook", views.webhook, name="webhook"),
]
