from __future__ import annotations

from django.urls import path

from . import provisioning_views, views

app_name = "accounts"
urlpatterns = [
    path("login/code/", views.login_code, name="login_code"),
    path("security/", views.security, name="security"),
    path("security/two-factor/on/", views.two_factor_enable, name="two_factor_enable"),
    path("security/two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
    path("security/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("activate/", provisioning_views.activate_start, name="activate_start"),
    path("activate/<str:code>/", provisioning_views.activate, name="activate"),
    path("logins/", provisioning_views.provision, name="provision"),
    path("logins/accounts/", provisioning_views.supervisor_accounts, name="supervisor_accounts"),
    path(
        "logins/accounts/<str:username>/enrolment/",
        provisioning_views.enrolment_link,
        name="enrolment_link",
    ),
    path("logins/officers/<str:nrp>/", provisioning_views.officer_login, name="officer_login"),
    path("logins/partners/<int:pk>/", provisioning_views.partner_login, name="partner_login"),
]
