"""axe-core over every page that exists so far, as each role that sees it.

One test per role (one database and one sign-in each: on PostgreSQL, emptying the database between
tests costs more than checking a page), with one subtest per page, so a failure names the role and
the page and prints axe's report for that page. Error states are reached through the real
buttons, so they are the pages the server actually renders; signing in is done with a session
cookie (the journeys cover the form). Pages that are not ours are left out: Django's admin site
and the Swagger UI of the API documentation.

The young person's pathway (assessments, plans, relocations, case notes, documents, chronology)
is checked in every state its pages show, built through the services by the ``pathway``
fixture. Context records (opening with its check step, duplicate and refusal states,
the context page open and closed, its work and plan, closing, reopening, the chronology, the
young person's side of a link, and the naming conventions) are built by ``context_pages``.
``assert_accessible`` (tests/browser/browser_support.py) is also what the journeys call on each
page they visit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from cases import services as case_services
from cases.models import (
    Allocation,
    Assessment,
    ContextualFactor,
    LocationOfHarm,
    LocationType,
    Plan,
    PlanAction,
    YoungPerson,
)
from cases.services import assessments as assessment_services
from cases.services import plans as plan_services
from cases.services.documents import document_upload
from cases.services.notes import case_note_add
from cases.services.relocations import relocation_record
from cases.tasks import flag_review_reminders
from contexts.linking import services as link_services
from contexts.models import Context, ContextLink, ContextPlanAction, ContextRecord
from contexts.reference import ContextRecordKind, LinkEndRule, TriangleSide
from contexts.services import contexts as context_services
from contexts.services import work as context_work
from csafe.core.vocabulary import ContextKind
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create, notification_mark_read
from harms import services as harm_services
from harms.models import ArchiveReason, HarmFlag, HarmType, IdentifiedAt
from tests.browser.browser_support import assert_accessible, sign_in_through_form
from tests.cases.plan_support import (
    ONLINE,
    PEERS,
    authorised_assessment,
    contextual_action,
    draft_plan,
    put_in_force,
)
from tests.harms.helpers import days_ago, today


@dataclass(frozen=True)
class Records:
    young_person: YoungPerson
    other_young_person: YoungPerson
    practitioner_allocation: Allocation


@dataclass(frozen=True)
class Flags:
    """On ``young_person``: two current flags (one past its review date) and one archived."""

    current: HarmFlag
    intra_familial: HarmFlag
    archived: HarmFlag


@dataclass(frozen=True)
class Pathway:
    """On ``young_person``, made by the ``pathway`` fixture through the services."""

    authorised: Assessment  # its factors: peers (answered in force) and school
    in_progress: Assessment  # one current factor, one withdrawn, and a safety map
    current_factor: ContextualFactor  # of ``in_progress``
    awaiting: Assessment  # completed, waiting for the team manager
    plan_in_force: Plan  # answers ``authorised``: an action, a gap, a review
    action: PlanAction  # the contextual action on ``plan_in_force``
    draft: Plan  # also answers ``authorised``, with both its factors open
    open_factor: ContextualFactor  # the school factor, open on ``draft``
    ended: Plan


@dataclass(frozen=True)
class ContextPages:
    """Made by the ``context_pages`` fixture through the services."""

    group: Context  # open, both teams' young people linked, two records, a plan with a review
    record: ContextRecord  # the assessment on ``group``, with its weighting
    action: ContextPlanAction  # overdue, on ``group``
    link: ContextLink  # ``young_person``'s link to ``group``
    school: Context  # closed, its links ended at closure (so ``young_person`` has an ended link)
    location: Context  # open, in the postcode district of ``place``
    place: LocationOfHarm  # from a referral of ``young_person``, in no context yet


Visit = Callable[[Page, pytest.FixtureRequest], None]


@dataclass(frozen=True)
class Case:
    id: str
    visit: Visit
    heading: str  # the page's <h1>, to prove the page is the one we meant to check


def _records(request: pytest.FixtureRequest) -> Records:
    return request.getfixturevalue("records")


def _path(path: str, request: pytest.FixtureRequest) -> str:
    """``path`` with ``{r}`` the Records, and ``{f}`` the Flags, ``{p}`` the Pathway or ``{c}``
    the ContextPages when it names them (each made only then, so pages before the first that
    needs them see none)."""
    values = {"r": _records(request)}
    if "{f." in path:
        values["f"] = _flags(request)
    if "{p." in path:
        values["p"] = _pathway(request)
    if "{c." in path:
        values["c"] = _context_pages(request)
    return path.format(**values)


def _go(path: str) -> Visit:
    def visit(page: Page, request: pytest.FixtureRequest) -> None:
        page.goto(_path(path, request))

    return visit


def _flags(request: pytest.FixtureRequest) -> Flags:
    return request.getfixturevalue("flags")


def _pathway(request: pytest.FixtureRequest) -> Pathway:
    return request.getfixturevalue("pathway")


def _context_pages(request: pytest.FixtureRequest) -> ContextPages:
    return request.getfixturevalue("context_pages")


def _go_with_flags(path: str) -> Visit:
    """As ``_go``, once the flags exist; ``{f}`` in the path is the Flags."""

    def visit(page: Page, request: pytest.FixtureRequest) -> None:
        page.goto(path.format(r=_records(request), f=_flags(request)))

    return visit


def _press(page: Page, button: str) -> None:
    # Inside <main>: the header has a "Sign out" button of its own.
    page.locator("main").get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _submit_empty(path: str, button: str) -> Visit:
    """The page at ``path`` (flags or pathway made first if it names them), submitted with
    nothing filled."""

    def visit(page: Page, request: pytest.FixtureRequest) -> None:
        _go(path)(page, request)
        _press(page, button)

    return visit


REFERRAL = "/young-people/{r.young_person.pk}/referrals/new/"
NEW_PERSON_REFERRAL = "/young-people/referrals/new/"


def _possible_duplicate(page: Page, request: pytest.FixtureRequest) -> None:
    """The new-person referral refused because Zephyrine Quillfeather may already exist."""
    page.goto(NEW_PERSON_REFERRAL)
    page.fill("#id_person-first_name", "Zephyrine")
    page.fill("#id_person-last_name", "Quillfeather")
    for part, value in enumerate(("17", "5", "2011")):
        page.fill(f"#id_person-date_of_birth_{part}", value)
    for part, value in enumerate(("2", "11", "2026")):
        page.fill(f"#id_referral-received_on_{part}", value)
    page.select_option("#id_referral-source", "6")
    page.fill("#id_referral-reason", "Seen with older young people at the bus station.")
    page.check("#id_referral-nature_of_harm_0")
    page.check("#id_referral-decision_3")
    _press(page, "Record referral")
    expect(page.get_by_test_id("possible-duplicates")).to_be_visible()


def _record_with_a_referral(page: Page, request: pytest.FixtureRequest) -> None:
    from datetime import date

    from cases import services as case_services
    from cases.models import LocationType

    records = _records(request)
    case_services.referral_record(
        actor=request.getfixturevalue("practitioner"),
        young_person=records.young_person,
        received_on=date(2026, 10, 1),
        source="2A",
        reason="School saw an older man collecting her after lessons.",
        nature_of_harm="extra_familial",
        decision="assessment",
        locations=[
            case_services.LocationInput(
                location_type=LocationType.objects.get(name="Bus stop"), postcode="NB2 3DE"
            )
        ],
    )
    page.goto(RECORD.format(r=records))
    expect(page.get_by_test_id("referral")).to_be_visible()


def _record_with_flags(page: Page, request: pytest.FixtureRequest) -> None:
    _go_with_flags(RECORD)(page, request)
    expect(page.get_by_test_id("current-flag")).to_have_count(2)
    expect(page.get_by_test_id("flag-timeline")).to_be_visible()
    # Opened, so that axe checks the archived flags too and not only their summary line.
    page.get_by_test_id("archived-flags").locator("summary").click()
    expect(page.get_by_test_id("archived-flag")).to_be_visible()


def _review_with_a_past_date(page: Page, request: pytest.FixtureRequest) -> None:
    _go_with_flags(REVIEW)(page, request)
    page.get_by_label("What did the review find?").fill("Still going missing at weekends.")
    yesterday = days_ago(1)
    for box, value in enumerate((yesterday.day, yesterday.month, yesterday.year)):
        page.locator(f"#id_next_review_date_{box}").fill(str(value))
    _press(page, "Record review")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The next review date must be in the future"
    )


def _notifications(page: Page, request: pytest.FixtureRequest) -> None:
    # The overdue flag's reminder, made by the task beat runs daily, and one already read.
    _flags(request)
    assert flag_review_reminders() == 1
    practitioner = request.getfixturevalue("practitioner")
    read, _ = notification_create(
        recipient=practitioner,
        kind=NotificationKind.CONTEXT_UPDATED,
        title="Context record updated: Riverside skate park",
        body="A teammate added an observation.",
        url="/",
        dedupe_key="axe-read-notification",
    )
    notification_mark_read(user=practitioner, notification=read)
    page.goto("/notifications/")
    expect(page.get_by_test_id("notifications").locator("li")).to_have_count(2)
    expect(page.get_by_test_id("unread-count")).to_have_text("1 unread")
    expect(page.get_by_test_id("unread-count")).to_be_visible()


def _home_with_authority_counts(page: Page, request: pytest.FixtureRequest) -> None:
    _flags(request)
    page.goto("/")
    expect(page.get_by_test_id("authority-summary")).to_be_visible()


def _harm_type(name: str) -> HarmType:
    return HarmType.objects.get(name=name)


def _go_to_harm_type(suffix: str, name: str = "Going missing") -> Visit:
    def visit(page: Page, request: pytest.FixtureRequest) -> None:
        page.goto(f"{HARM_TYPES}{_harm_type(name).pk}/{suffix}")

    return visit


def _change_harm_type_without_a_name(page: Page, request: pytest.FixtureRequest) -> None:
    _go_to_harm_type("edit/")(page, request)
    page.get_by_label("Name", exact=True).fill("")
    _press(page, "Save")


def _retire_harm_type_without_a_reason(page: Page, request: pytest.FixtureRequest) -> None:
    _go_to_harm_type("retire/")(page, request)
    _press(page, "Retire harm type")


def _harm_type_history(page: Page, request: pytest.FixtureRequest) -> None:
    # A change by the administrator first, so the history has a row with a name in it.
    harm_type = _harm_type("Going missing")
    harm_services.harm_type_update(
        actor=request.getfixturevalue("administrator"),
        harm_type=harm_type,
        name="Going missing from home or care",
        nature=harm_type.nature,
        parent=harm_type.parent,
        cin_code=harm_type.cin_code,
        description=harm_type.description,
    )
    _go_to_harm_type("history/", "Going missing from home or care")(page, request)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ada Tester")


def _sign_in_empty(page: Page, request: pytest.FixtureRequest) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _locked_out(page: Page, request: pytest.FixtureRequest) -> None:
    # One failure locks the account here, rather than five page loads to reach the usual limit.
    request.getfixturevalue("settings").AXES_FAILURE_LIMIT = 1
    sign_in_through_form(page, request.getfixturevalue("practitioner").username, "not-it")


def _allocate_empty(page: Page, request: pytest.FixtureRequest) -> None:
    page.goto(f"/young-people/{_records(request).young_person.pk}/")
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _end_allocation_empty(page: Page, request: pytest.FixtureRequest) -> None:
    records = _records(request)
    allocation = records.practitioner_allocation
    page.goto(f"/young-people/{records.young_person.pk}/allocations/{allocation.pk}/end/")
    page.get_by_role("button", name="End allocation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _clear_date(page: Page, field_id: str) -> None:
    for box in range(3):
        page.locator(f"#{field_id}_{box}").fill("")


def _edit_assessment_without_a_start_date(page: Page, request: pytest.FixtureRequest) -> None:
    _go(IN_PROGRESS + "edit/")(page, request)
    _clear_date(page, "id_started_on")
    _press(page, "Save assessment")


def _authorise_before_completion(page: Page, request: pytest.FixtureRequest) -> None:
    """The team manager gives a date before the assessment was completed: the service's error."""
    _go(AWAITING + "authorise/")(page, request)
    before = _pathway(request).awaiting.completed_on - timedelta(days=1)
    for box, value in enumerate((before.day, before.month, before.year)):
        page.locator(f"#id_authorised_on_{box}").fill(str(value))
    _press(page, "Authorise assessment")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date authorised must be the same as or after the date completed"
    )


