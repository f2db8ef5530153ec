"""The scope table: every page (by URL name) and every API operation (method and OpenAPI
path) with how it is scoped and which tests prove it.

``test_route_coverage.py`` fails when a route of the URL configuration or an operation of
the OpenAPI document is missing here, when an entry here no longer exists, or when a named
test does not; it then requests every entry as every role, with the ids of records of the
user's own, a sibling, a parent and another Polda's unit (``scope_specimens.py``).

To add a route: add a line to ``PAGES`` (key: the URL name, ``namespace:name``) or to
``OPERATIONS`` (key: ``"METHOD /api/v1/path/{param}"`` as in ``/api/openapi.json``) with
its ``Scope``, the kind of record its URL names (``sample=``, a kind of ``Specimens``) and,
where the generated check cannot say everything (writes, list contents), the test that
does (``tests=("sambang/tests/test_scope_matrix.py::test_…",)``).

The visibility rules below are written out by hand, independently of ``sambang.access``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sambang.personnel.models import Role

MATRIX = "sambang/tests/test_scope_matrix.py"
COVERAGE = "sambang/tests/test_route_coverage.py"
ENUMERATION = "sambang/tests/test_scope_enumeration.py"
SIGNIN = "sambang/accounts/tests/test_signin.py"
TOKENS = "sambang/accounts/tests/test_tokens.py"
RESET = "sambang/accounts/tests/test_password_reset.py"
PROVISIONING = "sambang/accounts/tests/test_provisioning.py"
ENROLMENT = "sambang/accounts/tests/test_enrolment.py"
INCIDENT_IMPORT = "sambang/security/tests/test_incident_import.py"
RESOURCE_IMPORT = "sambang/resources/tests/test_resource_import.py"
HISTORY_IMPORT = "sambang/evaluation/tests/test_history_import.py"
ATTACKS = "sambang/tests/test_attacks.py"
PUSH = "sambang/notifications/tests/test_push.py"
DIGEST = "sambang/notifications/tests/test_digest.py"
BULK_REVIEW = "sambang/fieldwork/tests/test_bulk_review.py"
PLANNING = "sambang/planning/tests/test_recommendations.py"
WEEK = "sambang/planning/tests/test_week.py"
ALERTS = "sambang/alerts/tests/test_alert_pages.py"
CHAT = "sambang/chat/tests/test_chat.py"
PARTNERS = "sambang/partners/tests/test_partners.py"
KNOWLEDGE = "sambang/knowledge/tests/test_knowledge.py"
QUICK = "test_an_officers_quick_report_by_chat_is_completed_in_the_app_by_them_alone"


class Scope(StrEnum):
    PUBLIC = "public"  # anyone, anonymous included (login_not_required / AllowAny)
    AUTHENTICATED = "authenticated-any"  # any signed-in user; the same for all (catalogues)
    OWN = "own"  # the user's own data only (their account, their downloads, their day)
    SUBTREE = "unit-subtree"  # master data: a supervisor's subtree; national, admin: all
    FIELD = "field-subtree"  # field work: the officer's own; supervisors' subtree; not admin
    SUPERVISOR = "supervisor-subtree"  # monthly evaluation: supervisors' subtree only
    # Election periods: those of a supervisor's subtree and of the units above it; an
    # officer's: those of their Polsek and above; each read for the reader's villages only.
    WATCHED = "unit-subtree-and-above"
    RESTRICTED = "polres-and-above"  # persons of interest: Polres, Polda, national
    # The partners' pages: a partner's own villages (Babinsa, village head, FKPM chair).
    PARTNER = "partner-villages"
    NATIONAL = "national"  # the whole country, for national and admin users only
    ADMIN_ONLY = "admin-only"  # the Django admin: staff only


SUPERVISORS = frozenset({Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL})
EVERYONE = frozenset(Role)
# Partners are held to the public pages, their account's pages and the partners' pages:
# every other route answers them 403, whatever its scope (``partners.routes``).
STAFF = EVERYONE - {Role.PARTNER}
ROLES_OF: dict[Scope, frozenset[str]] = {
    Scope.PUBLIC: EVERYONE,
    Scope.AUTHENTICATED: STAFF,
    Scope.OWN: STAFF,
    Scope.SUBTREE: STAFF,
    Scope.FIELD: STAFF - {Role.ADMIN},
    Scope.SUPERVISOR: SUPERVISORS,
    Scope.WATCHED: STAFF - {Role.ADMIN},
    Scope.PARTNER: frozenset({Role.PARTNER}),
    Scope.RESTRICTED: frozenset({Role.POLRES, Role.POLDA, Role.NATIONAL}),
    Scope.NATIONAL: frozenset({Role.NATIONAL, Role.ADMIN}),
    Scope.ADMIN_ONLY: frozenset({Role.ADMIN}),
}

# The units whose records each role sees (by the world's unit keys), written by hand.
ALL = frozenset(
    {
        "mabes",
        "polda_a",
        "polres_a1",
        "polsek_a1a",
        "polsek_a1b",
        "polres_a2",
        "polsek_a2a",
        "polda_b",
        "polres_b1",
        "polsek_b1a",
    }
)
VISIBLE_UNITS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset(),
    Role.POLSEK: frozenset({"polsek_a1a"}),
    Role.POLRES: frozenset({"polres_a1", "polsek_a1a", "polsek_a1b"}),
    Role.POLDA: frozenset(
        {"polda_a", "polres_a1", "polsek_a1a", "polsek_a1b", "polres_a2", "polsek_a2a"}
    ),
    Role.NATIONAL: ALL,
    Role.ADMIN: ALL,
    Role.PARTNER: frozenset(),
}
# The Polsek whose assigned village the partner user is the Babinsa of.
PARTNER_VILLAGE = "polsek_a1a"
# The units above each role's own unit (the officer's: their Polsek and above), written by hand.
ABOVE: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset({"polsek_a1a", "polres_a1", "polda_a", "mabes"}),
    Role.POLSEK: frozenset({"polres_a1", "polda_a", "mabes"}),
    Role.POLRES: frozenset({"polda_a", "mabes"}),
    Role.POLDA: frozenset({"mabes"}),
    Role.NATIONAL: frozenset(),
    Role.ADMIN: frozenset(),
    Role.PARTNER: frozenset(),
}
# Kinds of record an officer may own: their officer record, village, assignment and field
# work are those of Polsek A1A (the officer user is its officer). Unit records are never theirs.
OFFICER_OWNS = frozenset(
    {
        "officer",
        "village",
        "assignment",
        "report",
        "quick",
        "partner_note",
        "plan",
        "citizen",
        "directive",
        "incident",
        "figure",
        "partner",
        "post",
        "spot",
        "alert",
    }
)


@dataclass(frozen=True)
class Entry:
    scope: Scope
    sample: str | None = None  # the kind of record the URL names (None: no id in the URL)
    tests: tuple[str, ...] = ()  # "path/to/test_module.py::test_function"
    roles: frozenset[str] | None = None  # who may use the route at all (default: the scope's)
    ok: int = 200  # the answer to GET in scope (None: not answered to GET, e.g. POST only)
    get: bool = True  # does the route answer GET? (False: POST/PUT only)
    writes: tuple[str, ...] = ()  # methods of a page that change something (probed out of scope)
    others: int = 403  # the answer to a signed-in role that may not use a route without an id

    def allowed(self) -> frozenset[str]:
        return self.roles if self.roles is not None else ROLES_OF[self.scope]


def sees(entry: Entry, role: str, owner: str | None) -> bool:
    """Whether ``role`` may read the record of ``owner`` (a unit key; a role for own data)."""
    if role not in entry.allowed():
        return False
    if owner is None or entry.scope in (Scope.PUBLIC, Scope.AUTHENTICATED, Scope.NATIONAL):
        return True
    if entry.scope == Scope.OWN:
        return owner == role
    if entry.scope == Scope.ADMIN_ONLY:
        return role == Role.ADMIN
    if entry.scope == Scope.PARTNER:
        return owner == PARTNER_VILLAGE  # not the colleague's village ("#colleague")
    if entry.scope == Scope.WATCHED:
        return owner in VISIBLE_UNITS[role] | ABOVE[role]
    if role == Role.OFFICER:  # "polsek_a1a#colleague": another officer's, of the same Polsek
        return entry.sample in OFFICER_OWNS and owner == "polsek_a1a"
    return owner.partition("#")[0] in VISIBLE_UNITS[role]


P, A, OWN, S, F, E, W, R = (
    Scope.PUBLIC,
    Scope.AUTHENTICATED,
    Scope.OWN,
    Scope.SUBTREE,
    Scope.FIELD,
    Scope.SUPERVISOR,
    Scope.WATCHED,
    Scope.RESTRICTED,
)
M = MATRIX
NOT_OFFICER = STAFF - {Role.OFFICER}
REVIEWERS_AND_ADMIN = SUPERVISORS | {Role.ADMIN}

# Pages (and other non-API URLs) by URL name. The Django admin (namespace ``admin``) is
# covered as a whole by ``test_the_admin_is_for_staff_only_on_every_route``.
PAGES: dict[str, Entry] = {
    "healthz": Entry(P),
    "readyz": Entry(P),
    # Uploaded files: public route, each file checked against the record that holds it.
    "media": Entry(
        P,
        ok=404,
        tests=(
            "sambang/tests/test_media_access.py::test_photos_and_downloads_are_served_by_scope_only",
            "sambang/tests/test_media_access.py::test_the_development_server_serves_no_file_without_the_checks",
        ),
    ),
    # The password alone opens no session and enrols no authenticator (issue 18.1).
    "login": Entry(
        P,
        tests=(f"{SIGNIN}::test_the_password_alone_neither_signs_in_nor_enrols_an_authenticator",),
    ),
    "logout": Entry(
        A, roles=EVERYONE, get=False, tests=(f"{COVERAGE}::test_a_signed_in_user_logs_out",)
    ),
    # Any new password revokes the API tokens (issue 18.10).
    "password_change": Entry(
        OWN,
        roles=EVERYONE,
        tests=(
            f"{TOKENS}::test_every_way_of_setting_a_password_revokes_the_api_tokens_and_says_so",
        ),
    ),
    "password_change_done": Entry(OWN, roles=EVERYONE),
    # Password reset by e-mail: for anyone; the answer never tells whether an account exists.
    "password_reset": Entry(
        P, tests=(f"{RESET}::test_the_answer_is_the_same_whether_or_not_the_account_exists",)
    ),
    "password_reset_done": Entry(P),
    "password_reset_confirm": Entry(P, tests=(f"{RESET}::test_the_link_sets_a_new_password_once",)),
    "password_reset_complete": Entry(P),
    # The second sign-in step: without a password step just done, back to the login.
    "accounts:login_code": Entry(
        P,
        ok=302,
        tests=(
            f"{SIGNIN}::test_a_second_sign_in_asks_for_the_code_and_refuses_a_replayed_one",
            f"{SIGNIN}::test_the_password_alone_neither_signs_in_nor_enrols_an_authenticator",
        ),
    ),
    "accounts:security": Entry(
        OWN,
        roles=EVERYONE,
        tests=(f"{TOKENS}::test_the_security_page_lists_tokens_and_revokes_them",),
    ),
    "accounts:two_factor_enable": Entry(
        OWN,
        roles=EVERYONE,
        get=False,
        tests=(
            f"{SIGNIN}::test_officers_sign_in_with_the_password_and_may_turn_two_factor_on",
            f"{SIGNIN}::test_a_session_without_an_authenticator_gets_no_secret_where_the_role_requires_one",
        ),
    ),
    "accounts:two_factor_disable": Entry(
        OWN,
        roles=EVERYONE,
        get=False,
        tests=(f"{SIGNIN}::test_supervisors_cannot_turn_two_factor_off",),
    ),
    "accounts:token_revoke": Entry(
        OWN, get=False, tests=(f"{TOKENS}::test_nobody_revokes_another_users_token",)
    ),
    # Activating a new account: the code in the link is the credential; an unknown, used,
    # replaced or expired one is a 404 page, the same for all.
    "accounts:activate_start": Entry(
        P, tests=(f"{PROVISIONING}::test_a_typed_code_leads_to_its_activation",)
    ),
    "accounts:activate": Entry(
        P,
        ok=404,
        tests=(
            f"{PROVISIONING}::test_an_activation_sets_the_password_once",
            f"{PROVISIONING}::test_an_expired_or_replaced_activation_is_refused",
            f"{ENROLMENT}::test_an_administrators_reset_issues_a_one_time_link_that_needs_the_password_too",
            f"{ENROLMENT}::test_an_enrolment_link_expires_and_a_newer_one_replaces_it",
        ),
    ),
    "accounts:provision": Entry(
        S,
        roles=NOT_OFFICER,
        writes=("POST",),
        tests=(
            f"{PROVISIONING}::test_supervisors_create_supervisor_accounts_only_below_their_own_level",
            f"{PROVISIONING}::test_a_file_with_a_wrong_row_creates_nothing_and_names_the_row",
        ),
    ),
    # A new two-factor enrolment link: supervisors for the accounts of units strictly
    # below their own, administrators for any account but an officer's (issue 18.1).
    "accounts:supervisor_accounts": Entry(
        S,
        roles=NOT_OFFICER,
        tests=(f"{ENROLMENT}::test_a_supervisor_issues_enrolment_links_only_below_from_the_page",),
    ),
    "accounts:enrolment_link": Entry(
        S,
        "account",
        roles=NOT_OFFICER,
        get=False,
        writes=("POST",),
        tests=(f"{ENROLMENT}::test_a_supervisor_issues_enrolment_links_only_below_from_the_page",),
    ),
    "accounts:officer_login": Entry(
        S,
        "officer",
        roles=NOT_OFFICER,
        get=False,
        writes=("POST",),
        tests=(
            f"{PROVISIONING}::test_logins_are_created_only_for_officers_of_the_creators_subtree",
        ),
    ),
    "set_language": Entry(P, ok=302),
    "openapi": Entry(P),
    "organization:unit_list": Entry(S, roles=NOT_OFFICER, ok=302),  # to the user's own unit
    "organization:unit_detail": Entry(
        S, "unit", tests=(f"{M}::test_unit_pages_and_endpoints_follow_the_scope",)
    ),
    "personnel:officer_list": Entry(
        S, roles=NOT_OFFICER, tests=(f"{M}::test_officer_list_page_holds_exactly_the_scope",)
    ),
    "personnel:officer_detail": Entry(
        S, "officer", tests=(f"{M}::test_officer_pages_and_endpoints_follow_the_scope",)
    ),
    "personnel:assignment_end": Entry(
        S,
        "assignment",
        get=False,
        writes=("POST",),
        tests=(f"{M}::test_ending_an_assignment_follows_the_scope",),
    ),
    "territory:village_detail": Entry(
        S, "village", tests=(f"{M}::test_village_pages_and_endpoints_follow_the_scope",)
    ),
    "territory:assignment_start": Entry(S, "village", get=False, writes=("POST",)),
    "personnel:assignment_contact": Entry(
        S,
        "assignment",
        get=False,
        writes=("POST",),
        tests=(
            "sambang/personnel/tests/test_assignments.py::"
            "test_a_supervisor_adds_a_second_officer_and_moves_the_contact_on_the_village_page",
        ),
    ),
    "community:village_profile": Entry(
        S,
        "village",
        writes=("POST",),
        tests=(f"{M}::test_village_knowledge_follows_the_scope",),
    ),
    "fieldwork:today": Entry(OWN, roles=frozenset({Role.OFFICER}), others=302),  # others: home
    "fieldwork:plan_list": Entry(F, others=200),  # administrators: an empty list
    "fieldwork:plan_detail": Entry(
        F, "plan", writes=("POST",), tests=(f"{M}::test_reports_and_plans_follow_the_scope",)
    ),
    "fieldwork:realization": Entry(F, others=200),
    "fieldwork:report_list": Entry(
        F, others=200, tests=(f"{M}::test_report_and_plan_lists_hold_exactly_the_scope",)
    ),
    "fieldwork:report_new": Entry(OWN, roles=frozenset({Role.OFFICER}), writes=("POST",)),
    # Quick reports sent by chat: the officer's own, completed in the report form.
    "fieldwork:quick_photo": Entry(
        F, "quick", roles=frozenset({Role.OFFICER}), tests=(f"{CHAT}::{QUICK}",)
    ),
    "fieldwork:quick_discard": Entry(
        F,
        "quick",
        roles=frozenset({Role.OFFICER}),
        get=False,
        writes=("POST",),
        tests=(f"{CHAT}::{QUICK}",),
    ),
    "fieldwork:report_detail": Entry(
        F, "report", tests=(f"{M}::test_reports_and_plans_follow_the_scope",)
    ),
    "fieldwork:report_edit": Entry(
        F,
        "report",
        roles=frozenset({Role.OFFICER}),
        writes=("POST",),
        tests=(f"{M}::test_photos_stickers_and_escalation_follow_the_scope",),
    ),
    "fieldwork:report_review": Entry(F, "report", roles=SUPERVISORS, get=False, writes=("POST",)),
    # Approving in bulk: reports named by uuid in the body, resolved in the reader's scope.
    "fieldwork:report_review_bulk": Entry(
        F,
        roles=SUPERVISORS,
        get=False,
        writes=("POST",),
        tests=(f"{BULK_REVIEW}::test_bulk_approval_follows_the_scope_on_the_page",),
    ),
    "fieldwork:signal_explain": Entry(F, "report", roles=SUPERVISORS, get=False, writes=("POST",)),
    "fieldwork:report_photos": Entry(
        F, "report", roles=frozenset({Role.OFFICER}), get=False, writes=("POST",)
    ),
    "fieldwork:report_escalate": Entry(F, "report", get=False, writes=("POST",)),
    "fieldwork:report_acknowledge": Entry(F, "report", get=False, writes=("POST",)),
    "fieldwork:sticker": Entry(
        F, "report", tests=(f"{M}::test_photos_stickers_and_escalation_follow_the_scope",)
    ),
    "citizen:list": Entry(
        F, others=200, tests=(f"{M}::test_residents_report_lists_hold_exactly_the_scope",)
    ),
    "citizen:detail": Entry(
        F,
        "citizen",
        writes=("POST",),
        tests=(
            f"{M}::test_residents_reports_follow_the_scope",
            f"{ATTACKS}::test_an_officer_sees_his_villages_data_only_while_he_covers_them",
        ),
    ),
    "directives:list": Entry(F, others=200, writes=("POST",)),
    "directives:detail": Entry(
        F, "directive", writes=("POST",), tests=(f"{M}::test_directives_follow_the_scope",)
    ),
    "evaluation:map_home": Entry(E, ok=302),  # to the user's own unit and month
    "evaluation:map": Entry(
        E, "unit", tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",)
    ),
    "evaluation:home": Entry(E, roles=ROLES_OF[F], ok=302),  # an officer: their own month
    "fieldwork:late_report_new": Entry(
        E,
        "officer",
        writes=("POST",),
        tests=(
            "sambang/fieldwork/tests/test_late_reports.py::"
            "test_only_a_supervisor_above_the_officer_records_one",
        ),
    ),
    "evaluation:officer": Entry(
        F, "officer", tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",)
    ),
    "evaluation:unit": Entry(
        E,
        "unit",
        writes=("POST",),
        tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",),
    ),
    # Early-warning alerts: an officer's villages', a supervisor's subtree; not admin.
    "alerts:list": Entry(
        F, tests=(f"{ALERTS}::test_alerts_follow_the_scope_and_show_only_evidence_in_scope",)
    ),
    "alerts:detail": Entry(
        F,
        "alert",
        writes=("POST",),
        tests=(f"{ALERTS}::test_alerts_follow_the_scope_and_show_only_evidence_in_scope",),
    ),
    # Villages ranked by vulnerability: supervisors, for the units of their subtree.
    "alerts:vulnerability_home": Entry(E, ok=302),  # to the user's own unit
    "alerts:vulnerability": Entry(
        E, "unit", tests=(f"{ALERTS}::test_the_vulnerability_index_adds_up_its_documented_parts",)
    ),
    # Election periods: opened by supervisors for their unit; read (and entered, for the
    # reader's villages) by everyone below and above the unit; not admin.
    "alerts:elections_home": Entry(
        W, tests=(f"{ALERTS}::test_an_election_period_scores_villages_on_the_four_dimensions",)
    ),
    "alerts:elections": Entry(
        E,
        "unit",
        writes=("POST",),
        tests=(f"{ALERTS}::test_an_election_period_scores_villages_on_the_four_dimensions",),
    ),
    "alerts:election": Entry(
        W,
        "election",
        tests=(f"{ALERTS}::test_an_election_period_scores_villages_on_the_four_dimensions",),
    ),
    "alerts:election_village": Entry(
        W,
        "election",
        writes=("POST",),
        tests=(f"{ALERTS}::test_an_election_period_scores_villages_on_the_four_dimensions",),
    ),
    # Chat providers' webhooks: public, each delivery proven by its signature (a channel
    # without settings, as here, answers 404); the channels' health: operators.
    "chat:webhook": Entry(
        P,
        ok=404,
        tests=(
            f"{CHAT}::test_a_forged_delivery_is_refused_before_it_is_read",
            f"{CHAT}::test_a_channel_without_settings_is_off_and_only_operators_see_the_health_page",
        ),
    ),
    # The demo's simulated chat: public, and a 404 unless the demo is on (it is off here).
    "chat:demo": Entry(
        P, ok=404, tests=(f"{CHAT}::test_the_demo_simulates_a_chat_to_a_tracking_code",)
    ),
    # An officer links their chats (the page is theirs alone).
    "chat:link": Entry(
        OWN,
        roles=frozenset({Role.OFFICER}),
        writes=("POST",),
        tests=(
            f"{CHAT}::test_an_officer_links_a_chat_with_a_one_time_code_and_hears_of_directives_there",
        ),
    ),
    "chat:health": Entry(
        Scope.NATIONAL,
        tests=(
            f"{CHAT}::test_a_channel_without_settings_is_off_and_only_operators_see_the_health_page",
        ),
    ),
    # The partners' pages: a partner's own villages, nothing of another's.
    "partners:home": Entry(Scope.PARTNER),
    "partners:village": Entry(
        Scope.PARTNER,
        "village",
        tests=(f"{PARTNERS}::test_a_partner_sees_their_village_and_answers_for_joint_activities",),
    ),
    "partners:activity": Entry(
        Scope.PARTNER,
        "joint",
        writes=("POST",),
        tests=(f"{PARTNERS}::test_a_partner_sees_their_village_and_answers_for_joint_activities",),
    ),
    "partners:note_new": Entry(
        Scope.PARTNER,
        writes=("POST",),
        tests=(f"{PARTNERS}::test_a_partners_note_reaches_the_villages_officer_who_grades_it",),
    ),
    # Their notes, for the officers who grade them and the supervisors above.
    "partners:notes": Entry(F, others=200),  # administrators: an empty list
    "partners:note_grade": Entry(
        F,
        "partner_note",
        roles=frozenset({Role.OFFICER}),
        get=False,
        writes=("POST",),
        tests=(f"{PARTNERS}::test_a_partners_note_reaches_the_villages_officer_who_grades_it",),
    ),
    # A partner's login, made by a supervisor from the village's partner record.
    "accounts:partner_login": Entry(
        S,
        "partner",
        roles=REVIEWERS_AND_ADMIN,
        get=False,
        writes=("POST",),
        tests=(f"{PARTNERS}::test_a_polsek_makes_a_partners_login_from_the_village_profile",),
    ),
    # The library: every signed-in user but partners; modules: officers take their own;
    # completion: supervisors, for the units of their subtree.
    "knowledge:library": Entry(
        A, tests=(f"{KNOWLEDGE}::test_the_library_is_searched_in_indonesian",)
    ),
    "knowledge:document": Entry(A, "document"),
    "knowledge:modules": Entry(OWN, roles=frozenset({Role.OFFICER})),
    "knowledge:module": Entry(
        OWN,
        "module",
        roles=frozenset({Role.OFFICER}),
        writes=("POST",),
        tests=(f"{KNOWLEDGE}::test_an_officer_passes_a_module_and_the_anev_counts_it",),
    ),
    "knowledge:completion": Entry(
        S,
        "unit",
        roles=NOT_OFFICER,
        tests=(f"{KNOWLEDGE}::test_an_officer_passes_a_module_and_the_anev_counts_it",),
    ),
    # Planning who covers which villages: supervisors, for the units of their subtree.
    "planning:home": Entry(E, ok=302),  # to the user's own unit
    # An officer's suggested week: their own; nobody else's.
    "planning:week": Entry(
        OWN,
        roles=frozenset({Role.OFFICER}),
        writes=("POST",),
        tests=(f"{WEEK}::test_an_officer_accepts_a_suggested_week_into_plans",),
    ),
    "planning:unit": Entry(
        E, "unit", writes=("POST",), tests=(f"{PLANNING}::test_a_polsek_plans_only_its_own_unit",)
    ),
    "planning:recommendation": Entry(
        E,
        "recommendation",
        writes=("POST",),
        tests=(f"{PLANNING}::test_a_polsek_plans_only_its_own_unit",),
    ),
    "resources/": Entry(A, ok=302),  # a plain redirect to resources:list
    "resources:list": Entry(
        S,
        roles=REVIEWERS_AND_ADMIN,
        tests=(
            f"{M}::test_resources_follow_the_scope",
            f"{ENUMERATION}::test_exports_hold_only_the_scope",
        ),
    ),
    "resources:detail": Entry(
        S,
        "equipment",
        roles=REVIEWERS_AND_ADMIN,
        writes=("POST",),
        tests=(f"{M}::test_resources_follow_the_scope",),
    ),
    "exports:list": Entry(OWN),
    # The user's own notifications: their choices and devices (issue 19).
    "notifications:preferences": Entry(
        OWN, tests=(f"{PUSH}::test_the_preferences_page_turns_push_on_and_saves_choices",)
    ),
    "notifications:device_remove": Entry(
        OWN, get=False, tests=(f"{PUSH}::test_nobody_removes_another_users_device",)
    ),
    # The digest's one-click unsubscribe: the signed token in the link is the credential;
    # an altered or unknown one is a 404.
    "notifications:unsubscribe": Entry(
        P,
        ok=404,
        tests=(
            f"{DIGEST}::test_the_digest_lists_each_supervisors_queue_and_unsubscribes_in_one_click",
            f"{DIGEST}::test_an_altered_unsubscribe_link_changes_nothing",
        ),
    ),
    "exports:download": Entry(
        OWN, "export", tests=(f"{M}::test_a_background_download_is_its_owners_alone",)
    ),
    "security:incident_list": Entry(F, others=200, writes=("POST",)),
    "security:incident_detail": Entry(
        F,
        "incident",
        writes=("POST",),
        tests=(
            f"{M}::test_incidents_and_persons_follow_the_scope",
            f"{ATTACKS}::test_persons_of_interest_on_an_incident_follow_the_scope_and_each_read_is_audited",
            f"{ATTACKS}::test_incident_links_show_only_what_the_reader_may_open_and_only_supervisors_edit_them",
        ),
    ),
    "security:incident_import": Entry(
        F,
        roles=SUPERVISORS,
        writes=("POST",),
        tests=(f"{INCIDENT_IMPORT}::test_only_supervisors_import_incidents",),
    ),
    "evaluation:history": Entry(
        F,
        roles=SUPERVISORS,
        writes=("POST",),
        tests=(f"{HISTORY_IMPORT}::test_only_supervisors_enter_counts_on_paper",),
    ),
    "security:person_list": Entry(R, writes=("POST",)),
    "public:visit_confirm": Entry(
        P,
        "visit",
        tests=(
            f"{ATTACKS}::test_an_officer_confirming_his_own_visit_from_a_fresh_client_is_not_believed",
        ),
    ),
    "public:schedule_board": Entry(P, "schedule"),
    "public:schedule_board_json": Entry(P, "schedule"),
    "public:report_start": Entry(P),
    "public:report_status_lookup": Entry(P),
    "public:report_status": Entry(P, "citizen"),
    "public:report_form": Entry(P, "village"),
    "public:village_qr": Entry(P, "village"),
    "core:home": Entry(A, roles=EVERYONE),  # a partner's: the partners' home
    "core:manifest": Entry(P),
    "core:service_worker": Entry(P),
    "core:offline": Entry(P),
    "core:favicon": Entry(P, ok=301),
}

# API operations, as the OpenAPI document names them.
OPERATIONS: dict[str, Entry] = {
    "POST /api/v1/auth/token": Entry(P, get=False),
    "POST /api/v1/accounts/": Entry(
        S,
        roles=NOT_OFFICER,
        get=False,
        tests=(
            f"{PROVISIONING}::test_logins_are_created_only_for_officers_of_the_creators_subtree",
            f"{PROVISIONING}::test_supervisors_create_supervisor_accounts_only_below_their_own_level",
        ),
    ),
    "POST /api/v1/accounts/import": Entry(
        S,
        roles=NOT_OFFICER,
        get=False,
        tests=(f"{PROVISIONING}::test_a_file_with_a_wrong_row_creates_nothing_and_names_the_row",),
    ),
    "POST /api/v1/accounts/{username}/enrolment": Entry(
        S,
        "account",
        roles=NOT_OFFICER,
        get=False,
        tests=(f"{ENROLMENT}::test_the_api_issues_an_enrolment_link_only_below_the_caller",),
    ),
    "GET /api/v1/me": Entry(OWN),
    # What waits for the caller: counted through the access module (issue 19).
    "GET /api/v1/me/queue": Entry(
        OWN, tests=("sambang/worklist/tests/test_queue.py::test_each_role_gets_its_own_queue",)
    ),
    # The caller's own devices and choices of notification (issue 19).
    "POST /api/v1/me/push-subscriptions": Entry(
        OWN,
        tests=(
            f"{PUSH}::test_a_device_is_registered_once_and_only_at_a_push_service",
            f"{PUSH}::test_a_device_registered_by_another_user_moves_to_them",
        ),
    ),
    "DELETE /api/v1/me/push-subscriptions": Entry(
        OWN, tests=(f"{PUSH}::test_a_device_is_registered_once_and_only_at_a_push_service",)
    ),
    "GET /api/v1/me/notification-preferences": Entry(
        OWN, tests=(f"{PUSH}::test_preferences_are_read_and_chosen_through_the_api",)
    ),
    "PUT /api/v1/me/notification-preferences": Entry(
        OWN,
        tests=(
            f"{PUSH}::test_preferences_are_read_and_chosen_through_the_api",
            f"{PUSH}::test_a_kind_turned_off_is_not_sent_and_the_others_still_are",
        ),
    ),
    "GET /api/v1/auth/tokens/": Entry(
        OWN, tests=(f"{TOKENS}::test_a_user_lists_their_own_tokens_and_revokes_one",)
    ),
    "DELETE /api/v1/auth/tokens/{id}": Entry(
        OWN, tests=(f"{TOKENS}::test_nobody_revokes_another_users_token",)
    ),
    "GET /api/v1/regions/": Entry(A),
    "GET /api/v1/regions/locate": Entry(A, ok=400),
    "GET /api/v1/regions/{code}": Entry(A, "village"),
    "GET /api/v1/villages/{code}": Entry(
        S, "village", tests=(f"{M}::test_village_pages_and_endpoints_follow_the_scope",)
    ),
    "GET /api/v1/units/": Entry(S, tests=(f"{M}::test_lists_hold_exactly_the_scope",)),
    "GET /api/v1/units/{code}": Entry(
        S, "unit", tests=(f"{M}::test_unit_pages_and_endpoints_follow_the_scope",)
    ),
    "GET /api/v1/units/{code}/villages": Entry(
        S, "unit", tests=(f"{M}::test_unit_pages_and_endpoints_follow_the_scope",)
    ),
    "GET /api/v1/officers/": Entry(S, tests=(f"{M}::test_lists_hold_exactly_the_scope",)),
    "GET /api/v1/officers/{nrp}": Entry(
        S, "officer", tests=(f"{M}::test_officer_pages_and_endpoints_follow_the_scope",)
    ),
    "POST /api/v1/officers/{nrp}/late-reports": Entry(
        E,
        "officer",
        get=False,
        tests=(
            "sambang/fieldwork/tests/test_late_reports.py::"
            "test_only_a_supervisor_above_the_officer_records_one",
        ),
    ),
    "POST /api/v1/assignments/": Entry(
        S, get=False, tests=(f"{M}::test_assigning_follows_the_scope",)
    ),
    "POST /api/v1/assignments/{id}/end": Entry(S, "assignment", get=False),
    "POST /api/v1/assignments/{id}/contact": Entry(S, "assignment", get=False),
    "POST /api/v1/historical-counts/import": Entry(
        F,
        roles=SUPERVISORS,
        get=False,
        tests=(
            f"{HISTORY_IMPORT}::test_only_supervisors_enter_counts_on_paper",
            f"{HISTORY_IMPORT}::test_every_wrong_row_is_named_and_nothing_is_written",
        ),
    ),
    "GET /api/v1/activity-types/": Entry(A),
    "GET /api/v1/plans/": Entry(
        F, others=200, tests=(f"{M}::test_report_and_plan_lists_hold_exactly_the_scope",)
    ),
    "POST /api/v1/plans/": Entry(F, get=False),
    "GET /api/v1/plans/realization": Entry(
        F, others=200, tests=(f"{M}::test_report_and_plan_lists_hold_exactly_the_scope",)
    ),
    "GET /api/v1/plans/{uuid}": Entry(
        F, "plan", tests=(f"{M}::test_reports_and_plans_follow_the_scope",)
    ),
    "PATCH /api/v1/plans/{uuid}": Entry(F, "plan", get=False),
    "DELETE /api/v1/plans/{uuid}": Entry(F, "plan", get=False),
    "POST /api/v1/plans/{uuid}/comments": Entry(
        F, "plan", get=False, tests=(f"{M}::test_reports_and_plans_follow_the_scope",)
    ),
    "GET /api/v1/reports/": Entry(
        F, others=200, tests=(f"{M}::test_report_and_plan_lists_hold_exactly_the_scope",)
    ),
    "POST /api/v1/reports/": Entry(F, get=False),
    "POST /api/v1/reports/review": Entry(
        F,
        roles=SUPERVISORS,
        get=False,
        tests=(f"{BULK_REVIEW}::test_bulk_approval_follows_the_scope_in_the_api",),
    ),
    "GET /api/v1/reports/{uuid}": Entry(
        F, "report", tests=(f"{M}::test_reports_and_plans_follow_the_scope",)
    ),
    "PATCH /api/v1/reports/{uuid}": Entry(
        F, "report", get=False, tests=(f"{M}::test_reports_and_plans_follow_the_scope",)
    ),
    "POST /api/v1/reports/{uuid}/review": Entry(
        F, "report", get=False, tests=(f"{M}::test_reports_and_plans_follow_the_scope",)
    ),
    "POST /api/v1/reports/{uuid}/signals/{code}/explain": Entry(
        F,
        "report",
        get=False,
        tests=(
            "sambang/fieldwork/tests/test_integrity.py::"
            "test_an_explanation_needs_a_reason_a_raised_signal_and_a_supervisor_in_scope",
        ),
    ),
    "PUT /api/v1/reports/{uuid}/photos/{photo_uuid}": Entry(
        F,
        "report",
        get=False,
        tests=(f"{M}::test_photos_stickers_and_escalation_follow_the_scope",),
    ),
    "POST /api/v1/reports/{uuid}/escalate": Entry(
        F,
        "report",
        get=False,
        tests=(f"{M}::test_photos_stickers_and_escalation_follow_the_scope",),
    ),
    "POST /api/v1/reports/{uuid}/acknowledge": Entry(F, "report", get=False),
    "GET /api/v1/public/schedule/{code}": Entry(P, "schedule"),
    "GET /api/v1/public/visits/{token}": Entry(P, "visit"),
    "POST /api/v1/public/visits/{token}": Entry(
        P,
        "visit",
        get=False,
        tests=(
            f"{ATTACKS}::test_an_officer_confirming_his_own_visit_from_a_fresh_client_is_not_believed",
        ),
    ),
    "POST /api/v1/public/citizen-reports": Entry(P, get=False),
    "GET /api/v1/public/citizen-reports/{code}": Entry(P, "citizen"),
    "GET /api/v1/citizen-reports/": Entry(
        F, others=200, tests=(f"{M}::test_residents_report_lists_hold_exactly_the_scope",)
    ),
    "GET /api/v1/citizen-reports/{code}": Entry(
        F,
        "citizen",
        tests=(
            f"{M}::test_residents_reports_follow_the_scope",
            f"{ATTACKS}::test_an_officer_sees_his_villages_data_only_while_he_covers_them",
        ),
    ),
    "POST /api/v1/citizen-reports/{code}/status": Entry(
        F, "citizen", get=False, tests=(f"{M}::test_residents_reports_follow_the_scope",)
    ),
    "POST /api/v1/citizen-reports/{code}/assign": Entry(
        F, "citizen", get=False, tests=(f"{M}::test_residents_reports_follow_the_scope",)
    ),
    "POST /api/v1/citizen-reports/{code}/answer": Entry(
        F, "citizen", get=False, tests=(f"{M}::test_residents_reports_follow_the_scope",)
    ),
    "GET /api/v1/directives/": Entry(
        F, others=200, tests=(f"{M}::test_directives_follow_the_scope",)
    ),
    "POST /api/v1/directives/": Entry(F, get=False),
    "GET /api/v1/directives/{id}": Entry(
        F, "directive", tests=(f"{M}::test_directives_follow_the_scope",)
    ),
    "POST /api/v1/directives/{id}/acknowledge": Entry(
        F, "directive", get=False, tests=(f"{M}::test_directives_follow_the_scope",)
    ),
    "POST /api/v1/directives/{id}/complete": Entry(F, "directive", get=False),
    "GET /api/v1/villages/{code}/profile": Entry(
        S, "village", tests=(f"{M}::test_village_knowledge_follows_the_scope",)
    ),
    "PUT /api/v1/villages/{code}/profile": Entry(S, "village", get=False),
    "GET /api/v1/villages/{code}/profile/history": Entry(
        S, "village", tests=(f"{M}::test_village_knowledge_follows_the_scope",)
    ),
    "GET /api/v1/incident-categories/": Entry(A),
    "GET /api/v1/incidents/": Entry(
        F, others=200, tests=(f"{M}::test_incidents_and_persons_follow_the_scope",)
    ),
    "POST /api/v1/incidents/": Entry(F, get=False),
    "POST /api/v1/incidents/import": Entry(
        F,
        roles=SUPERVISORS,
        get=False,
        tests=(
            f"{INCIDENT_IMPORT}::test_only_supervisors_import_incidents",
            f"{INCIDENT_IMPORT}::test_a_village_outside_the_users_units_is_an_error_for_its_row",
        ),
    ),
    "GET /api/v1/incidents/{id}": Entry(
        F, "incident", tests=(f"{M}::test_incidents_and_persons_follow_the_scope",)
    ),
    "PATCH /api/v1/incidents/{id}": Entry(
        F,
        "incident",
        get=False,
        tests=(
            f"{ATTACKS}::test_incident_links_show_only_what_the_reader_may_open_and_only_supervisors_edit_them",
        ),
    ),
    "GET /api/v1/persons-of-interest/": Entry(
        R, tests=(f"{M}::test_incidents_and_persons_follow_the_scope",)
    ),
    "POST /api/v1/persons-of-interest/": Entry(R, get=False),
    "GET /api/v1/persons-of-interest/{id}": Entry(
        R, "person", tests=(f"{M}::test_incidents_and_persons_follow_the_scope",)
    ),
    "GET /api/v1/evaluations/{code}/{month}": Entry(
        E, "unit", tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",)
    ),
    "POST /api/v1/evaluations/{code}/{month}/submit": Entry(
        E, "unit", get=False, tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",)
    ),
    "POST /api/v1/evaluations/{code}/{month}/decision": Entry(
        E, "unit", get=False, tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",)
    ),
    "GET /api/v1/map/{code}/{month}/{layer}": Entry(
        E, "unit", tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",)
    ),
    "GET /api/v1/officers/{nrp}/months/{month}": Entry(
        F, "officer", tests=(f"{M}::test_the_monthly_evaluation_follows_the_scope",)
    ),
}
for _kind in ("equipment", "budget", "allowance", "training"):
    OPERATIONS[f"POST /api/v1/resources/{_kind}/import"] = Entry(
        S,
        roles=REVIEWERS_AND_ADMIN,
        get=False,
        tests=(f"{RESOURCE_IMPORT}::test_only_supervisors_and_administrators_import_resources",),
    )
for _kind in ("figures", "partners", "posts", "spots"):
    _sample = _kind[:-1]
    OPERATIONS |= {
        f"GET /api/v1/villages/{{code}}/{_kind}": Entry(
            S, "village", tests=(f"{M}::test_village_knowledge_follows_the_scope",)
        ),
        f"POST /api/v1/villages/{{code}}/{_kind}": Entry(
            S, "village", get=False, tests=(f"{M}::test_village_knowledge_follows_the_scope",)
        ),
        f"GET /api/v1/villages/{{code}}/{_kind}/{{id}}": Entry(S, _sample),
        f"PATCH /api/v1/villages/{{code}}/{_kind}/{{id}}": Entry(S, _sample, get=False),
        f"DELETE /api/v1/villages/{{code}}/{_kind}/{{id}}": Entry(S, _sample, get=False),
    }
