from __future__ import annotations

from django.urls import path

from . import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.today, name="today"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<uuid:uuid>/", views.plan_detail, name="plan_detail"),
    path("realization/", views.realization, name="realization"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/review/", views.report_review_bulk, name="report_review_bulk"),
    path("reports/quick/<uuid:uuid>/photos/<int:pk>/", views.quick_photo, name="quick_photo"),
    path("reports/quick/<uuid:uuid>/discard/", views.quick_discard, name="quick_discard"),
    path("reports/<uuid:uuid>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:uuid>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:uuid>/review/", views.report_review, name="report_review"),
    path("officers/<str:nrp>/late-report/", views.late_report_new, name="late_report_new"),
    path(
        "reports/<uuid:uuid>/signals/<slug:code>/explain/",
        views.signal_explain,
        name="signal_explain",
    ),
    path("reports/<uuid:uuid>/photos/", views.report_photos, name="report_photos"),
    path("reports/<uuid:uuid>/escalate/", views.report_escalate, name="report_escalate"),
    path("reports/<uuid:uuid>/acknowledge/", views.report_acknowledge, name="report_acknowledge"),
    path("reports/<uuid:uuid>/sticker.<str:fmt>", views.sticker, name="sticker"),
]