def _authorise_refused(page: Page, request: pytest.FixtureRequest) -> None:
    """A practitioner who opens the authorise page: refused, with the reason in the summary."""
    _go(AWAITING + "authorise/")(page, request)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Only a team manager of the team holding this case can authorise its assessments"
    )


def _record_with_the_pathway(page: Page, request: pytest.FixtureRequest) -> None:
    _pathway(request)
    _go(RECORD)(page, request)
    for section in ("assessments", "plans", "relocations", "notes", "documents"):
        expect(page.get_by_test_id(section)).to_be_visible()
    expect(page.get_by_test_id("assessment-summary")).to_have_count(3)


def _plan_in_force(page: Page, request: pytest.FixtureRequest) -> None:
    _go(PLAN_IN_FORCE)(page, request)
    expect(page.get_by_test_id("overdue")).to_be_visible()
    expect(page.get_by_test_id("gap-reason")).to_be_visible()
    expect(page.get_by_test_id("review")).to_have_count(1)


def _change_plan_without_a_start_date(page: Page, request: pytest.FixtureRequest) -> None:
    _go(PLAN_IN_FORCE + "edit/")(page, request)
    _clear_date(page, "id_start_date")
    _press(page, "Save plan")


def _action_done_without_a_date(page: Page, request: pytest.FixtureRequest) -> None:
    _go(PLAN_IN_FORCE + "actions/{p.action.pk}/progress/")(page, request)
    page.locator("main").get_by_role("group", name="Progress").get_by_label("Done").check()
    _press(page, "Save progress")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the action was done"
    )


