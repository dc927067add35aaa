"""The recogniser measured against the corpora: what must be refused, and what must not be.

``corpus_identities`` holds invented children and every rendering of them the spec names;
``corpus_thematic`` holds thematic sentences of context work, none naming a child. No test here
touches the database (none is marked ``django_db``, so pytest-django would fail any query): the
recogniser is pure, and its generic answers must not depend on what a database knows.

Run with ``pytest -s`` to see the figures.
"""

from __future__ import annotations

import dataclasses

import pytest

from cases.identity import FindingKind, find_identity
from tests.identity.corpus_identities import (
    ALL_RENDERINGS,
    CHILDREN,
    RECORD_LINK_LABELS,
    as_identity,
    known_only_renderings,
    renderings,
)
from tests.identity.corpus_thematic import STAFF, STAFF_SENTENCES, THEMATIC_SENTENCES

STAFF_PAIRS = frozenset(STAFF)
MAX_FALSE_REFUSAL_RATE = 0.02


def _summary(finding):
    """What a caller can observe of a finding, for comparing answers."""
    if finding is None:
        return None
    if dataclasses.is_dataclass(finding):
        return dataclasses.asdict(finding)
    return (finding.kind, finding.known)


def _child_id(child) -> str:
    return child.full_name


# --- Sizes -------------------------------------------------------------------------------------


def test_the_corpora_are_as_large_as_the_spec_asks():
    assert len(CHILDREN) >= 25
    assert len(ALL_RENDERINGS) >= 300
    assert len(THEMATIC_SENTENCES) >= 320
    assert len(STAFF) == 8
    assert set(STAFF_SENTENCES) <= set(THEMATIC_SENTENCES)


# --- Generic rules: every rendering is refused -------------------------------------------------


# The share of renderings of invented children that the generic rules alone refuse, as
# measured when the rules were written (1,384 of 1,392): a change that lowers it fails here.
GENERIC_FLOOR = 0.99


def test_renderings_are_refused_by_the_generic_rules_alone():
    missed = [
        (label, sentence) for label, sentence in ALL_RENDERINGS if find_identity(sentence) is None
    ]
    refused = len(ALL_RENDERINGS) - len(missed)
    print(f"\nrenderings refused by the generic rules: {refused} of {len(ALL_RENDERINGS)}")
    for label, sentence in missed:
        print(f"  got through: {label}: {sentence[-120:]!r}")
    # The generic rules cannot know every name: a given name neither Faker's lists nor
    # English has, written so that no other rule sees it, gets through. What gets through is
    # printed above and reported; the known-identity tests below refuse every one of them.
    assert refused / len(ALL_RENDERINGS) >= GENERIC_FLOOR, f"{len(missed)} got through:\n" + (
        "\n".join(label for label, _ in missed)
    )


def test_generic_findings_are_not_marked_known():
    wrongly_known = [
        label
        for label, sentence in ALL_RENDERINGS
        if (finding := find_identity(sentence)) is not None and finding.known
    ]
    assert not wrongly_known, wrongly_known


@pytest.mark.parametrize(
    ("suffix", "kind"),
    [
        ("record link, relative", FindingKind.RECORD_LINK),
        ("record link, absolute", FindingKind.RECORD_LINK),
        ("record link, API", FindingKind.RECORD_LINK),
        ("born dd/mm/yyyy", FindingKind.DATE_OF_BIRTH),
        ("DOB d.m.yy", FindingKind.DATE_OF_BIRTH),
        ("d.o.b. d Month yyyy", FindingKind.DATE_OF_BIRTH),
        ("date of birth: ISO", FindingKind.DATE_OF_BIRTH),
        ("local identifier", FindingKind.IDENTIFIER),
        ("NHS number", FindingKind.IDENTIFIER),
        ("First Last", FindingKind.NAME),
    ],
)
def test_findings_say_what_was_found(suffix, kind):
    wrong = []
    for label, sentence in ALL_RENDERINGS:
        if label.endswith(f"/ {suffix}"):
            finding = find_identity(sentence)
            if finding is not None and finding.kind != kind:
                wrong.append(f"{label}: {finding.kind}")
    assert not wrong, wrong


# --- Generic rules: thematic text is not refused ----------------------------------------------


def test_the_false_refusal_rate_over_thematic_sentences_is_at_most_two_percent():
    refused = [
        (sentence, finding)
        for sentence in THEMATIC_SENTENCES
        if (finding := find_identity(sentence, staff=STAFF_PAIRS)) is not None
    ]
    total = len(THEMATIC_SENTENCES)
    rate = len(refused) / total
    print(f"\nthematic sentences refused: {len(refused)} of {total}, rate {rate:.2%}")
    for sentence, finding in refused:
        print(f"  refused ({finding.kind}): {sentence!r}")
    assert rate <= MAX_FALSE_REFUSAL_RATE, (
        f"false refusal rate {rate:.2%} ({len(refused)}/{total}) exceeds "
        f"{MAX_FALSE_REFUSAL_RATE:.0%}:\n" + "\n".join(s for s, _ in refused)
    )


