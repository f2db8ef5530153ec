from __future__ import annotations

from django.urls import path

from . import views

app_name = "personnel"
urlpatterns = [
    path("", views.officer_list, name="officer_list"),
    path("<str:nrp>/", views.officer_detail, name="officer_detail"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("assignments/<int:pk>/contact/", views.assignment_contact, name="assignment_contact"),
]
