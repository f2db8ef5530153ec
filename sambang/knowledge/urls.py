from __future__ import annotations

from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.library, name="library"),
    path("training/", views.modules, name="modules"),
    path("training/units/<str:code>/", views.completion, name="completion"),
    path("training/<slug:slug>/", views.module, name="module"),
    path("<slug:slug>/", views.document, name="document"),
]