def test_sentences_naming_staff_are_allowed_when_staff_is_given():
    refused = [s for s in STAFF_SENTENCES if find_identity(s, staff=STAFF_PAIRS) is not None]
    assert not refused, refused


def test_the_staff_allowance_does_something():
    """Without ``staff`` a staff member's name reads as a person's name, and is refused."""
    refused_without = [s for s in STAFF_SENTENCES if find_identity(s) is not None]
    print(
        f"\nstaff sentences refused without staff: {len(refused_without)} of {len(STAFF_SENTENCES)}"
    )
    assert refused_without, "no staff sentence is refused without staff: the allowance is untested"


def test_the_staff_allowance_is_for_those_staff_only():
    """A child who shares only a staff member's first name, or surname, is still refused."""
    sentences = [
        "Priya Wrackenbury was seen with the group in Victoria Park on Friday evening.",
        "Tyler Osei was seen with the group in Victoria Park on Friday evening.",
        "Daniel Raman was seen with the group in Victoria Park on Friday evening.",
    ]
    through = [s for s in sentences if find_identity(s, staff=STAFF_PAIRS) is None]
    assert not through, through


# --- Known identities ------------------------------------------------------------------------


@pytest.mark.parametrize("child", CHILDREN, ids=_child_id)
def test_every_rendering_of_a_known_child_is_refused_by_known_matching_alone(child):
    """With the child known and generic rules off, every rendering is refused, as known.

    Record links are left out: ``Identity`` carries no record key, so nothing known connects
    ``/young-people/4217/`` to the child; links are the generic rule's to refuse.
    """
    known = [as_identity(child)]
    problems = []
    for label, sentence in renderings(child):
        if label in RECORD_LINK_LABELS:
            continue
        finding = find_identity(sentence, known=known, generic=False)
        if finding is None:
            problems.append(f"got through: {label}: {sentence[-100:]!r}")
        elif not finding.known:
            problems.append(f"not marked known: {label}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("child", CHILDREN, ids=_child_id)
def test_forms_only_a_known_identity_can_catch_are_refused(child):
    known = [as_identity(child)]
    through = [
        f"{label}: {sentence!r}"
        for label, sentence in known_only_renderings(child)
        if find_identity(sentence, known=known, generic=False) is None
    ]
    assert not through, "\n".join(through)


@pytest.mark.parametrize("index", range(len(CHILDREN)), ids=lambda i: CHILDREN[i].full_name)
def test_known_matching_is_specific_to_the_child(index):
    """The renderings of other children are not refused for this child's identity."""
    child = CHILDREN[index]
    others = [
        CHILDREN[(index + 1) % len(CHILDREN)],
        CHILDREN[(index + len(CHILDREN) // 2) % len(CHILDREN)],
    ]
    known = [as_identity(child)]
    wrongly = [
        f"{other.full_name} / {label}: {sentence[-100:]!r}"
        for other in others
        for label, sentence in [*renderings(other), *known_only_renderings(other)]
        if find_identity(sentence, known=known, generic=False) is not None
    ]
    assert not wrongly, "\n".join(wrongly)


def test_thematic_sentences_are_not_refused_by_known_matching():
    known = [as_identity(child) for child in CHILDREN]
    refused = [
        s for s in THEMATIC_SENTENCES if find_identity(s, known=known, generic=False) is not None
    ]
    assert not refused, refused


# --- No oracle ------------------------------------------------------------------------------


NO_ORACLE_CHILDREN = [CHILDREN[0], CHILDREN[5], CHILDREN[12], CHILDREN[19], CHILDREN[26]]


@pytest.mark.parametrize("child", NO_ORACLE_CHILDREN, ids=_child_id)
def test_generic_answers_do_not_depend_on_what_else_is_known(child):
    """Knowing other children changes nothing in the generic answer about this one.

    If passing other identities changed the answer, the answer would tell its reader something
    about who is on the database (an oracle).
    """
    others = [as_identity(c) for c in CHILDREN if c is not child]
    sentences = [s for _, s in renderings(child)] + [s for _, s in known_only_renderings(child)]
    sentences += THEMATIC_SENTENCES[::10]
    differ = []
    for sentence in sentences:
        alone = _summary(find_identity(sentence))
        for known in (others, others[:1], others[::-1]):
            with_others = _summary(find_identity(sentence, known=known))
            if with_others != alone:
                differ.append(f"{sentence[-100:]!r}: {alone} alone, {with_others} with others")
                break
    assert not differ, "\n".join(differ)


def test_generic_answers_are_the_same_with_no_known_set_and_an_empty_one():
    sentences = [s for _, s in ALL_RENDERINGS[::7]] + THEMATIC_SENTENCES
    differ = [
        s
        for s in sentences
        if _summary(find_identity(s)) != _summary(find_identity(s, known=[]))
        or _summary(find_identity(s)) != _summary(find_identity(s, known=iter(())))
    ]
    assert not differ, differ