def _finalise_with_open_factors(page: Page, request: pytest.FixtureRequest) -> None:
    _go(DRAFT_PLAN + "finalise/")(page, request)
    expect(page.get_by_test_id("open-factors-warning")).to_be_visible()
    _press(page, "Finalise plan")


def _chronology_filtered(page: Page, request: pytest.FixtureRequest) -> None:
    _go(RECORD + "chronology/?kind=assessment&kind=plan")(page, request)
    expect(page.get_by_test_id("chronology-count")).to_contain_text("shown by the filter")


RECORD = "/young-people/{r.young_person.pk}/"
END_ALLOCATION = RECORD + "allocations/{r.practitioner_allocation.pk}/end/"
RAISE_FLAG = RECORD + "harm-flags/new/"
ARCHIVE = RECORD + "harm-flags/{f.current.pk}/archive/"
REINSTATE = RECORD + "harm-flags/{f.archived.pk}/reinstate/"
REVIEW = RECORD + "harm-flags/{f.current.pk}/review/"
HARM_TYPES = "/configuration/harm-types/"
YP = "Zephyrine Quillfeather"  # every page on the record has the young person's name as its <h1>
ASSESSMENTS = RECORD + "assessments/"
IN_PROGRESS = ASSESSMENTS + "{p.in_progress.pk}/"
AWAITING = ASSESSMENTS + "{p.awaiting.pk}/"
PLANS = RECORD + "plans/"
PLAN_IN_FORCE = PLANS + "{p.plan_in_force.pk}/"
DRAFT_PLAN = PLANS + "{p.draft.pk}/"

# --- Dashboards and reports: every state is in test_dashboard_journey ---------------------------

DASHBOARDS = "/reporting/dashboard/"
DASHBOARDS_HEADING = "Extra-familial harm dashboards"
CIN_CENSUS = "/reporting/cin-census/"
CIN_CENSUS_HEADING = "CIN census: factors identified at the end of assessment"
EXPORTS = "/reporting/exports/"

# --- Context records ---------------------------------------------------------------------------

CONTEXTS = "/contexts/"
GROUP_AREA = "Larkspur estate"
GROUP_OPENED = date(2026, 3, 14)
GROUP = f"Group – {GROUP_AREA} – {GROUP_OPENED:%Y-%m}"  # named by the default convention
SCHOOL = "Harbourview Academy"
LOCATION_TYPE = "Bus stop"
LOCATION_POSTCODE = "NB2 3DF"
LOCATION = f"{LOCATION_TYPE} – {LOCATION_POSTCODE}"
GROUP_PAGE = CONTEXTS + "{c.group.pk}/"
SCHOOL_PAGE = CONTEXTS + "{c.school.pk}/"
CONTEXT_LINKS = CONTEXTS + "young-people/{r.young_person.pk}/"
LINK_NEW = CONTEXT_LINKS + "link/"
LINK_END = CONTEXT_LINKS + "links/{c.link.pk}/end/"
ACTION_PROGRESS = GROUP_PAGE + "plan/actions/{c.action.pk}/progress/"
NAMING = CONTEXTS + "configuration/naming/"
GROUP_NAMING = NAMING + "peer_group/"


def _go_with_contexts(path: str) -> Visit:
    """As ``_go``, once the contexts exist (for paths that name none of them)."""

    def visit(page: Page, request: pytest.FixtureRequest) -> None:
        _context_pages(request)
        _go(path)(page, request)

    return visit


def _contexts_filtered(page: Page, request: pytest.FixtureRequest) -> None:
    _go_with_contexts(CONTEXTS + "?q=Larkspur&kind=peer_group&status=open")(page, request)
    expect(page.get_by_test_id("result-count")).to_have_text("1 context")


def _fill_date(page: Page, legend: str, value: date) -> None:
    group = page.locator("main").get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def _check_new_context(page: Page, kind: str, opened_on: date, **details: str) -> None:
    """The new-context form filled in and sent to the check step; ``details`` by label."""
    page.goto(CONTEXTS + "new/")
    form = page.locator("main")
    form.get_by_role("group", name="Kind of context").get_by_label(kind, exact=True).check()
    for label, value in details.items():
        field = form.get_by_label(label, exact=True)
        if label.startswith("Type of location"):
            field.select_option(label=value)
        else:
            field.fill(value)
    _fill_date(page, "Date opened", opened_on)
    form.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the new context")


def _new_context_checked(page: Page, request: pytest.FixtureRequest) -> None:
    """A school no context has: the name, and nothing that may already be it."""
    _context_pages(request)
    _check_new_context(
        page,
        "School or education setting",
        days_ago(2),
        **{"Name of the place, school or platform (optional)": "Northgate Academy"},
    )
    expect(page.get_by_test_id("context-name")).to_have_text("Northgate Academy")
    expect(page.get_by_test_id("possible-duplicates")).to_have_count(0)


