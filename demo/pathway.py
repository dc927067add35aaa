"""The demo's pathway after a referral: assessments with contextual factors, plans whose
contextual actions answer them, reviews, relocations and case notes, spread over the 24 months
the referrals cover, in proportions a children's services department would recognise.

Every write goes through the services, so history, events and permissions are real. All text is
invented. Used by the load_demo command.
"""

from __future__ import annotations

from datetime import date, timedelta

from cases.models import Referral
from cases.services import assessments as assessment_services
from cases.services import notes as note_services
from cases.services import oversight as oversight_services
from cases.services import plans as plan_services
from cases.services import relocations as relocation_services
from csafe.core.vocabulary import ContextKind

FACTORS = {
    ContextKind.PEER_GROUP: [
        "Spends most evenings with an older group linked to drug supply in the north.",
        "New friends known to police for robbery; distanced from old friends.",
        "Peer group uses a shared phone line to arrange meeting places.",
    ],
    ContextKind.LOCATION: [
        "Regularly seen at the bus station after dark, where older men approach young people.",
        "The stairwells of a block on the estate are used to store drugs and hold young people.",
        "Chicken shop on the high street is a meeting point for the group after school.",
    ],
    ContextKind.SCHOOL: [
        "Fights on the route home from school; staff are not present at the back gate.",
        "Excluded twice this term; spends the days of exclusion with the group.",
    ],
    ContextKind.ONLINE: [
        "Contacted through a gaming platform by an adult offering money for running errands.",
        "Images shared without consent in a group chat used by pupils at the school.",
    ],
}
CONTEXTUAL_ACTIONS = {
    ContextKind.PEER_GROUP: (
        "Youth worker to offer detached sessions to the group.",
        "youth_service",
    ),
    ContextKind.LOCATION: (
        "Police and community safety to increase patrols and lighting.",
        "police",
    ),
    ContextKind.SCHOOL: ("School to staff the back gate at the end of the day.", "education"),
    ContextKind.ONLINE: (
        "Report the account to the platform and work on online safety.",
        "online_platform",
    ),
}
GAP_REASONS = [
    "Being taken forward through the context panel for the whole group, not this plan.",
    "No partner has capacity this quarter; escalated to the service manager.",
]
PROMPTS = {
    "peers": "Describes friends as 'family'; says older friends look after them.",
    "school": "Attendance has fallen to 60% this term; likes the sports coach.",
    "neighbourhood": "Avoids the park near home after an incident in the summer.",
    "online": "Uses two social media accounts; parents do not know about one of them.",
}
CONCLUSIONS = [
    "Harm arises mainly outside the family; parents are protective but cannot reach the "
    "places where it happens. Safety depends on changing those places and relationships.",
    "Risk from the peer group is significant; home is a protective factor that needs support.",
]
NO_HARM_CONCLUSION = (
    "The concerns in the referral were not borne out: no harm found at home or outside it. "
    "The family know how to ask for help again."
)
# The team manager's reasoning on authorising, and their management oversight of the case.
SIGN_OFF_REASONS = [
    "The actions answer each contextual factor the assessment found, with named partners and "
    "dates. Safe to go into force.",
    "Proportionate: the family's own safety plan and the detached youth work together cover the "
    "evenings, when the risk is highest.",
    "The plan reflects the strategy discussion; the police lead for the estate is named and the "
    "school has agreed its part.",
]
RETURN_REASONS = [
    'Name who leads on the school factor, and by when; the plan says only "education".',
    "The peer group factor is marked as not addressed without a reason the family would "
    "understand. Say who is working on it instead.",
]


def _plan_into_force(plan, *, worker, manager, today: date):
    """A child protection plan goes into force at its conference (on its start date); a child in
    need plan is submitted and signed off by the team manager, but a few are still awaiting
    sign-off and some were returned for more work. Chosen by the row, not the random generator,
    so the rest of the demo is unchanged."""
    if plan.kind == "cp":
        return plan_services.plan_finalise(
            actor=worker, plan=plan, finalised_on=plan.start_date, conference_date=plan.start_date
        )
    recent = plan.start_date >= today - timedelta(days=45)
    # Recent plans: a third each waiting, returned and signed off; older ones mostly signed off.
    waiting = plan.pk % 3 if recent else {0: 0, 1: 1}.get(plan.pk % 11, 2)
    plan = plan_services.plan_submit(actor=worker, plan=plan, submitted_on=plan.start_date)
    if waiting == 0:
        return plan
    if waiting == 1:
        return plan_services.plan_return(
            actor=manager, plan=plan, reason=RETURN_REASONS[plan.pk % len(RETURN_REASONS)]
        )
    return plan_services.plan_sign_off(
        actor=manager,
        plan=plan,
        reason=SIGN_OFF_REASONS[plan.pk % len(SIGN_OFF_REASONS)],
        signed_off_on=plan.start_date,
    )


