from __future__ import annotations

from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("map/", views.map_home, name="map_home"),
    path("map/<str:code>/<str:month>/", views.map_page, name="map"),
    path("", views.evaluation_home, name="home"),
    path("history/", views.history, name="history"),
    path("officer/<str:nrp>/<str:month>/", views.evaluation_officer, name="officer"),
    path("<str:code>/<str:month>/", views.evaluation_unit, name="unit"),
]