def _new_context_possible_duplicate(page: Page, request: pytest.FixtureRequest) -> None:
    """A location of the same kind at the same postcode as ``location``: shown, to confirm."""
    _context_pages(request)
    _check_new_context(
        page,
        "Neighbourhood or location",
        days_ago(2),
        **{"Type of location (optional)": "Park or open space", "Postcode (optional)": "NB2 3DF"},
    )
    expect(page.get_by_test_id("near-duplicates")).to_contain_text(LOCATION)


def _new_context_duplicate_not_confirmed(page: Page, request: pytest.FixtureRequest) -> None:
    _new_context_possible_duplicate(page, request)
    _press(page, "Open the context")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        context_services.POSSIBLE_DUPLICATE
    )


def _new_context_closed_same_name(page: Page, request: pytest.FixtureRequest) -> None:
    """The closed school's name again: offered for reopening instead."""
    _context_pages(request)
    _check_new_context(
        page,
        "School or education setting",
        days_ago(2),
        **{"Name of the place, school or platform (optional)": SCHOOL},
    )
    expect(page.get_by_test_id("reopen-existing")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"{SCHOOL} was closed")


def _new_context_name_taken(page: Page, request: pytest.FixtureRequest) -> None:
    """The open group's name again: refused, with a link to it."""
    _context_pages(request)
    _check_new_context(page, "Group", GROUP_OPENED, **{"Area (optional)": GROUP_AREA})
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"{GROUP} is already open")


def _group_page(page: Page, request: pytest.FixtureRequest) -> None:
    _go(GROUP_PAGE)(page, request)
    expect(page.get_by_test_id("professional")).to_have_count(2)
    expect(page.get_by_test_id("record-summary")).to_have_count(2)
    expect(page.get_by_test_id("overdue")).to_be_visible()


def _closed_school_page(page: Page, request: pytest.FixtureRequest) -> None:
    _go(SCHOOL_PAGE)(page, request)
    expect(page.get_by_test_id("closure-record")).to_be_visible()


def _change_context_without_a_date(page: Page, request: pytest.FixtureRequest) -> None:
    _go(GROUP_PAGE + "edit/")(page, request)
    _clear_date(page, "id_opened_on")
    _press(page, "Save details")


def _progress_done_without_a_date(page: Page, request: pytest.FixtureRequest) -> None:
    _go(ACTION_PROGRESS)(page, request)
    page.locator("main").get_by_role("group", name="Progress").get_by_label("Done").check()
    _press(page, "Save progress")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the action was done"
    )


def _review_date_cleared(page: Page, request: pytest.FixtureRequest) -> None:
    # The form comes filled with the date set; emptied, so nothing is saved.
    _go(GROUP_PAGE + "plan/review-date/")(page, request)
    _clear_date(page, "id_review_date")
    _press(page, "Save review date")


def _record_with_contexts(page: Page, request: pytest.FixtureRequest) -> None:
    _go_with_contexts(RECORD)(page, request)
    expect(page.get_by_test_id("current-link")).to_have_count(1)
    expect(page.get_by_test_id("places")).to_be_visible()
    # Opened, so that axe checks the ended links and not only their summary line.
    page.get_by_test_id("ended-links").locator("summary").click()
    expect(page.get_by_test_id("ended-link")).to_be_visible()


def _link_search(page: Page, request: pytest.FixtureRequest) -> None:
    _go_with_contexts(LINK_NEW + "?q=NB2&kind=location")(page, request)
    expect(page.get_by_test_id("contexts-to-link")).to_contain_text(LOCATION)


def _location_link(page: Page, request: pytest.FixtureRequest) -> None:
    _go(CONTEXT_LINKS + "locations-of-harm/{c.place.pk}/link/")(page, request)
    expect(page.get_by_test_id("location-contexts")).to_contain_text(LOCATION)


def _close_refused(page: Page, request: pytest.FixtureRequest) -> None:
    """Someone who may read contexts but not close them: refused, with who may."""
    _go(GROUP_PAGE + "close/")(page, request)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Only the lead practitioner (Pat Tester) or a manager of Team A can close this context"
    )


def _naming_preview(page: Page, request: pytest.FixtureRequest) -> None:
    """A new convention typed, its live preview waited for, then the Preview button (no
    JavaScript needed): nothing is saved."""
    page.goto(GROUP_NAMING)
    page.locator("main").get_by_text("Write the convention yourself").click()
    page.locator("main").get_by_label("Naming convention").fill(
        "{term} – {district} – {opened:%b %Y}"
    )
    preview = page.get_by_test_id("preview-name")
    # Waiting for the live preview first, so the Preview button does not cut its request short.
    expect(preview).to_have_text("Group – NB1 – Mar 2025")
    page.locator("main").get_by_role("button", name="Preview", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(GROUP_NAMING) + "$"))
    expect(preview).to_have_text("Group – NB1 – Mar 2025")


def _naming_with_errors(page: Page, request: pytest.FixtureRequest) -> None:
    page.goto(GROUP_NAMING)
    page.locator("main").get_by_text("Write the convention yourself").click()
    page.locator("main").get_by_label("Naming convention").fill("Group – {ward}")
    # The live preview's answer first, as for the preview above.
    expect(page.get_by_test_id("preview-name")).to_contain_text("{ward} is not a field")
    _press(page, "Save convention")
    expect(page.locator(".govuk-error-summary")).to_contain_text("{ward} is not a field")


