"""Property tests: generated renderings of invented names are refused, generated thematic text
is not.

Names are drawn from the invented children of ``corpus_identities``; benign text is assembled
from thematic fragments and the corpus's place names that hold no person's name (many hold a
given name or a surname: Victoria Park, Jordan Road, Harris Academy).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.identity import Identity, find_identity
from tests.identity.corpus_identities import CHILDREN, LRM, RLM, SOFT_HYPHEN, ZWSP
from tests.identity.corpus_thematic import PLACES_WITHOUT_PERSON_NAMES

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GIVEN_NAMES = sorted({c.first_name for c in CHILDREN})
SURNAMES = sorted({c.last_name for c in CHILDREN})
INVISIBLE = [ZWSP, SOFT_HYPHEN, LRM, RLM]

NAME_TEMPLATES = [
    "{n} was seen with the group in Victoria Park on Friday evening.",
    "The PCSO recognised {n} at the Abbey Road bus stop.",
    "Young people present: {n}, and three others.",
    "Messages were sent to younger girls from the account {n}.",
    "{n}",
    "Seen in the Kingsley Court stairwell after 9pm: {n}.",
    "the caretaker said {n} was there again",
]


def _case(text: str, case: str) -> str:
    return {"as written": text, "lower": text.lower(), "upper": text.upper()}[case]


@st.composite
def name_renderings(draw) -> str:
    first = draw(st.sampled_from(GIVEN_NAMES))
    last = draw(st.sampled_from(SURNAMES))
    last_first = draw(st.booleans())
    separator = draw(st.sampled_from([" ", "  ", "-", "_", ".", "\n", ", ", ""]))
    if separator == ", ":
        last_first = True  # "Last, First"; "First, Last" reads as two people
    case = draw(st.sampled_from(["as written", "lower", "upper"]))
    prefix = draw(st.sampled_from(["", "", "#", "@"])) if separator in "_.-" else ""
    parts = [last, first] if last_first else [first, last]
    if separator in ("_", ".", "-", ""):
        # Handles: the words of a multi-word surname take the handle's separator too.
        parts = [p.replace(" ", separator) for p in parts]
    if separator == "":
        parts = [p[0].upper() + p[1:] for p in parts]  # #TylerWrackenbury, #DillyVanDerMeer
    text = _case(separator.join(parts), case)
    # Invisible characters inside the name (never at either end).
    count = draw(st.integers(min_value=0, max_value=3))
    for _ in range(count):
        at = draw(st.integers(min_value=1, max_value=len(text) - 1))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    template = draw(st.sampled_from(NAME_TEMPLATES))
    return template.format(n=prefix + text), Identity(first_name=first, last_name=last)


@SETTINGS
@given(name_renderings())
def test_generated_name_renderings_are_always_refused_when_the_child_is_known(rendering):
    """The guard as a writer who can see the child meets it (or as the link check does): every
    rendering is refused. The generic rules alone miss some renderings of names neither list
    has; tests/identity/test_corpora.py measures how many."""
    sentence, child = rendering
    finding = find_identity(sentence, known=[child])
    assert finding is not None and finding.known, sentence


OPENERS = [
    "Young people were seen gathering",
    "The PCSO reported a group of around ten young people",
    "Detached youth workers will visit",
    "Older males in cars have been seen",
    "Residents raised concerns about noise",
    "The group was moved on by security",
    "Parents asked for better lighting",
    "Girls reported being followed",
    "Drugs paraphernalia was found",
    "The youth service will run a session",
    "Staff at the chicken shop noticed adults buying food for children",
    "Two boys were robbed of their phones",
]
LINKS = ["in", "near", "outside", "at", "behind", "on the way to", "between the bus stop and"]
TIMES = [
    "",
    " after 9pm",
    " on Friday evenings",
    " from 3 March",
    " on 14/03/2026 at 9pm",
    " in May",
    " by June",
    " most weekends",
    " during the school holidays",
    " between 7pm and 9pm",
]
TAILS = [
    "",
    ", according to the head of year",
    " (children aged 13 to 15)",
    ", which the DSL will follow up",
    "; the PCSO will increase patrols",
    ", near the 38 bus stop",
    " (NB4 7TQ)",
]


@st.composite
def thematic_sentences(draw) -> str:
    sentences = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        sentences.append(
            f"{draw(st.sampled_from(OPENERS))} {draw(st.sampled_from(LINKS))} "
            f"{draw(st.sampled_from(PLACES_WITHOUT_PERSON_NAMES))}"
            f"{draw(st.sampled_from(TIMES))}{draw(st.sampled_from(TAILS))}."
        )
    return " ".join(sentences)


@SETTINGS
@given(thematic_sentences())
def test_generated_thematic_text_is_not_refused(sentence):
    assert find_identity(sentence) is None, sentence
