"""Who may use which route: the one declared table, checked by tests/security/test_route_access.py.

Every route of the URL resolver (``PAGES``, by "namespace:name") and every operation of the
OpenAPI schema (``API``, by "METHOD /path/template/") has a row here, one answer per class of
user. A route missing from the table, or a row naming no route, fails the test: adding a page
means deciding here who may use it.

The user classes (built in tests/security/conftest.py):

  anonymous         nobody signed in
  outsider          a practitioner of team B
  outsider_manager  the team manager of team B
  teammate          a practitioner of team A, the team holding the young person, not allocated
  owner             the practitioner of team A allocated to the young person (positive control)
  team_manager      the team manager of team A
  service_manager   a service manager (no team; dashboards and exports, no child's record)
  administrator     an administrator (configuration and users, no child's record)

Managers and administrators must use two-factor sign-in; they are asked as people who have, with
a verified session or a token issued from one.

The answers: a status code, or ``LOGIN`` for a redirect to the sign-in page (how a page answers
anyone signed out); the API answers 401. Young-person data answers 404 to everyone who holds no
access to that young person, so that nobody learns a record exists. A 403 is for people who may
see the thing but not do this to it, or for a part of the service their role does not use. A
form posted empty answers 400 to those who may use it (the form with its errors): a refusal
comes before the input is read, so a user who may not act never gets 400.

Where the code answers wrongly, the row holds ``Bug(real=..., should=..., why=...)``: the test
asks for ``should`` and is marked xfail(strict=True), so it starts failing the day the bug is
fixed and the row must be corrected.

Not checked: Django's admin site (``SKIPPED_NAMESPACES``). There are no static, media or debug
routes: static files are served by WhiteNoise's middleware, documents only through the
permission-checked download views, and the debug toolbar is not installed.
"""

from __future__ import annotations

from dataclasses import dataclass

LOGIN = "login"

USER_CLASSES = (
    "anonymous",
    "outsider",
    "outsider_manager",
    "teammate",
    "owner",
    "team_manager",
    "service_manager",
    "administrator",
)

# The classes that hold no access to the young person every record route here points at.
WITHOUT_YOUNG_PERSON_ACCESS = (
    "outsider",
    "outsider_manager",
    "teammate",
    "service_manager",
    "administrator",
)

SKIPPED_NAMESPACES = {
    "admin": (
        "Django's admin site: staff accounts only (is_staff, given to administrators), "
        "its own login and permission checks, and tested in tests/accounts/test_admin_site.py"
    ),
}

# Routes taking a young person that refuse some classes by role, whatever the record (the
# answer is the same for a record that does not exist, so it tells nobody anything).
REFUSED_BY_ROLE_BEFORE_THE_RECORD = {
    "retention:decide": "practitioners and administrators do not review records for retention",
    "retention:hold": "practitioners and administrators do not place legal holds",
    "retention:hold_lift": "practitioners and administrators do not lift legal holds",
}


@dataclass(frozen=True)
class Bug:
    real: int | str  # what the route answers today
    should: int | str  # what it must answer
    why: str


def row(anonymous, outsider, outsider_manager, teammate, owner, team_manager, service, admin):
    return dict(
        zip(
            USER_CLASSES,
            (anonymous, outsider, outsider_manager, teammate, owner, team_manager, service, admin),
            strict=True,
        )
    )


GET, POST = "GET", "POST"
L = LOGIN

