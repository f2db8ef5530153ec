from __future__ import annotations

from django.urls import path

from . import app, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service_worker"),
    path("offline/", app.offline, name="offline"),
    # Browsers and crawlers ask for /favicon.ico whatever the page declares.
    path("favicon.ico", app.favicon, name="favicon"),
]
