"""Template helpers for the young person's side of links: how a context's kind is shown (with the
council's word for a peer group) and a dictionary lookup for the caseload's context names.
Context-facing templates load ``context_professionals`` instead, never this library."""

from __future__ import annotations

from django import template

from ..linking.selectors import kind_label, peer_group_word

register = template.Library()

_WORD = "contexts_peer_group_word"


@register.simple_tag(takes_context=True)
def context_kind(context, kind: str) -> str:
    """The kind as shown, reading the word for a peer group at most once per template render
    (and only when a peer group is shown)."""
    if kind == "peer_group":
        cache = context.render_context
        if _WORD not in cache:
            cache[_WORD] = peer_group_word()
        return cache[_WORD]
    return kind_label(kind, "")


@register.filter
def names_of(names: dict, pk) -> list:
    """``context_names|names_of:yp.pk``: the context names for one caseload row."""
    if not isinstance(names, dict):
        return []
    return names.get(pk, [])


@register.filter
def current_links(links) -> list:
    """The active links among ``links`` (a young person's, already read)."""
    return [link for link in links if link.ended_at is None]


@register.filter
def ended_links(links) -> list:
    return [link for link in links if link.ended_at is not None]


@register.filter
def places_from(referrals) -> list:
    """Every location of harm of the record page's referrals (prefetched there), oldest referral
    first within the page's order."""
    return [place for referral in referrals or () for place in referral.locations.all()]