# --- Rows used by many routes ------------------------------------------------------------------
#                     anon  out  outmgr mate owner  tm   sm   admin
EVERYONE = row(L, 200, 200, 200, 200, 200, 200, 200)
# The young person's record: the allocated worker and the team's managers; 404 to all others.
RECORD = row(L, 404, 404, 404, 200, 200, 404, 404)
RECORD_POSTED_EMPTY = row(L, 404, 404, 404, 400, 400, 404, 404)
# Parts of the record only the team's managers use (access log, allocation, subject access).
RECORD_MANAGERS = row(L, 404, 404, 404, 404, 200, 404, 404)
# Configuration: administrators only; 404 to everyone else.
ADMINISTRATORS = row(L, 404, 404, 404, 404, 404, 404, 200)
ADMINISTRATORS_POSTED_EMPTY = row(L, 404, 404, 404, 404, 404, 404, 400)
# Contexts: practitioners and managers read every context; administrators see none.
CONTEXT_READERS = row(L, 200, 200, 200, 200, 200, 200, 404)
# Working on a context: practitioners and team managers (a service manager reads only).
CONTEXT_WRITERS = row(L, 200, 200, 200, 200, 200, 403, 404)
CONTEXT_WRITERS_POSTED_EMPTY = row(L, 400, 400, 400, 400, 400, 403, 404)
# Dashboards: team managers (their own team) and service managers.
DASHBOARD_READERS = row(L, 403, 200, 403, 403, 200, 200, 403)
DASHBOARD_POSTED_EMPTY = row(L, 403, 400, 403, 403, 400, 400, 403)
# Correcting, withdrawing and redacting a context's text (contexts.services.corrections).
TEXT_CORRECTORS = row(L, 403, 403, 403, 200, 200, 403, 404)
TEXT_CORRECTORS_POSTED_EMPTY = row(L, 403, 403, 403, 400, 400, 403, 404)
TEXT_REDACTORS = row(L, 403, 403, 403, 403, 200, 403, 404)
TEXT_REDACTORS_POSTED_EMPTY = row(L, 403, 403, 403, 403, 400, 403, 404)
# The team manager's own export: nobody else may learn it exists.
REQUESTERS_EXPORT = row(L, 404, 404, 404, 404, 200, 404, 404)

