from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "resources"
urlpatterns = [
    path(
        "",
        RedirectView.as_view(pattern_name="resources:list", permanent=False),
        {"kind_name": "equipment"},
    ),
    path("<str:kind_name>/", views.resource_list, name="list"),
    path("<str:kind_name>/<int:pk>/", views.resource_detail, name="detail"),
]
