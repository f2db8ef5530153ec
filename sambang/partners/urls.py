from __future__ import annotations

from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.home, name="home"),
    path("villages/<str:code>/", views.village, name="village"),
    path("activities/<uuid:uuid>/", views.activity, name="activity"),
    path("notes/new/", views.note_new, name="note_new"),
    # The officers' side: the partners' notes to grade.
    path("notes/", views.notes, name="notes"),
    path("notes/<int:pk>/grade/", views.note_grade, name="note_grade"),
]