PAGES = {
    "workspace:home": {GET: EVERYONE},
    # Work for you: the casework roles; service managers and administrators carry none.
    "workspace:worktray": {GET: row(L, 200, 200, 200, 200, 200, 403, 403)},
    "healthz": {GET: row(200, 200, 200, 200, 200, 200, 200, 200)},
    # Signing in and out. Someone signed in is sent on from the sign-in page.
    "accounts:login": {
        GET: row(200, 302, 302, 302, 302, 302, 302, 302),
        POST: row(200, 302, 302, 302, 302, 302, 302, 302),
    },
    "accounts:logout": {POST: row(L, L, L, L, L, L, L, L)},
    # Each person's own account and two-factor sign-in. A session that owes no code is sent on
    # from the code page; the pages about recovery codes and switching off send those with no
    # authenticator app (the practitioners here) back to their account page. Managers and
    # administrators cannot switch it off: the page says why (200) and the service refuses.
    "accounts:account": {GET: EVERYONE},
    # Each person's own API tokens: the list, a new token (posted empty: the form's errors),
    # and revoking one's own; anyone else's token is a 404 (the world's is the owner's).
    "accounts:api_token": {GET: EVERYONE, POST: row(L, 400, 400, 400, 400, 400, 400, 400)},
    "accounts:api_token_revoke": {POST: row(L, 404, 404, 404, 302, 404, 404, 404)},
    # Choosing a password from a link, and asking for one: open to all, signed in or not. The
    # world's link does not work, which the page says (200) to everyone alike.
    "accounts:password_set": {
        GET: row(200, 200, 200, 200, 200, 200, 200, 200),
        POST: row(200, 200, 200, 200, 200, 200, 200, 200),
    },
    "accounts:password_forgot": {
        GET: row(200, 200, 200, 200, 200, 200, 200, 200),
        POST: row(400, 400, 400, 400, 400, 400, 400, 400),
    },
    "accounts:two_factor_verify": {
        GET: row(L, 302, 302, 302, 302, 302, 302, 302),
        POST: row(L, 302, 302, 302, 302, 302, 302, 302),
    },
    "accounts:two_factor_setup": {GET: EVERYONE, POST: EVERYONE},
    "accounts:two_factor_recovery_codes": {GET: EVERYONE},
    "accounts:two_factor_recovery_codes_new": {
        GET: row(L, 302, 200, 302, 302, 200, 200, 200),
        POST: row(L, 302, 200, 302, 302, 200, 200, 200),
    },
    "accounts:two_factor_remove": {
        GET: row(L, 302, 200, 302, 302, 200, 200, 200),
        POST: row(L, 302, 200, 302, 302, 200, 200, 200),
    },
    # --- The young person's record (cases/) -------------------------------------------------
    "cases:caseload": {GET: row(L, 200, 200, 200, 200, 200, 404, 404)},
    "cases:detail": {GET: RECORD},
    "cases:details_edit": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:chronology": {GET: RECORD},
    "cases:access_log": {GET: RECORD_MANAGERS},
    "cases:subject_access": {
        GET: RECORD_MANAGERS,
        POST: row(L, 404, 404, 404, 404, 302, 404, 404),  # starts the export job
    },
    "cases:allocate": {
        POST: row(
            L,
            404,
            404,
            404,
            # Fixed: allocate() refuses a non-manager before reading the form.
            403,
            400,
            404,
            404,
        )
    },
    "cases:allocation_end": {
        GET: RECORD_MANAGERS,
        POST: row(L, 404, 404, 404, 404, 400, 404, 404),
    },
    "cases:referral_new": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    # A referral for someone not yet known opens a record for the referrer's own team.
    "cases:referral_new_person": {
        GET: row(L, 200, 200, 200, 200, 200, 404, 404),
        POST: row(L, 400, 400, 400, 400, 400, 404, 404),
    },
    "cases:assessment_list": {GET: RECORD},
    "cases:assessment_new": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:assessment_detail": {GET: RECORD},
    "cases:assessment_edit": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:assessment_factor_add": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    # Withdrawing needs no input: the owner's empty post withdraws the factor.
    "cases:assessment_factor_withdraw": {
        GET: RECORD,
        POST: row(L, 404, 404, 404, 302, 302, 404, 404),
    },
    "cases:assessment_map_add": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:assessment_complete": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    # Only the team manager authorises or returns; the assessment here is still in progress, so
    # the manager is sent back to it (302) and an empty post is refused with its reason (400).
    "cases:assessment_authorise": {
        GET: row(L, 404, 404, 404, 403, 302, 404, 404),
        POST: row(L, 404, 404, 404, 403, 400, 404, 404),
    },
    "cases:assessment_return": {
        GET: row(L, 404, 404, 404, 403, 302, 404, 404),
        POST: row(L, 404, 404, 404, 403, 400, 404, 404),
    },
    "cases:plan_list": {GET: RECORD},
    "cases:plan_new": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    # The plan page's own form (which assessment the plan answers) redirects when posted.
    "cases:plan_detail": {GET: RECORD, POST: row(L, 404, 404, 404, 302, 302, 404, 404)},
    "cases:plan_edit": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:plan_action_add": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:plan_action_progress": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:plan_factor_gap": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:plan_finalise": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:plan_submit": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    # Only the team manager signs off or returns; the plan here is a draft, so the manager is
    # sent back to it (302) and an empty post is refused with its reasons (400).
    "cases:plan_sign_off": {
        GET: row(L, 404, 404, 404, 403, 302, 404, 404),
        POST: row(L, 404, 404, 404, 403, 400, 404, 404),
    },
    "cases:plan_return": {
        GET: row(L, 404, 404, 404, 403, 302, 404, 404),
        POST: row(L, 404, 404, 404, 403, 400, 404, 404),
    },
    "cases:plan_review": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:plan_end": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:relocation_list": {GET: RECORD},
    "cases:relocation_new": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:note_list": {GET: RECORD},
    "cases:note_new": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    # Management oversight: read by all on the record; recorded by the team's manager only
    # (the allocated practitioner is told why, 403, before the form is read).
    "cases:oversight_list": {GET: RECORD},
    "cases:oversight_new": {
        GET: row(L, 404, 404, 404, 403, 200, 404, 404),
        POST: row(L, 404, 404, 404, 403, 400, 404, 404),
    },
    "cases:document_list": {GET: RECORD},
    "cases:document_new": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "cases:document_download": {GET: RECORD},
    # --- Harm flags (cases/urls_flags.py) and the taxonomy (harms/urls.py) --------------------
    "flags:raise": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "flags:archive": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "flags:reinstate": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "flags:review": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "harms:type_list": {GET: ADMINISTRATORS},
    # No kind ticked is a choice (no plan needs sign-off), so an empty post saves: 302.
    "case_configuration:plan_sign_off": {
        GET: ADMINISTRATORS,
        POST: row(L, 404, 404, 404, 404, 404, 404, 302),
    },
    "harms:type_create": {GET: ADMINISTRATORS, POST: ADMINISTRATORS_POSTED_EMPTY},
    "harms:type_edit": {GET: ADMINISTRATORS, POST: ADMINISTRATORS_POSTED_EMPTY},
    "harms:type_history": {GET: ADMINISTRATORS},
    "harms:type_retire": {GET: ADMINISTRATORS, POST: ADMINISTRATORS_POSTED_EMPTY},
    "harms:type_reactivate": {POST: row(L, 404, 404, 404, 404, 404, 404, 302)},
    # --- Contexts (thematic: no child is ever shown) -------------------------------------------
    "contexts:list": {GET: CONTEXT_READERS},
    "contexts:detail": {GET: CONTEXT_READERS},
    "contexts:chronology": {GET: CONTEXT_READERS},
    "contexts:record_list": {GET: CONTEXT_READERS},
    "contexts:record_detail": {GET: CONTEXT_READERS},
    # Opening and changing a context: a service manager is refused as a non-writer (404 here,
    # 403 on the work pages below: both refusals, and contexts are no secret from them).
    "contexts:new": {
        GET: row(L, 200, 200, 200, 200, 200, 404, 404),
        POST: row(L, 400, 400, 400, 400, 400, 404, 404),
    },
    "contexts:edit": {
        GET: row(L, 200, 200, 200, 200, 200, 404, 404),
        POST: row(L, 400, 400, 400, 400, 400, 404, 404),
    },
    # Closing and reopening: the lead practitioner (the owner opened it) or the team's manager.
    "contexts:close": {
        GET: row(L, 403, 403, 403, 200, 200, 403, 404),
        POST: row(L, 403, 403, 403, 400, 400, 403, 404),
    },
    "contexts:reopen": {  # the context is open, so the page sends them back to it
        GET: row(L, 403, 403, 403, 302, 302, 403, 404),
        POST: row(L, 403, 403, 403, 400, 400, 403, 404),
    },
    "contexts:record_new": {GET: CONTEXT_WRITERS, POST: CONTEXT_WRITERS_POSTED_EMPTY},
    "contexts:action_new": {GET: CONTEXT_WRITERS, POST: CONTEXT_WRITERS_POSTED_EMPTY},
    "contexts:action_progress": {GET: CONTEXT_WRITERS, POST: CONTEXT_WRITERS_POSTED_EMPTY},
    "contexts:plan_review_date": {GET: CONTEXT_WRITERS, POST: CONTEXT_WRITERS_POSTED_EMPTY},
    # Correcting and withdrawing text: its author (the owner wrote the record and the action,
    # and closed the context as its lead) or the team's manager; redacting: the manager only.
    **{
        f"contexts:{part}_{verb}": {GET: TEXT_CORRECTORS, POST: TEXT_CORRECTORS_POSTED_EMPTY}
        for part in ("record", "action", "status_change")
        for verb in ("correct", "withdraw")
    },
    **{
        f"contexts:{part}_redact": {GET: TEXT_REDACTORS, POST: TEXT_REDACTORS_POSTED_EMPTY}
        for part in ("record", "action", "status_change")
    },
    "contexts:conventions": {GET: ADMINISTRATORS, POST: ADMINISTRATORS_POSTED_EMPTY},
    "contexts:convention_edit": {GET: ADMINISTRATORS, POST: ADMINISTRATORS_POSTED_EMPTY},
    "contexts:convention_preview": {GET: ADMINISTRATORS},
    # The young person's side of a link lives on their record.
    "contexts:link_new": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "contexts:link_end": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    "contexts:location_link": {GET: RECORD, POST: RECORD_POSTED_EMPTY},
    # --- Notifications: each person's own ------------------------------------------------------
    "notifications:list": {GET: EVERYONE},
    "notifications:open": {POST: row(L, 404, 404, 404, 302, 404, 404, 404)},
    "notifications:mark_all_read": {POST: row(L, 302, 302, 302, 302, 302, 302, 302)},
    "notifications:settings": {GET: EVERYONE, POST: row(L, 400, 400, 400, 400, 400, 400, 400)},
    # --- Reporting -----------------------------------------------------------------------------
    "reporting:dashboard": {GET: DASHBOARD_READERS},
    "reporting:dashboard_csv": {GET: DASHBOARD_READERS},
    "reporting:drill": {GET: DASHBOARD_READERS},
    "reporting:drill_export": {POST: DASHBOARD_POSTED_EMPTY},
    "reporting:census": {GET: DASHBOARD_READERS},
    "reporting:census_csv": {POST: DASHBOARD_POSTED_EMPTY},
    "reporting:census_xml": {POST: DASHBOARD_POSTED_EMPTY},
    # --- Exports: each person's own ------------------------------------------------------------
    "exports:export_list": {GET: EVERYONE},
    "exports:export_job": {GET: REQUESTERS_EXPORT},
    "exports:export_job_status": {GET: REQUESTERS_EXPORT},
    # A POST: handing the file over writes access-log rows in the downloader's name.
    "exports:export_download": {POST: REQUESTERS_EXPORT},
    # --- Retention review: managers review, administrators set the rules -----------------------
    "retention:due": {GET: row(L, 403, 200, 403, 403, 200, 200, 403)},
    # The young person here is open, so not due for review: 404 to every reviewer.
    "retention:decide": {
        GET: row(L, 403, 404, 403, 403, 404, 404, 403),
        POST: row(L, 403, 404, 403, 403, 404, 404, 403),
    },
    # Legal holds on the (open) young person: its team's managers; a service manager holds
    # closed records only, so 404 here. It has no hold yet, so there is nothing to lift: 404.
    "retention:hold": {
        GET: row(L, 403, 404, 403, 403, 200, 404, 403),
        POST: row(L, 403, 404, 403, 403, 400, 404, 403),
    },
    "retention:hold_lift": {
        GET: row(L, 403, 404, 403, 403, 404, 404, 403),
        POST: row(L, 403, 404, 403, 403, 404, 404, 403),
    },
    "retention:hold_rule_edit": {
        GET: row(L, 403, 403, 403, 403, 403, 403, 200),
        POST: row(L, 403, 403, 403, 403, 403, 403, 400),
    },
    "retention:rules": {GET: row(L, 403, 403, 403, 403, 403, 403, 200)},
    "retention:rule_edit": {
        GET: row(L, 403, 403, 403, 403, 403, 403, 200),
        POST: row(L, 403, 403, 403, 403, 403, 403, 400),
    },
    # --- API routes the schema does not list ---------------------------------------------------
    "api-root": {GET: row(401, 200, 200, 200, 200, 200, 200, 200)},
    "api-schema": {GET: row(401, 200, 200, 200, 200, 200, 200, 200)},
    # The documentation page is for people: anonymous visitors are sent to sign in.
    "api-docs": {GET: EVERYONE},
}

