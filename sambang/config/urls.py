"""Top-level URLs: pages, the JSON API, health probes, and the admin for master data."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularJSONAPIView

from sambang.accounts import views as account_views
from sambang.config import media
from sambang.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/notifications/", include("sambang.notifications.urls")),
    path("accounts/", include("sambang.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
    path("api/openapi.json", login_not_required(SpectacularJSONAPIView.as_view()), name="openapi"),
    path("api/v1/", include("sambang.config.api_urls")),
    path("units/", include("sambang.organization.urls")),
    path("officers/", include("sambang.personnel.urls")),
    path("villages/", include("sambang.territory.urls")),
    path("villages/", include("sambang.community.urls")),
    path("field/", include("sambang.fieldwork.urls")),
    path("citizen-reports/", include("sambang.public.handling_urls")),
    path("directives/", include("sambang.organization.directive_urls")),
    path("anev/", include("sambang.evaluation.urls")),
    path("resources/", include("sambang.resources.urls")),
    path("exports/", include("sambang.exports.urls")),
    path("planning/", include("sambang.planning.urls")),
    path("alerts/", include("sambang.alerts.urls")),
    path("chat/", include("sambang.chat.urls")),
    path("partner/", include("sambang.partners.urls")),
    path("knowledge/", include("sambang.knowledge.urls")),
    path("", include("sambang.security.urls")),
    path("", include("sambang.public.urls")),
    path("", include("sambang.core.urls")),
]

# Uploads only through the access-checked view (a bucket in production links to signed URLs).
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media.media, name="media")]

handler400 = "sambang.core.views.bad_request"
handler403 = "sambang.core.views.permission_denied"
handler404 = "sambang.core.views.page_not_found"
handler500 = "sambang.core.views.server_error"