AUTHORISATION_REASONS = [
    "The conclusion follows from the direct work and the partners' information; the decision "
    "is proportionate to the risk outside the home.",
    "Agree with the analysis: the peer group and the places it meets are the risk, and the "
    "plan must reach them. Checked the voice of the young person is recorded.",
    "The assessment weighs what the school and police said against what the family told us; "
    "the decision is the right level of support.",
]
OVERSIGHT = [
    (
        "Case to stay open to the team; the contextual actions to be chased with partners "
        "before the next review.",
        "Reviewed the chronology and the plan with the allocated worker. The actions with the "
        "police are overdue; the young person has not been missing since the last review.",
    ),
    (
        "Step down to early help to be considered at the next review.",
        "Attendance is up and the young person is no longer seen with the older group. The "
        "family are engaging well with the youth worker.",
    ),
    (
        "Strategy discussion to be held this week.",
        "New intelligence links the location to exploitation; the risk has risen since the "
        "assessment.",
    ),
]
NOTES = [
    ("Home visit", "Seen at home with mum. Talked about school and the weekend."),
    ("Direct work", "Worked on a safety map together; named two safe adults."),
    ("Strategy meeting", "Police shared intelligence about the location; actions agreed."),
    ("Phone call with school", "Attendance improving since the change of timetable."),
    ("Missing episode", "Returned after one night; return home interview offered."),
]


def add_pathway(rng, *, referral: Referral, worker, manager, today: date) -> None:
    """What followed ``referral``: an assessment when the decision called for one, a plan when
    the assessment led to one, sometimes a move, and a few case notes."""
    young_person = referral.young_person
    extra_familial = referral.nature_of_harm in {"extra_familial", "both"}
    if referral.decision in {"assessment", "strategy"}:
        _assessment_and_plan(rng, referral, worker, manager, today, extra_familial)
    for _ in range(rng.choice([1, 1, 2, 3, 4])):
        span = max((today - referral.received_on).days, 0)
        subject, body = rng.choice(NOTES)
        note_services.case_note_add(
            actor=worker,
            young_person=young_person,
            noted_on=referral.received_on + timedelta(days=rng.randint(0, span)),
            subject=subject,
            body=body,
        )


