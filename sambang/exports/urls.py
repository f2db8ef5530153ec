from __future__ import annotations

from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("<uuid:pk>/download/", views.export_download, name="download"),
]