# Pages by who is signed in (None: nobody). Pages in one role share a database, so none of them
# may change what a later one shows; the lock-out comes last for that reason.
PAGES_BY_ROLE: dict[str | None, list[Case]] = {
    None: [
        Case("sign-in", _go("/accounts/sign-in/"), "Sign in"),
        Case("sign-in-with-errors", _sign_in_empty, "Sign in"),
        Case("sign-in-locked-out", _locked_out, "You cannot sign in at the moment"),
    ],
    "practitioner": [
        Case("home", _go("/"), "Welcome, Pat"),
        Case("caseload", _go("/young-people/"), "Caseload"),
        Case(
            "caseload-no-results",
            _go("/young-people/?q=nobody-by-this-name&status=closed&mine=on"),
            "Caseload",
        ),
        Case("record", _go(RECORD), "Zephyrine Quillfeather"),
        Case(
            "not-found-other-teams-record",
            _go("/young-people/{r.other_young_person.pk}/"),
            "Page not found",
        ),
        Case("notifications-empty", _go("/notifications/"), "Notifications"),
        Case("raise-flag", _go(RAISE_FLAG), "Zephyrine Quillfeather"),
        Case(
            "raise-flag-with-errors",
            _submit_empty(RAISE_FLAG, "Raise flag"),
            "Zephyrine Quillfeather",
        ),
        Case("referral", _go(REFERRAL), "Zephyrine Quillfeather"),
        Case(
            "referral-with-errors",
            _submit_empty(REFERRAL, "Record referral"),
            "Zephyrine Quillfeather",
        ),
        Case(
            "new-person-referral",
            _go(NEW_PERSON_REFERRAL),
            "Referral for a young person new to the service",
        ),
        Case(
            "new-person-referral-with-errors",
            _submit_empty(NEW_PERSON_REFERRAL, "Record referral"),
            "Referral for a young person new to the service",
        ),
        Case(
            "new-person-referral-possible-duplicate",
            _possible_duplicate,
            "Referral for a young person new to the service",
        ),
        Case("record-with-a-referral", _record_with_a_referral, "Zephyrine Quillfeather"),
        # From here on the record has flags (made by the first page that needs them).
        Case("record-with-flags-and-timeline", _record_with_flags, "Zephyrine Quillfeather"),
        Case("archive-flag", _go_with_flags(ARCHIVE), "Zephyrine Quillfeather"),
        Case(
            "archive-flag-with-errors",
            _submit_empty(ARCHIVE, "Archive flag"),
            "Zephyrine Quillfeather",
        ),
        Case("reinstate-flag", _go_with_flags(REINSTATE), "Zephyrine Quillfeather"),
        Case(
            "reinstate-flag-with-errors",
            _submit_empty(REINSTATE, "Reinstate flag"),
            "Zephyrine Quillfeather",
        ),
        Case("review-flag", _go_with_flags(REVIEW), "Zephyrine Quillfeather"),
        Case(
            "review-flag-with-errors",
            _submit_empty(REVIEW, "Record review"),
            "Zephyrine Quillfeather",
        ),
        Case("review-flag-with-a-past-date", _review_with_a_past_date, "Zephyrine Quillfeather"),
        # From here on the record has the pathway: assessments, plans, relocations, notes and
        # documents (made by the first page that needs them). None of these pages changes it.
        Case("record-with-the-pathway", _record_with_the_pathway, YP),
        Case("assessments", _go(ASSESSMENTS), YP),
        Case("start-assessment", _go(ASSESSMENTS + "new/"), YP),
        Case(
            "start-assessment-with-errors",
            _submit_empty(ASSESSMENTS + "new/", "Start assessment"),
            YP,
        ),
        Case("assessment-in-progress", _go(IN_PROGRESS), YP),
        Case("assessment-awaiting-authorisation", _go(AWAITING), YP),
        Case("assessment-authorised", _go(ASSESSMENTS + "{p.authorised.pk}/"), YP),
        Case("edit-assessment", _go(IN_PROGRESS + "edit/"), YP),
        Case("edit-assessment-with-errors", _edit_assessment_without_a_start_date, YP),
        Case("add-factor", _go(IN_PROGRESS + "factors/new/"), YP),
        Case(
            "add-factor-with-errors", _submit_empty(IN_PROGRESS + "factors/new/", "Add factor"), YP
        ),
        Case(
            "withdraw-factor",
            _go(IN_PROGRESS + "factors/{p.current_factor.pk}/withdraw/"),
            YP,
        ),
        Case("add-map", _go(IN_PROGRESS + "maps/new/"), YP),
        Case("add-map-with-errors", _submit_empty(IN_PROGRESS + "maps/new/", "Upload map"), YP),
        Case("complete-assessment", _go(IN_PROGRESS + "complete/"), YP),
        Case(
            "complete-assessment-with-errors",
            _submit_empty(IN_PROGRESS + "complete/", "Complete assessment"),
            YP,
        ),
        Case("authorise-assessment-refused", _authorise_refused, YP),
        Case("plans", _go(PLANS), YP),
        Case("draft-plan", _go(PLANS + "new/"), YP),
        Case("draft-plan-with-errors", _submit_empty(PLANS + "new/", "Draft plan"), YP),
        Case("plan-in-force", _plan_in_force, YP),
        Case("draft-plan-with-open-factors", _go(DRAFT_PLAN), YP),
        Case("ended-plan", _go(PLANS + "{p.ended.pk}/"), YP),
        Case("change-plan", _go(PLAN_IN_FORCE + "edit/"), YP),
        Case("change-plan-with-errors", _change_plan_without_a_start_date, YP),
        Case("add-action", _go(DRAFT_PLAN + "actions/new/?factor={p.open_factor.pk}"), YP),
        Case(
            "add-action-with-errors", _submit_empty(DRAFT_PLAN + "actions/new/", "Add action"), YP
        ),
        Case("action-progress", _go(PLAN_IN_FORCE + "actions/{p.action.pk}/progress/"), YP),
        Case("action-progress-with-errors", _action_done_without_a_date, YP),
        Case(
            "factor-not-addressed",
            _go(DRAFT_PLAN + "factors/{p.open_factor.pk}/not-addressed/"),
            YP,
        ),
        Case(
            "factor-not-addressed-with-errors",
            _submit_empty(DRAFT_PLAN + "factors/{p.open_factor.pk}/not-addressed/", "Save reason"),
            YP,
        ),
        Case("finalise-plan", _go(DRAFT_PLAN + "finalise/"), YP),
        Case("submit-plan-for-sign-off", _go(DRAFT_PLAN + "submit/"), YP),
        Case("finalise-plan-with-open-factors", _finalise_with_open_factors, YP),
        Case("review-plan", _go(PLAN_IN_FORCE + "review/"), YP),
        Case(
            "review-plan-with-errors", _submit_empty(PLAN_IN_FORCE + "review/", "Record review"), YP
        ),
        Case("end-plan", _go(PLAN_IN_FORCE + "end/"), YP),
        Case("end-plan-with-errors", _submit_empty(PLAN_IN_FORCE + "end/", "End plan"), YP),
        Case("relocations", _go(RECORD + "relocations/"), YP),
        Case("record-relocation", _go(RECORD + "relocations/new/"), YP),
        Case(
            "record-relocation-with-errors",
            _submit_empty(RECORD + "relocations/new/", "Record relocation"),
            YP,
        ),
        Case("case-notes", _go(RECORD + "notes/"), YP),
        Case("add-case-note", _go(RECORD + "notes/new/"), YP),
        Case("add-case-note-with-errors", _submit_empty(RECORD + "notes/new/", "Save note"), YP),
        Case("documents", _go(RECORD + "documents/"), YP),
        Case("upload-document", _go(RECORD + "documents/new/"), YP),
        Case(
            "upload-document-with-errors",
            _submit_empty(RECORD + "documents/new/", "Upload document"),
            YP,
        ),
        Case("chronology", _go(RECORD + "chronology/"), YP),
        Case("chronology-filtered", _chronology_filtered, YP),
        # The reminder it makes puts the unread badge on every later page; it comes before the
        # contexts, whose links and records would add notifications of their own.
        Case("notifications-with-unread-badge", _notifications, "Notifications"),
        # Context records, from here on with the contexts made (by the first page that needs
        # them). None of these pages saves anything: errors, previews and check steps only.
        Case("contexts", _go_with_contexts(CONTEXTS), "Contexts"),
        Case("contexts-filtered", _contexts_filtered, "Contexts"),
        Case("open-context", _go(CONTEXTS + "new/"), "Open a context"),
        Case(
            "open-context-with-errors",
            _submit_empty(CONTEXTS + "new/", "Continue"),
            "Open a context",
        ),
        Case("open-context-check", _new_context_checked, "Check the new context"),
        Case(
            "open-context-possible-duplicate",
            _new_context_possible_duplicate,
            "Check the new context",
        ),
        Case(
            "open-context-duplicate-not-confirmed",
            _new_context_duplicate_not_confirmed,
            "Check the new context",
        ),
        Case(
            "open-context-closed-same-name",
            _new_context_closed_same_name,
            "Check the new context",
        ),
        Case("open-context-name-taken", _new_context_name_taken, "Check the new context"),
        Case("context-open", _group_page, GROUP),
        Case("context-closed", _closed_school_page, f"{SCHOOL} Closed"),
        Case("change-context", _go(GROUP_PAGE + "edit/"), f"Change the details of {GROUP}"),
        Case(
            "change-context-with-errors",
            _change_context_without_a_date,
            f"Change the details of {GROUP}",
        ),
        Case("close-context", _go(GROUP_PAGE + "close/"), f"Close {GROUP}"),
        Case(
            "close-context-with-errors",
            _submit_empty(GROUP_PAGE + "close/", "Close the context"),
            f"Close {GROUP}",
        ),
        Case("reopen-context", _go(SCHOOL_PAGE + "reopen/"), f"Reopen {SCHOOL}"),
        Case(
            "reopen-context-with-errors",
            _submit_empty(SCHOOL_PAGE + "reopen/", "Reopen the context"),
            f"Reopen {SCHOOL}",
        ),
        Case("context-chronology", _go(GROUP_PAGE + "chronology/"), f"Chronology of {GROUP}"),
        Case(
            "closed-context-chronology",
            _go(SCHOOL_PAGE + "chronology/"),
            f"Chronology of {SCHOOL}",
        ),
        Case("record-context-assessment", _go(GROUP_PAGE + "records/new/"), GROUP),
        Case(
            "record-context-assessment-with-errors",
            _submit_empty(GROUP_PAGE + "records/new/", "Save record"),
            GROUP,
        ),
        Case("context-records", _go(GROUP_PAGE + "records/"), GROUP),
        Case("context-record", _go(GROUP_PAGE + "records/{c.record.pk}/"), GROUP),
        Case("add-context-action", _go(GROUP_PAGE + "plan/actions/new/"), GROUP),
        Case(
            "add-context-action-with-errors",
            _submit_empty(GROUP_PAGE + "plan/actions/new/", "Add action"),
            GROUP,
        ),
        Case("context-action-progress", _go(ACTION_PROGRESS), GROUP),
        Case("context-action-progress-with-errors", _progress_done_without_a_date, GROUP),
        Case("plan-review-date", _go(GROUP_PAGE + "plan/review-date/"), GROUP),
        Case("plan-review-date-with-errors", _review_date_cleared, GROUP),
        # The young person's side of a link: pages of their record.
        Case("record-with-contexts", _record_with_contexts, YP),
        Case("link-to-a-context", _go_with_contexts(LINK_NEW), YP),
        Case("link-to-a-context-searched", _link_search, YP),
        Case("link-to-a-context-why", _go(LINK_NEW + "?context={c.location.pk}"), YP),
        Case(
            "link-to-a-context-with-errors",
            _submit_empty(LINK_NEW + "?context={c.location.pk}", "Link young person"),
            YP,
        ),
        Case("end-context-link", _go(LINK_END), YP),
        Case("end-context-link-with-errors", _submit_empty(LINK_END, "End link"), YP),
        Case("link-place-to-a-location-context", _location_link, YP),
    ],
    "team_manager": [
        Case("home", _go("/"), "Welcome, Mona"),
        Case("caseload", _go("/young-people/"), "Caseload"),
        Case("record-with-allocation-form-and-access-log", _go(RECORD), "Zephyrine Quillfeather"),
        Case("access-log", _go(RECORD + "access-log/"), "Zephyrine Quillfeather"),
        Case("allocate-with-errors", _allocate_empty, "Zephyrine Quillfeather"),
        Case("end-allocation", _go(END_ALLOCATION), "Zephyrine Quillfeather"),
        Case("end-allocation-with-errors", _end_allocation_empty, "Zephyrine Quillfeather"),
        # The pathway's pages only a team manager of the holding team acts on.
        Case("assessment-to-authorise", _go(AWAITING), YP),
        Case("authorise-assessment", _go(AWAITING + "authorise/"), YP),
        Case("authorise-assessment-before-completion", _authorise_before_completion, YP),
        Case("return-assessment", _go(AWAITING + "return/"), YP),
        Case(
            "return-assessment-with-errors",
            _submit_empty(AWAITING + "return/", "Return assessment"),
            YP,
        ),
        Case("dashboards", _go(DASHBOARDS), DASHBOARDS_HEADING),
        Case("cin-census", _go(CIN_CENSUS), CIN_CENSUS_HEADING),
        Case("exports", _go(EXPORTS), "Your exports"),
    ],
    "service_manager": [
        Case("home", _go("/"), "Welcome, Sid"),
        Case("home-with-authority-counts", _home_with_authority_counts, "Welcome, Sid"),
        # Contexts, read only.
        Case("contexts-read-only", _go_with_contexts(CONTEXTS), "Contexts"),
        Case("context-read-only", _go(GROUP_PAGE), GROUP),
        Case("close-context-refused", _close_refused, f"Close {GROUP}"),
        Case("dashboards", _go(DASHBOARDS), DASHBOARDS_HEADING),
        Case("cin-census", _go(CIN_CENSUS), CIN_CENSUS_HEADING),
        Case("exports", _go(EXPORTS), "Your exports"),
    ],
    "administrator": [
        Case("home", _go("/"), "Welcome, Ada"),
        Case("harm-types", _go(HARM_TYPES), "Harm types"),
        Case("plan-sign-off", _go("/configuration/plan-sign-off/"), "Plan sign-off"),
        Case("add-harm-type", _go(HARM_TYPES + "new/"), "Add a harm type"),
        Case(
            "add-harm-type-with-errors",
            _submit_empty(HARM_TYPES + "new/", "Save"),
            "Add a harm type",
        ),
        Case("change-harm-type", _go_to_harm_type("edit/"), "Change Going missing"),
        Case("retire-harm-type", _go_to_harm_type("retire/"), "Retire Going missing"),
        Case(
            "retire-harm-type-with-errors",
            _retire_harm_type_without_a_reason,
            "Retire Going missing",
        ),
        Case(
            "change-harm-type-with-errors",
            _change_harm_type_without_a_name,
            "Change Going missing",
        ),
        Case("context-naming", _go(NAMING), "Context naming"),
        Case("naming-convention", _go(GROUP_NAMING), "Naming convention for Group"),
        Case("naming-convention-preview", _naming_preview, "Naming convention for Group"),
        Case("naming-convention-with-errors", _naming_with_errors, "Naming convention for Group"),
        # Last: it renames a type.
        Case("harm-type-history", _harm_type_history, "History of Going missing from home or care"),
    ],
}


