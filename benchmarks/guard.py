"""The privacy guard on context text (contexts.guard.refuse_identities) on a 10,000-character
note, as a context write service calls it: three queries (the writer's recent refusals, the young
people the writer can open, the names of staff) and then cases.identity.find_identity over the
text with every one of those young people.

The note is thematic and names no one, so nothing stops the check early: every known young
person is compared with the whole text and every generic rule reads all of it. It is timed for
the median-caseload practitioner, the manager of the largest team (whose visible young people are
the team's) and a service manager; and once more for the practitioner with the last of their
young people (in the order the guard reads them) named at the very end, the slowest refusal of
someone they can see.

``refuse_identities`` writes nothing itself (the refusal's audit event is written by the
service's ``thematic_write``); every call here runs inside a transaction that is rolled back all
the same, and the run stops if the audit log has changed.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction

from cases.identity import FindingKind, find_identity, identities_visible_to, staff_names
from contexts.guard import IdentityCheckThrottled, IdentityRefused, refuse_identities
from contexts.models import Context
from csafe.accounts.models import User
from csafe.audit.models import Event
from tests.identity.corpus_thematic import STAFF_SENTENCES, THEMATIC_SENTENCES

from .subjects import Subjects
from .timing import BenchmarkError, QueryProbe, replay, summary, time_calls

NOTE_LENGTH = 10_000
# The guard's target (docs/benchmarks.md): well under this for a note of NOTE_LENGTH.
TARGET_MS = 100
SENTENCES_PER_PARAGRAPH = 5
_SAVEPOINT = re.compile(r"\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)
FIELD = "note"
# Where the refused note names someone: the last sentence, after everything else was read.
REFUSED_SENTENCE = " Seen at the station with the group on Friday: {first} {last}."


def thematic_note(length: int = NOTE_LENGTH) -> str:
    """Exactly ``length`` characters of context-meeting prose that names no child and no member
    of staff: the thematic corpus in its own order (peer groups, guardianship, schools, places,
    transport, shops, online spaces, plans, closure, notes) without its sentences naming staff,
    in paragraphs of a few sentences, again from the start if it runs out, cut at ``length``."""
    staff = set(STAFF_SENTENCES)
    sentences = [s for s in THEMATIC_SENTENCES if s not in staff]
    paragraphs = [
        " ".join(sentences[start : start + SENTENCES_PER_PARAGRAPH])
        for start in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)
    ]
    text = ""
    while len(text) < length:
        text += ("\n\n" if text else "") + "\n\n".join(paragraphs)
    return text[:length]


def refused_note(actor: User, length: int = NOTE_LENGTH) -> str:
    """The thematic note of ``length`` characters ending with the full name of the last young
    person ``actor`` can open, in the order the guard compares them."""
    known = [i for i in identities_visible_to(actor) if i.first_name and i.last_name]
    if not known:
        raise BenchmarkError(f"User #{actor.pk} can open no young person with a name to refuse")
    last = known[-1]
    tail = REFUSED_SENTENCE.format(first=last.first_name, last=last.last_name)
    return thematic_note(length - len(tail)) + tail


def _check(actor: User, context: Context, note: str) -> FindingKind | None:
    """One guarded write's check, rolled back: the kind refused, or None when it passed."""
    with transaction.atomic():
        try:
            refuse_identities(actor=actor, context=context, **{FIELD: note})
        except IdentityRefused as refusal:
            return refusal.errors[FIELD]
        except IdentityCheckThrottled as exc:
            raise BenchmarkError(
                f"User #{actor.pk} is throttled by the guard (recent refusals in the audit log): "
                "the check would not run"
            ) from exc
        finally:
            transaction.set_rollback(True)
    return None


def _recogniser_only(actor: User, note: str):
    """find_identity alone, with what the three queries returned already in hand."""
    known = identities_visible_to(actor)
    staff = staff_names()
    patterns = settings.CSAFE_IDENTIFIER_PATTERNS
    return lambda: find_identity(note, known=known, staff=staff, identifier_patterns=patterns)


def bench_case(
    key: str,
    actor: User,
    context: Context,
    note: str,
    *,
    expect: FindingKind | None,
    repeat: int,
    warmup: int,
) -> dict:
    outcome = _check(actor, context, note)
    if outcome != expect:
        found = "passed" if outcome is None else f"was refused ({outcome})"
        wanted = "pass" if expect is None else f"be refused ({expect})"
        raise BenchmarkError(f"guard {key}: the note {found}; it should {wanted}")
    for _ in range(warmup):
        _check(actor, context, note)
    timed = summary(time_calls(lambda: _check(actor, context, note), repeat=repeat))
    # One more check, untimed, for its queries.
    with QueryProbe() as probe:
        _check(actor, context, note)
    # The guard's own statements: not the savepoint of the transaction each check runs in
    # (there is one when the benchmark itself runs inside a transaction, as in the tests).
    executed = [q for q in probe.executed if not _SAVEPOINT.match(q.sql)]
    raw = summary(time_calls(lambda: replay(executed), repeat=repeat))
    recognise = _recogniser_only(actor, note)
    for _ in range(warmup):
        recognise()
    recogniser = summary(time_calls(recognise, repeat=repeat))
    return {
        "key": key,
        "actor_id": actor.pk,
        "note_chars": len(note),
        "young_people": len(identities_visible_to(actor)),
        "outcome": "passed" if outcome is None else f"refused ({outcome})",
        **timed,
        "raw_sql_median_ms": raw["median_ms"],
        "recogniser_median_ms": recogniser["median_ms"],
        # CaptureQueriesContext would also count the BEGIN and ROLLBACK around each check.
        "queries": len(executed),
        "max_rows": probe.max_rows,
        "target_ms": TARGET_MS,
    }


def bench_guard(subjects: Subjects, *, repeat: int, warmup: int) -> list[dict]:
    """The guard for each reader, then the refusal; each a dict like a measure's."""
    context = Context.objects.get(pk=subjects.context_id)
    practitioner = User.objects.get(pk=subjects.practitioner_id)
    team_manager = User.objects.get(pk=subjects.team_manager_id)
    service_manager = User.objects.get(pk=subjects.service_manager_id)
    note = thematic_note()
    refused = refused_note(practitioner)
    events_before = Event.objects.count()
    cases = [
        ("practitioner", practitioner, note, None),
        ("team_manager", team_manager, note, None),
        ("service_manager", service_manager, note, None),
        ("refused_practitioner", practitioner, refused, FindingKind.NAME),
    ]
    results = [
        bench_case(key, actor, context, text, expect=expect, repeat=repeat, warmup=warmup)
        for key, actor, text, expect in cases
    ]
    if Event.objects.count() != events_before:
        raise BenchmarkError("The guard benchmark changed the audit log: its figures are not clean")
    return results