# --- The API, by operation of the OpenAPI schema ------------------------------------------------
#                     anon  out  outmgr mate owner  tm   sm   admin
API_RECORD = row(401, 404, 404, 404, 200, 200, 404, 404)
API_RECORD_POSTED_EMPTY = row(401, 404, 404, 404, 400, 400, 404, 404)
# Documents and maps are uploaded as multipart: an empty JSON body is the wrong media type.
API_RECORD_UPLOAD_POSTED_EMPTY = row(401, 404, 404, 404, 415, 415, 404, 404)
API_EVERYONE = row(401, 200, 200, 200, 200, 200, 200, 200)
API_CONTEXT_READERS = row(401, 200, 200, 200, 200, 200, 200, 404)
API_CONTEXT_WRITERS_POSTED_EMPTY = row(401, 400, 400, 400, 400, 400, 403, 404)
API_CONTEXT_LEADS_POSTED_EMPTY = row(401, 403, 403, 403, 400, 400, 403, 404)
API_TAXONOMY_CHANGE = row(401, 403, 403, 403, 403, 403, 403, 400)
API_DASHBOARD_READERS = row(401, 403, 200, 403, 403, 200, 200, 403)

YP = "/api/v1/young-people/{young_person_pk}"

API = {
    # A service manager or administrator holds no record: the list answers, empty.
    "GET /api/v1/young-people/": API_EVERYONE,
    "GET /api/v1/young-people/{id}/": API_RECORD,
    "PATCH /api/v1/young-people/{id}/": API_RECORD_POSTED_EMPTY,
    "GET /api/v1/young-people/{id}/chronology/": API_RECORD,
    f"GET {YP}/referrals/": API_RECORD,
    f"POST {YP}/referrals/": API_RECORD_POSTED_EMPTY,
    f"GET {YP}/flags/": API_RECORD,
    f"POST {YP}/flags/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/flags/{{id}}/archive/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/flags/{{id}}/reinstate/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/flags/{{id}}/review/": API_RECORD_POSTED_EMPTY,
    f"GET {YP}/assessments/": API_RECORD,
    f"POST {YP}/assessments/": API_RECORD_POSTED_EMPTY,
    f"GET {YP}/assessments/{{id}}/": API_RECORD,
    f"PATCH {YP}/assessments/{{id}}/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/assessments/{{id}}/factors/": API_RECORD_POSTED_EMPTY,
    # Withdrawing needs no input.
    f"POST {YP}/assessments/{{id}}/factors/{{factor_pk}}/withdraw/": API_RECORD,
    f"POST {YP}/assessments/{{id}}/maps/": API_RECORD_UPLOAD_POSTED_EMPTY,
    f"POST {YP}/assessments/{{id}}/complete/": API_RECORD_POSTED_EMPTY,
    # Only the team's manager authorises or returns: the owner may see it, so 403.
    f"POST {YP}/assessments/{{id}}/authorise/": row(401, 404, 404, 404, 403, 400, 404, 404),
    f"POST {YP}/assessments/{{id}}/return/": row(401, 404, 404, 404, 403, 400, 404, 404),
    f"GET {YP}/plans/": API_RECORD,
    f"POST {YP}/plans/": API_RECORD_POSTED_EMPTY,
    f"GET {YP}/plans/{{id}}/": API_RECORD,
    f"PATCH {YP}/plans/{{id}}/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/assessment/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/actions/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/actions/{{action_pk}}/progress/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/factors/{{factor_pk}}/not-addressed/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/finalise/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/submit/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/sign-off/": row(401, 404, 404, 404, 403, 400, 404, 404),
    f"POST {YP}/plans/{{id}}/return/": row(401, 404, 404, 404, 403, 400, 404, 404),
    f"POST {YP}/plans/{{id}}/review/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/plans/{{id}}/end/": API_RECORD_POSTED_EMPTY,
    f"GET {YP}/relocations/": API_RECORD,
    f"POST {YP}/relocations/": API_RECORD_POSTED_EMPTY,
    f"GET {YP}/notes/": API_RECORD,
    f"POST {YP}/notes/": API_RECORD_POSTED_EMPTY,
    f"GET {YP}/oversight/": API_RECORD,
    f"POST {YP}/oversight/": row(401, 404, 404, 404, 403, 400, 404, 404),
    f"GET {YP}/documents/": API_RECORD,
    f"POST {YP}/documents/": API_RECORD_UPLOAD_POSTED_EMPTY,
    f"GET {YP}/documents/{{id}}/file/": API_RECORD,
    f"GET {YP}/context-links/": API_RECORD,
    f"POST {YP}/context-links/": API_RECORD_POSTED_EMPTY,
    f"POST {YP}/context-links/{{id}}/end/": API_RECORD_POSTED_EMPTY,
    # The taxonomy is read by everyone signed in and changed by administrators.
    "GET /api/v1/harm-types/": API_EVERYONE,
    "POST /api/v1/harm-types/": API_TAXONOMY_CHANGE,
    "GET /api/v1/harm-types/{id}/": API_EVERYONE,
    "PUT /api/v1/harm-types/{id}/": API_TAXONOMY_CHANGE,
    "PATCH /api/v1/harm-types/{id}/": row(401, 403, 403, 403, 403, 403, 403, 200),
    "POST /api/v1/harm-types/{id}/retire/": API_TAXONOMY_CHANGE,
    "POST /api/v1/harm-types/{id}/reactivate/": API_TAXONOMY_CHANGE,
    # Contexts.
    "GET /api/v1/contexts/": API_CONTEXT_READERS,
    "POST /api/v1/contexts/": row(
        401,
        400,
        400,
        400,
        400,
        400,
        403,
        404,
    ),
    "GET /api/v1/contexts/{id}/": API_CONTEXT_READERS,
    "PATCH /api/v1/contexts/{id}/": row(
        401,
        400,
        400,
        400,
        400,
        400,
        403,
        404,
    ),
    "GET /api/v1/contexts/{id}/chronology/": API_CONTEXT_READERS,
    "POST /api/v1/contexts/{id}/close/": API_CONTEXT_LEADS_POSTED_EMPTY,
    "POST /api/v1/contexts/{id}/reopen/": API_CONTEXT_LEADS_POSTED_EMPTY,
    "GET /api/v1/contexts/{id}/records/": API_CONTEXT_READERS,
    "POST /api/v1/contexts/{id}/records/": API_CONTEXT_WRITERS_POSTED_EMPTY,
    "GET /api/v1/contexts/{id}/actions/": API_CONTEXT_READERS,
    "POST /api/v1/contexts/{id}/actions/": API_CONTEXT_WRITERS_POSTED_EMPTY,
    "POST /api/v1/contexts/{id}/actions/{action_pk}/progress/": API_CONTEXT_WRITERS_POSTED_EMPTY,
    "POST /api/v1/contexts/{id}/plan-review/": API_CONTEXT_WRITERS_POSTED_EMPTY,
    **{
        f"POST /api/v1/contexts/{{id}}/{rows}/{{{key}}}/{verb}/": (
            row(401, 403, 403, 403, 403, 400, 403, 404)
            if verb == "redact"
            else row(401, 403, 403, 403, 400, 400, 403, 404)
        )
        for rows, key in (
            ("records", "record_pk"),
            ("actions", "action_pk"),
            ("status-changes", "change_pk"),
        )
        for verb in ("correct", "withdraw", "redact")
    },
    "GET /api/v1/context-configuration/naming/": row(401, 404, 404, 404, 404, 404, 404, 200),
    "PUT /api/v1/context-configuration/naming/": row(401, 404, 404, 404, 404, 404, 404, 200),
    # Dashboards.
    "GET /api/v1/reporting/measures/": API_DASHBOARD_READERS,
    "GET /api/v1/reporting/measures/{key}/": API_DASHBOARD_READERS,
}