@pytest.fixture
def records(young_person, other_young_person, practitioner) -> Records:
    return Records(
        young_person=young_person,
        other_young_person=other_young_person,
        practitioner_allocation=young_person.allocations.get(
            worker=practitioner, ended_at__isnull=True
        ),
    )


@pytest.fixture
def flags(records, practitioner) -> Flags:
    young_person = records.young_person

    def raise_flag(name: str, **extra) -> HarmFlag:
        return case_services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=_harm_type(name),
            identified_at=extra.pop("identified_at", IdentifiedAt.REFERRAL),
            **extra,
        )

    current = raise_flag(
        "Going missing",
        identified_on=days_ago(40),
        review_date=days_ago(1),
        note="Missing overnight twice this month.",
    )
    intra_familial = raise_flag(
        "Domestic abuse in the home",
        identified_at=IdentifiedAt.ASSESSMENT,
        identified_on=days_ago(20),
        review_date=today() + timedelta(days=30),
    )
    archived = case_services.harm_flag_archive(
        actor=practitioner,
        flag=raise_flag("Child sexual exploitation", identified_on=days_ago(30)),
        reason=ArchiveReason.NEVER,
        rationale="Assessment found no indicators of sexual exploitation.",
    )
    return Flags(current=current, intra_familial=intra_familial, archived=archived)


