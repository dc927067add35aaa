"""Words several domain apps share, so that none of them imports another only for a word.

The kinds of context csafe works with are named by the young person's pathway (contextual
factors and actions name a kind before a context record exists) and by context records
themselves. The four named contexts follow Working Together to Safeguard Children 2023 (school
and other educational settings, peer groups, community and public spaces, online).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models


class ContextKind(models.TextChoices):
    PEER_GROUP = "peer_group", "Peer group"
    SCHOOL = "school", "School or education setting"
    LOCATION = "location", "Neighbourhood or location"
    ONLINE = "online", "Online space"
    OTHER = "other", "Other"


# The council's word for a peer group is configured on context records (contexts), which the
# pathway below it may not import: contexts registers its reader here from its ``ready()``.
_peer_group_word_reader: Callable[[], str] | None = None


def register_peer_group_word(reader: Callable[[], str]) -> None:
    """Called once by the contexts app with the reader of the configured word."""
    global _peer_group_word_reader
    _peer_group_word_reader = reader


def peer_group_word() -> str:
    """The word shown for a peer group ("Group", "Network"...); "Peer group" until contexts has
    registered its reader."""
    if _peer_group_word_reader is None:
        return ContextKind.PEER_GROUP.label
    return _peer_group_word_reader()


def context_kind_label(kind: str, word: str | None = None) -> str:
    """A kind of context as shown: a peer group in the configured word (``word`` when the
    caller has already read it)."""
    if kind == ContextKind.PEER_GROUP:
        return word if word is not None else peer_group_word()
    try:
        return ContextKind(kind).label
    except ValueError:
        return kind


def context_kind_choices() -> list[tuple[str, str]]:
    """(value, label) for every kind, the peer group in the configured word: one read of it.
    Call per form, never at import."""
    word = peer_group_word()
    return [(value, context_kind_label(value, word)) for value in ContextKind.values]


def context_kind_label_for(holder: object, kind: str) -> str:
    """``context_kind_label`` reading the word at most once per ``holder`` (a serializer's root,
    a list being built), so a list of many rows costs one read, and none without a peer group."""
    if kind != ContextKind.PEER_GROUP:
        return context_kind_label(kind, "")
    word = getattr(holder, "_csafe_peer_group_word", None)
    if word is None:
        word = peer_group_word()
        holder._csafe_peer_group_word = word
    return word
