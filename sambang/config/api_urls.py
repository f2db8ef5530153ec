"""The JSON API, version 1."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sambang.accounts import api as account_api
from sambang.accounts import provisioning_api
from sambang.community import api as community_api
from sambang.core import api as core_api
from sambang.core.uploads import accepts_photos
from sambang.evaluation import api as evaluation_api
from sambang.fieldwork.api import plans as plan_api
from sambang.fieldwork.api import public as public_api
from sambang.fieldwork.api import reports as report_api
from sambang.notifications import api as notifications_api
from sambang.organization import api as organization_api
from sambang.personnel import api as personnel_api
from sambang.public import api as citizen_api
from sambang.resources import api as resources_api
from sambang.resources.services import KINDS as RESOURCE_KINDS
from sambang.security import api as security_api
from sambang.security import import_api as incident_import_api
from sambang.territory import api as territory_api
from sambang.worklist import api as worklist_api

app_name = "api"
urlpatterns = [
    path("auth/token", account_api.TokenView.as_view(), name="token"),
    path("auth/tokens/", account_api.TokenListView.as_view(), name="token_list"),
    path("auth/tokens/<int:pk>", account_api.TokenRevokeView.as_view(), name="token_revoke"),
    path("accounts/", provisioning_api.AccountCreateView.as_view(), name="account_create"),
    path("accounts/import", provisioning_api.AccountImportView.as_view(), name="account_import"),
    path(
        "accounts/<str:username>/enrolment",
        provisioning_api.EnrolmentLinkView.as_view(),
        name="account_enrolment",
    ),
    path("me", core_api.MeView.as_view(), name="me"),
    path("me/queue", worklist_api.QueueView.as_view(), name="work_queue"),
    path(
        "me/push-subscriptions",
        notifications_api.PushSubscriptionsView.as_view(),
        name="push_subscriptions",
    ),
    path(
        "me/notification-preferences",
        notifications_api.PreferencesView.as_view(),
        name="notification_preferences",
    ),
    path("regions/", territory_api.RegionListView.as_view(), name="region_list"),
    path("regions/locate", territory_api.LocateView.as_view(), name="region_locate"),
    path("regions/<str:code>", territory_api.RegionDetailView.as_view(), name="region_detail"),
    path("villages/<str:code>", territory_api.VillageDetailView.as_view(), name="village_detail"),
    path("units/", organization_api.UnitListView.as_view(), name="unit_list"),
    path("units/<str:code>", organization_api.UnitDetailView.as_view(), name="unit_detail"),
    path(
        "units/<str:code>/villages",
        organization_api.UnitVillagesView.as_view(),
        name="unit_villages",
    ),
    path("officers/", personnel_api.OfficerListView.as_view(), name="officer_list"),
    path("officers/<str:nrp>", personnel_api.OfficerDetailView.as_view(), name="officer_detail"),
    path(
        "officers/<str:nrp>/late-reports",
        report_api.LateReportCreateView.as_view(),
        name="late_report_create",
    ),
    path("assignments/", personnel_api.AssignmentCreateView.as_view(), name="assignment_create"),
    path(
        "assignments/<int:pk>/end", personnel_api.AssignmentEndView.as_view(), name="assignment_end"
    ),
    path(
        "assignments/<int:pk>/contact",
        personnel_api.AssignmentContactView.as_view(),
        name="assignment_contact",
    ),
    path("activity-types/", plan_api.ActivityTypeListView.as_view(), name="activity_types"),
    path("plans/", plan_api.PlanListView.as_view(), name="plan_list"),
    path("plans/realization", plan_api.RealizationView.as_view(), name="plan_realization"),
    path("plans/<uuid:uuid>", plan_api.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<uuid:uuid>/comments", plan_api.PlanCommentView.as_view(), name="plan_comments"),
    path("reports/", report_api.ReportListView.as_view(), name="report_list"),
    path("reports/review", report_api.ReportBulkReviewView.as_view(), name="report_review_bulk"),
    path("reports/<uuid:uuid>", report_api.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<uuid:uuid>/review", report_api.ReportReviewView.as_view(), name="report_review"),
    path(
        "reports/<uuid:uuid>/signals/<slug:code>/explain",
        report_api.SignalExplainView.as_view(),
        name="signal_explain",
    ),
    path(
        "reports/<uuid:uuid>/photos/<uuid:photo_uuid>",
        accepts_photos("file", 1)(report_api.PhotoUploadView.as_view()),
        name="report_photo",
    ),
    path("reports/<uuid:uuid>/escalate", report_api.EscalateView.as_view(), name="report_escalate"),
    path(
        "reports/<uuid:uuid>/acknowledge",
        report_api.AcknowledgeView.as_view(),
        name="report_acknowledge",
    ),
    path(
        "public/schedule/<str:code>",
        login_not_required(public_api.ScheduleBoardView.as_view()),
        name="schedule_board",
    ),
    path(
        "public/visits/<str:token>",
        login_not_required(public_api.VisitConfirmView.as_view()),
        name="visit_confirm",
    ),
    path(
        "public/citizen-reports",
        citizen_api.accepts_residents_photos(
            login_not_required(citizen_api.CitizenSubmitView.as_view())
        ),
        name="citizen_submit",
    ),
    path(
        "public/citizen-reports/<str:code>",
        login_not_required(citizen_api.CitizenStatusView.as_view()),
        name="citizen_status",
    ),
    path("citizen-reports/", citizen_api.CitizenReportListView.as_view(), name="citizen_list"),
    path(
        "citizen-reports/<str:code>",
        citizen_api.CitizenReportDetailView.as_view(),
        name="citizen_detail",
    ),
    path(
        "citizen-reports/<str:code>/status",
        citizen_api.CitizenTransitionView.as_view(),
        name="citizen_transition",
    ),
    path(
        "citizen-reports/<str:code>/assign",
        citizen_api.CitizenAssignView.as_view(),
        name="citizen_assign",
    ),
    path(
        "citizen-reports/<str:code>/answer",
        citizen_api.CitizenAnswerView.as_view(),
        name="citizen_answer",
    ),
    path("directives/", organization_api.DirectiveListView.as_view(), name="directive_list"),
    path(
        "directives/<int:pk>",
        organization_api.DirectiveDetailView.as_view(),
        name="directive_detail",
    ),
    path(
        "directives/<int:pk>/acknowledge",
        organization_api.DirectiveAcknowledgeView.as_view(),
        name="directive_acknowledge",
    ),
    path(
        "directives/<int:pk>/complete",
        organization_api.DirectiveCompleteView.as_view(),
        name="directive_complete",
    ),
    path(
        "villages/<str:code>/profile", community_api.ProfileView.as_view(), name="village_profile"
    ),
    path(
        "villages/<str:code>/profile/history",
        community_api.ProfileHistoryView.as_view(),
        name="village_profile_history",
    ),
]
urlpatterns += [
    path(
        "incident-categories/", security_api.CategoryListView.as_view(), name="incident_categories"
    ),
    path("incidents/", security_api.IncidentListView.as_view(), name="incident_list"),
    path(
        "incidents/import",
        incident_import_api.IncidentImportView.as_view(),
        name="incident_import",
    ),
    path("incidents/<int:pk>", security_api.IncidentDetailView.as_view(), name="incident_detail"),
    path("persons-of-interest/", security_api.PersonListView.as_view(), name="person_list"),
    path(
        "persons-of-interest/<int:pk>",
        security_api.PersonDetailView.as_view(),
        name="person_detail",
    ),
    path(
        "historical-counts/import",
        evaluation_api.HistoricalCountImportView.as_view(),
        name="historical_count_import",
    ),
    path(
        "evaluations/<str:code>/<str:month>",
        evaluation_api.AnevView.as_view(),
        name="evaluation_detail",
    ),
    path(
        "evaluations/<str:code>/<str:month>/submit",
        evaluation_api.SubmitView.as_view(),
        name="evaluation_submit",
    ),
    path(
        "evaluations/<str:code>/<str:month>/decision",
        evaluation_api.DecisionView.as_view(),
        name="evaluation_decision",
    ),
    path(
        "map/<str:code>/<str:month>/<str:layer>",
        evaluation_api.MapLayerView.as_view(),
        name="map_layer",
    ),
    path(
        "officers/<str:nrp>/months/<str:month>",
        evaluation_api.OfficerMonthApiView.as_view(),
        name="officer_month",
    ),
]
urlpatterns += [
    path(
        f"resources/{_name}/import",
        resources_api.ResourceImportView.as_view(kind_name=_name),
        name=f"resource_import_{_name}",
    )
    for _name in RESOURCE_KINDS
]
for _kind, (_listing, _detail) in {
    "figures": community_api.FIGURE_VIEWS,
    "partners": community_api.PARTNER_VIEWS,
    "posts": community_api.POST_VIEWS,
    "spots": community_api.SPOT_VIEWS,
}.items():
    urlpatterns += [
        path(f"villages/<str:code>/{_kind}", _listing, name=f"village_{_kind}"),
        path(f"villages/<str:code>/{_kind}/<int:pk>", _detail, name=f"village_{_kind}_detail"),
    ]