def _assessment_and_plan(rng, referral, worker, manager, today, extra_familial) -> None:
    started_on = referral.received_on + timedelta(days=rng.randint(1, 5))
    if started_on > today:
        return
    assessment = assessment_services.assessment_start(
        actor=worker,
        young_person=referral.young_person,
        started_on=started_on,
        referral=referral,
        **PROMPTS,
    )
    factors = []
    if extra_familial:
        for domain in rng.sample(list(FACTORS), k=rng.choice([1, 1, 2, 2, 3])):
            factors.append(
                assessment_services.contextual_factor_add(
                    actor=worker,
                    assessment=assessment,
                    domain=domain,
                    description=rng.choice(FACTORS[domain]),
                )
            )
    completed_on = started_on + timedelta(days=rng.randint(20, 45))
    if completed_on > today:
        return  # still in progress
    codes = assessment_services.cin_factor_suggestions(young_person=referral.young_person) or ["21"]
    decision = rng.choice(["cin", "cin", "strategy", "early_help", "nfa"])
    outcome = (
        referral.nature_of_harm if referral.nature_of_harm != "not_known" else "intra_familial"
    )
    conclusion = rng.choice(CONCLUSIONS)
    if decision == "nfa" and not extra_familial:
        # A concern not borne out: the census expects "No factors identified" (21) alone.
        outcome, codes, conclusion = "none", ["21"], NO_HARM_CONCLUSION
    assessment = assessment_services.assessment_complete(
        actor=worker,
        assessment=assessment,
        completed_on=completed_on,
        conclusion=conclusion,
        outcome_nature=outcome,
        decision=decision,
        cin_factor_codes=codes,
    )
    authorised_on = completed_on + timedelta(days=rng.randint(1, 7))
    if authorised_on > today or rng.random() < 0.1:
        return  # awaiting authorisation
    assessment = assessment_services.assessment_authorise(
        actor=manager,
        assessment=assessment,
        authorised_on=authorised_on,
        # Chosen by the row, not the random generator, so the rest of the demo is unchanged.
        reason=AUTHORISATION_REASONS[assessment.pk % len(AUTHORISATION_REASONS)],
    )
    if assessment.pk % 3 == 0:
        decision_text, reasons = OVERSIGHT[assessment.pk % len(OVERSIGHT)]
        oversight_services.oversight_note_record(
            actor=manager,
            young_person=referral.young_person,
            recorded_on=authorised_on,
            decision=decision_text,
            reasons=reasons,
            next_review_on=authorised_on + timedelta(days=90),
        )
    if decision not in {"cin", "strategy"}:
        return
    start_date = authorised_on + timedelta(days=rng.randint(1, 10))
    if start_date > today:
        return
    plan = plan_services.plan_create(
        actor=worker,
        young_person=referral.young_person,
        kind="cp" if decision == "strategy" else "cin",
        start_date=start_date,
        review_date=start_date + timedelta(days=90),
        summary="Keep the young person safe in the places and relationships where harm happens.",
    )
    plan_services.plan_action_add(
        actor=worker,
        plan=plan,
        description="Weekly direct work on safety and relationships.",
        owner="Allocated social worker",
        due_date=start_date + timedelta(days=60),
    )
    actions = []
    for factor in factors:
        if rng.random() < 0.75:
            text, partner = CONTEXTUAL_ACTIONS[factor.domain]
            actions.append(
                plan_services.plan_action_add(
                    actor=worker,
                    plan=plan,
                    description=text,
                    owner="Partner lead named at the strategy meeting",
                    due_date=start_date + timedelta(days=rng.randint(14, 120)),
                    is_contextual=True,
                    target_context_kind=factor.domain,
                    partner_agency=partner,
                    factor=factor,
                )
            )
        else:
            plan_services.plan_factor_not_addressed(
                actor=worker, plan=plan, factor=factor, reason=rng.choice(GAP_REASONS)
            )
    plan = _plan_into_force(plan, worker=worker, manager=manager, today=today)
    if plan.status != "active":
        return  # awaiting sign-off, or returned for more work: nothing proceeds under it yet
    for action in actions:
        roll = rng.random()
        if roll < 0.4 and action.due_date <= today:
            plan_services.plan_action_update_progress(
                actor=worker, action=action, progress="done", completed_on=action.due_date
            )
        elif roll < 0.7:
            plan_services.plan_action_update_progress(
                actor=worker, action=action, progress="in_progress", note="Started."
            )
    reviewed_on = start_date + timedelta(days=90)
    while reviewed_on <= today - timedelta(days=1) and rng.random() < 0.85:
        plan_services.plan_review(
            actor=manager,
            plan=plan,
            reviewed_on=reviewed_on,
            next_review_date=reviewed_on + timedelta(days=90),
            summary="Reviewed at the child in need meeting; the plan continues.",
        )
        reviewed_on += timedelta(days=90)
    if reviewed_on < today - timedelta(days=200) and rng.random() < 0.5:
        plan_services.plan_end(
            actor=manager,
            plan=plan,
            ended_on=reviewed_on,
            reason="Safety increased: stepped down to early help.",
        )
    if extra_familial and rng.random() < 0.15:
        span = max((today - start_date).days, 0)
        relocation_services.relocation_record(
            actor=worker,
            young_person=referral.young_person,
            moved_on=start_date + timedelta(days=rng.randint(0, span)),
            kind=rng.choice(["out_of_area", "out_of_area", "within_area", "secure", "other"]),
            destination=rng.choice(["Westmoor Council", "South of the borough", "Eastfield"]),
            reason="Moved away from the group and the places where harm was happening.",
            because_of_extra_familial_harm=rng.random() < 0.85,
            plan=plan,
            plan_addresses_factors=rng.choice(["yes", "yes", "partly", "no"]),
        )
