from __future__ import annotations

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("vulnerability/", views.vulnerability_home, name="vulnerability_home"),
    path("vulnerability/<str:code>/", views.vulnerability, name="vulnerability"),
    path("elections/", views.elections_home, name="elections_home"),
    path("elections/<str:code>/", views.elections, name="elections"),
    path("election/<int:pk>/", views.election_detail, name="election"),
    path("election/<int:pk>/<str:village>/", views.election_village, name="election_village"),
]
