"""Rules every context service shares."""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction
from django.db.models import Q

from cases.models import YoungPerson
from cases.services.young_people import require_version
from csafe.core.errors import ApplicationError

from ..models import Context

# One message, whoever the name belongs to: it names no one and says nothing of links, so a
# refusal tells the writer nothing they did not type (the guard checks every young person's
# name, linked to this context or not, so probing a name learns nothing about who is linked).
THEMATIC_MESSAGE = (
    "Context records are thematic: they describe the group, place or setting, not the children "
    "in it, because everyone working on the context can read them. This text contains the full "
    "name of a young person. Describe what you saw without naming anyone; write about a young "
    "person on their own record."
)
CONFLICT_MESSAGE = (
    "Someone else changed this context after you opened it. Your changes have not been "
    "saved: check the context as it is now and make them again."
)

# The words of a text looked up as surnames, in one query: at most this many distinct words,
# those written with a capital first (names usually are), then the longest.
MAX_SURNAME_WORDS = 200


def lock_context(context: Context) -> Context:
    return Context.objects.select_for_update().get(pk=context.pk)


def check_version(context: Context, expected_version: int | None) -> None:
    require_version(context, expected_version, CONFLICT_MESSAGE)


def _fold(text: str) -> str:
    """Lower case without accents, as contexts.naming.normalise folds them ("Zoë" is "zoe"), but
    keeping letters of every script."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _words(text: str) -> str:
    # Apostrophes split words, so "Dilly Wrackenbury's mentor" still contains the full name;
    # hyphens do not, so a double-barrelled surname stays whole.
    return " ".join(re.findall(r"[\w-]+", _fold(text)))


def _surname_candidates(texts: list[str]) -> list[str]:
    """The words of ``texts`` that may be a surname, as typed and folded: split at apostrophes
    ("Wrackenbury's") and kept whole ("O'Brien"). Capitalised words first, then longer ones,
    at most MAX_SURNAME_WORDS."""
    ranked: dict[str, tuple[bool, int]] = {}
    for text in texts:
        for token in re.findall(r"[\w'’-]+", text):
            # Whole with either apostrophe (a record may have "O'Dowd", the text "O’Dowd"),
            # and split at it.
            whole = {token.replace("’", "'"), token.replace("'", "’")}
            pieces = {*whole, *re.split(r"['’]", token)}
            for piece in pieces:
                piece = piece.strip("'’-")
                if len(piece) < 2:
                    continue
                key = (piece[:1].isupper(), len(piece))
                for word in {piece.lower(), _fold(piece)}:
                    ranked[word] = max(ranked.get(word, key), key)
    ordered = sorted(ranked, key=lambda w: (not ranked[w][0], -ranked[w][1], w))
    return ordered[:MAX_SURNAME_WORDS]


def _full_names(texts: list[str]) -> set[str]:
    """The full names (first or preferred name with last name), as folded words, of every young
    person whose last name is among the words of ``texts``: one query."""
    words = _surname_candidates(texts)
    if not words:
        return set()
    query = Q()
    for word in words:
        # A surname of several words ("Van Der Berg") is found by its last word.
        query |= Q(last_name__iexact=word) | Q(last_name__iendswith=f" {word}")
    rows = YoungPerson.objects.filter(query).values_list(
        "first_name", "preferred_name", "last_name"
    )
    names = set()
    for first_name, preferred_name, last_name in rows:
        for first in filter(None, (first_name, preferred_name)):
            names.add(_words(f"{first} {last_name}"))
    return names


def text_contains_name(text: str, full_name: str) -> bool:
    """Whether ``text`` contains ``full_name`` as whole words, accents, case and apostrophes
    aside."""
    needle = _words(full_name)
    return bool(needle) and f" {needle} " in f" {_words(text or '')} "


def refuse_young_people_names(**texts: str) -> None:
    """The thematic-text guard: refuse text that contains the full name (first or preferred name
    with last name) of any young person, linked to the context or not, with one message that
    names no one (THEMATIC_MESSAGE) against the field."""
    present = {field: text for field, text in texts.items() if text and text.strip()}
    if not present:
        return
    names = _full_names(list(present.values()))
    if not names:
        return
    for field, text in present.items():
        haystack = f" {_words(text)} "
        for needle in names:
            if needle and f" {needle} " in haystack:
                raise ApplicationError(THEMATIC_MESSAGE, field=field)


def notify_linked_practitioners(
    *, context: Context, change: str, actor, recipient_ids: list[int] | None = None
) -> None:
    """After commit, tell the practitioners of linked young people what changed (in the app and
    by e-mail). The notification names the context and the change, never a child. The caller
    must have raised ``context.version`` for this change: the version keys the notifications,
    so each change is told once. A change that itself ends links (closing with "end every link")
    passes ``recipient_ids`` read before the links ended, or nobody would be told."""
    from ..tasks import context_notify_change

    actor_id = getattr(actor, "pk", None)
    version = context.version
    transaction.on_commit(
        lambda: context_notify_change.delay(context.pk, change, actor_id, version, recipient_ids)
    )
