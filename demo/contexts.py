"""The demo's context records: peer groups, schools, locations and online spaces over the last
24 months, with triangle assessments, meeting notes, plan actions, links from the young people's
own practitioners, and some closed (with their closure record) and reopened.

Every write goes through the services; all text is thematic and invented, and names no child.
"""

from __future__ import annotations

from datetime import date, timedelta

from cases.models import Allocation, AllocationKind, LocationType
from contexts.linking import services as link_services
from contexts.models import Context
from contexts.services import contexts as context_services
from contexts.services import work as work_services
from csafe.core.errors import ApplicationError
from harms.models import FlagStatus, HarmType

AREAS = ["Northbridge Central", "Eastmoor Estate", "Riverside", "Old Market", "Hollin Park"]
SCHOOLS = [
    "Northbridge Academy",
    "Eastmoor High School",
    "Riverside Pupil Referral Unit",
    "St Aidan's College",
    "Hollin Park School",
]
ONLINE = ["Group chat on a messaging app", "Gaming platform voice channel", "Short-video app"]
LOCATION_TYPES = [
    "Park or open space",
    "Bus stop",
    "Shop or takeaway",
    "Stairwell or communal area",
]
RECORD_TEXT = {
    "functioning": "Young people in the group look out for each other but older members set "
    "the rules; younger members are expected to carry and hold items.",
    "guardianship": "Few trusted adults are present in the evenings; the youth club closed last "
    "year and the nearest staffed space is a bus ride away.",
    "environment": "Poor lighting and an unstaffed back entrance make the area easy to use "
    "unseen after dark.",
}
ACTIONS = [
    ("guardianship", "Detached youth work on Tuesday and Friday evenings.", "youth_service"),
    ("environment", "Council to repair lighting and cut back the hedges.", "community_safety"),
    ("guardianship", "Police to add the area to evening patrol routes.", "police"),
    ("functioning", "School to run group sessions on exploitation and safety.", "education"),
    ("environment", "Shop owner to take part in the safeguarding training.", "business"),
]


def add_contexts(rng, *, staff: dict, today: date) -> int:
    """Create the demo contexts once (nothing if any context exists). Returns how many."""
    if Context.objects.exists():
        return 0
    practitioners = [u for u in staff.values() if u.role == "practitioner"]
    managers = {u.team_id: u for u in staff.values() if u.role == "team_manager"}
    types = {t.name: t for t in HarmType.objects.filter(is_active=True)}
    places = {t.name: t for t in LocationType.objects.filter(name__in=LOCATION_TYPES)}
    # Young people with a current extra-familial flag and an allocated worker, to link.
    allocations = list(
        Allocation.objects.filter(
            kind=AllocationKind.WORKER,
            ended_at__isnull=True,
            young_person__status="open",
            young_person__harm_flags__status=FlagStatus.ACTIVE,
            young_person__harm_flags__nature="extra_familial",
        )
        .select_related("young_person", "worker")
        .distinct()
        .order_by("pk")
    )
    plans = []
    for index in range(10):
        plans.append(("peer_group", {"area": AREAS[index % len(AREAS)]}))
    for name in SCHOOLS:
        plans.append(("school", {"label": name}))
    for index in range(8):
        location_type = places[LOCATION_TYPES[index % len(LOCATION_TYPES)]]
        plans.append(
            (
                "location",
                {
                    "location_type": location_type,
                    "postcode": f"NB{index % 9 + 1} {rng.randint(1, 9)}"
                    + rng.choice("ABDEFGHJ")
                    + rng.choice("LNPQRSTU"),
                    "area": AREAS[index % len(AREAS)],
                },
            )
        )
    for name in ONLINE:
        plans.append(("online", {"label": name}))
    created = 0
    for kind, fields in plans:
        lead = rng.choice(practitioners)
        opened_on = today - timedelta(days=rng.randint(30, 720))
        harm_names = rng.sample(
            [
                "Child criminal exploitation, including county lines",
                "Child sexual exploitation",
                "Serious youth violence",
            ],
            k=rng.choice([1, 1, 2]),
        )
        try:
            context = context_services.context_open(
                actor=lead,
                kind=kind,
                opened_on=opened_on,
                incident="Concerns raised at the multi-agency meeting about young people "
                "meeting here and being approached by older men.",
                harm_types=[types[n] for n in harm_names if n in types],
                confirmed_not_duplicate=True,
                **fields,
            )
        except ApplicationError:
            # Two draws can make the same name (same area and month); the second is skipped.
            context = None
        if context is None:
            continue
        created += 1
        _work(rng, context, lead, opened_on, today)
        chosen = rng.sample(allocations, k=min(len(allocations), rng.randint(0, 6)))
        # Two workers can hold the same young person: link each young person once.
        for allocation in {a.young_person_id: a for a in chosen}.values():
            link_services.context_link_young_person(
                actor=allocation.worker,
                context=context,
                young_person=allocation.young_person,
                reason="Seen here with the group; named in the strategy meeting.",
            )
        if rng.random() < 0.25:
            closed_on = min(today, opened_on + timedelta(days=rng.randint(60, 300)))
            context_services.context_close(
                actor=managers.get(context.team_id, lead),
                context=context,
                on=closed_on,
                reason="Safety increased: the place is now staffed and lit, and no new concerns.",
                functioning_change="The group no longer meets here; younger members have left.",
                guardianship_change="Youth workers and a staffed club are there most evenings.",
                environment_change="Lighting repaired and the back entrance closed off.",
                links_rule=rng.choice(["end", "keep"]),
            )
            if rng.random() < 0.3 and closed_on < today:
                context_services.context_reopen(
                    actor=managers.get(context.team_id, lead),
                    context=context,
                    on=today - timedelta(days=rng.randint(0, (today - closed_on).days)),
                    reason="New reports of young people being approached here.",
                )
    return created


def _work(rng, context, lead, opened_on: date, today: date) -> None:
    held_on = opened_on + timedelta(days=rng.randint(3, 20))
    if held_on <= today:
        work_services.context_record_add(
            actor=lead,
            context=context,
            kind="assessment",
            held_on=held_on,
            weighting="guardianship",
            weighting_reason="Trusted adults in the evenings would change the most, soonest.",
            **RECORD_TEXT,
        )
    meeting_on = held_on + timedelta(days=rng.randint(20, 60))
    if meeting_on <= today:
        work_services.context_record_add(
            actor=lead,
            context=context,
            kind="meeting",
            held_on=meeting_on,
            guardianship="Partners agreed to share the patrol and youth work rota.",
        )
    for side, description, partner in rng.sample(ACTIONS, k=rng.randint(1, 3)):
        due = held_on + timedelta(days=rng.randint(14, 150))
        action = work_services.context_action_add(
            actor=lead,
            context=context,
            side=side,
            description=description,
            partner_agency=partner,
            owner="Named lead from the partner agency",
            due_date=due,
        )
        if due <= today and rng.random() < 0.5:
            work_services.context_action_update_progress(
                actor=lead, action=action, progress="done", completed_on=due
            )
    work_services.context_plan_review_set(
        actor=lead, context=context, review_date=today + timedelta(days=rng.randint(1, 60))
    )