@pytest.fixture
def pathway(records, practitioner, team_manager, settings, tmp_path) -> Pathway:
    """Every state the pathway's pages show, on ``young_person``, through the services."""
    settings.MEDIA_ROOT = tmp_path  # the live server runs in this process, so it sees this
    young_person = records.young_person

    authorised, (peers, school) = authorised_assessment(practitioner, team_manager, young_person)
    plan_in_force = draft_plan(practitioner, young_person, kind="cin")
    action = contextual_action(practitioner, plan_in_force, factor=peers)
    plan_services.plan_action_add(
        actor=practitioner,
        plan=plan_in_force,
        description="Meet Zephyrine's head of year about the school gate",
        owner="Social worker",
        due_date=days_ago(3),  # overdue
    )
    plan_services.plan_factor_not_addressed(
        actor=practitioner,
        plan=plan_in_force,
        factor=school,
        reason="The school is arranging a safe exit plan through its own pastoral team.",
    )
    put_in_force(practitioner, plan_in_force)  # submitted and signed off by the team manager
    plan_services.plan_review(
        actor=practitioner,
        plan=plan_in_force,
        reviewed_on=days_ago(1),
        next_review_date=today() + timedelta(days=42),
        summary="Fewer evenings at the estate; the youth work has started.",
    )
    draft = draft_plan(practitioner, young_person, kind="early_help")
    ended = plan_services.plan_end(
        actor=practitioner,
        plan=draft_plan(practitioner, young_person, kind="cp"),
        ended_on=today(),
        reason="The strategy discussion decided a child in need plan is enough.",
    )

    in_progress = assessment_services.assessment_start(
        actor=practitioner,
        young_person=young_person,
        started_on=days_ago(6),
        peers="Spends time with a new group from the Larkspur estate.",
    )
    current_factor = assessment_services.contextual_factor_add(
        actor=practitioner, assessment=in_progress, domain=ONLINE[0], description=ONLINE[1]
    )
    assessment_services.contextual_factor_withdraw(
        actor=practitioner,
        factor=assessment_services.contextual_factor_add(
            actor=practitioner,
            assessment=in_progress,
            domain=PEERS[0],
            description="Recorded twice",
        ),
    )
    document_upload(
        actor=practitioner,
        young_person=young_person,
        uploaded=SimpleUploadedFile(
            "safety-map.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        ),
        title="Safety map of the estate",
        kind="safety_map",
        assessment=in_progress,
        shaped_conclusion="The stairwells are where she feels least safe.",
    )
    awaiting = assessment_services.assessment_start(
        actor=practitioner, young_person=young_person, started_on=days_ago(15)
    )
    awaiting = assessment_services.assessment_complete(
        actor=practitioner,
        assessment=awaiting,
        completed_on=days_ago(2),
        conclusion="Harm comes from outside the family.",
        outcome_nature="extra_familial",
        decision="cin",
        cin_factor_codes=["10A"],
    )

    relocation_record(
        actor=practitioner,
        young_person=young_person,
        moved_on=days_ago(5),
        kind="out_of_area",
        destination="Westmarsh Council",
        reason="Away from the people exploiting her at the estate.",
        because_of_extra_familial_harm=True,
        plan=plan_in_force,
        plan_addresses_factors="partly",
    )
    case_note_add(
        actor=practitioner,
        young_person=young_person,
        noted_on=days_ago(3),
        subject="Home visit",
        body="Zephyrine talked about the estate.\nHer mother is worried about the weekends.",
    )
    document_upload(
        actor=practitioner,
        young_person=young_person,
        uploaded=SimpleUploadedFile(
            "minutes.txt", b"Strategy meeting minutes.\n", content_type="text/plain"
        ),
        title="Strategy meeting minutes",
    )
    return Pathway(
        authorised=authorised,
        in_progress=in_progress,
        current_factor=current_factor,
        awaiting=awaiting,
        plan_in_force=plan_in_force,
        action=action,
        draft=draft,
        open_factor=school,
        ended=ended,
    )


@pytest.fixture
def context_pages(records, practitioner, other_team_practitioner, team_manager) -> ContextPages:
    """Every state the context pages show, through the services: a group both teams work on, a
    closed school, and a location near a place where ``young_person`` was harmed."""
    young_person = records.young_person

    def open_context(kind: str, opened_on: date, **details) -> Context:
        return context_services.context_open(
            actor=practitioner,
            kind=kind,
            opened_on=opened_on,
            confirmed_not_duplicate=True,
            **details,
        )

    group = open_context(
        ContextKind.PEER_GROUP,
        GROUP_OPENED,
        area=GROUP_AREA,
        incident="A fight at the skate park on a Friday evening, about eight young people.",
        description="Meets most evenings at the skate park and the parade of shops.",
        harm_types=[_harm_type("Serious youth violence"), _harm_type("Gangs")],
    )
    link = link_services.context_link_young_person(
        actor=practitioner,
        context=group,
        young_person=young_person,
        reason="She was at the skate park fight and is scared of the older boys.",
    )
    link_services.context_link_young_person(
        actor=other_team_practitioner,
        context=group,
        young_person=records.other_young_person,
        reason="He is said to carry messages for the group.",
    )
    record = context_work.context_record_add(
        actor=practitioner,
        context=group,
        kind=ContextRecordKind.ASSESSMENT,
        held_on=days_ago(10),
        functioning="Two older members lead the group; the younger ones copy them.",
        guardianship="No adult is at the skate park after 6pm.",
        environment="The parade of shops is unlit and the youth club shut in the summer.",
        weighting=TriangleSide.GUARDIANSHIP,
        weighting_reason="Detached youth work in the evenings would change the most, soonest.",
    )
    context_work.context_record_add(
        actor=other_team_practitioner,
        context=group,
        kind=ContextRecordKind.MEETING,
        held_on=days_ago(3),
        environment="The council will light the parade of shops by the spring.",
    )
    action = context_work.context_action_add(
        actor=practitioner,
        context=group,
        side=TriangleSide.GUARDIANSHIP,
        description="Detached youth work at the skate park on weekday evenings",
        partner_agency="youth_service",
        owner="Youth work lead, Larkspur Youth Hub",
        due_date=days_ago(2),  # overdue
    )
    done = context_work.context_action_add(
        actor=practitioner,
        context=group,
        side=TriangleSide.ENVIRONMENT,
        description="Ask the council to light the parade of shops",
        partner_agency="community_safety",
        owner="Community safety officer",
        due_date=today() + timedelta(days=30),
    )
    context_work.context_action_update_progress(
        actor=practitioner,
        action=done,
        progress="done",
        completed_on=days_ago(1),
        note="Lighting agreed for the spring.",
    )
    context_work.context_plan_review_set(
        actor=practitioner, context=group, review_date=today() + timedelta(days=28)
    )

    school = open_context(ContextKind.SCHOOL, date(2025, 9, 8), label=SCHOOL)
    link_services.context_link_young_person(
        actor=practitioner,
        context=school,
        young_person=young_person,
        reason="Older pupils wait for her at the school gate.",
    )
    context_services.context_close(
        actor=practitioner,
        context=school,
        on=days_ago(5),
        reason="The school has its own safe exit plan now.",
        functioning_change="Year 10 mentors walk with younger pupils.",
        guardianship_change="Staff are on the gate at the end of the day.",
        environment_change="The back gate is locked after school.",
        links_rule=LinkEndRule.END,
    )

    location_type = LocationType.objects.get(name=LOCATION_TYPE)
    location = open_context(
        ContextKind.LOCATION,
        days_ago(20),
        location_type=location_type,
        postcode=LOCATION_POSTCODE,
        area="Larkspur parade",
    )
    place = case_services.referral_record(
        actor=practitioner,
        young_person=young_person,
        received_on=days_ago(15),
        source="2A",
        reason="Seen at the bus stop on the parade late at night.",
        nature_of_harm="extra_familial",
        decision="assessment",
        locations=[case_services.LocationInput(location_type=location_type, postcode="NB2 3DG")],
    ).referral.locations.get()
    return ContextPages(
        group=group,
        record=record,
        action=action,
        link=link,
        school=school,
        location=location,
        place=place,
    )


@pytest.mark.parametrize(
    "role", PAGES_BY_ROLE, ids=[role or "signed-out" for role in PAGES_BY_ROLE]
)
def test_pages_have_no_axe_violations(role, request, subtests, axe_page: Page, log_in):
    if role:
        log_in(axe_page.context, request.getfixturevalue(role))
    for case in PAGES_BY_ROLE[role]:
        with subtests.test(msg=case.id):
            case.visit(axe_page, request)
            expect(axe_page.get_by_role("heading", level=1)).to_have_text(case.heading)
            assert_accessible(axe_page, f"{case.id} as {role or 'nobody'}")
