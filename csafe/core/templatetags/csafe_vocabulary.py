"""Shared words in templates: ``{% load csafe_vocabulary %}``, then ``{% kind_word kind %}`` for a
kind of context with the peer group in the administrator's word (read at most once per render,
and only when a peer group is shown)."""

from __future__ import annotations

from django import template

from ..vocabulary import ContextKind, context_kind_label, peer_group_word

register = template.Library()

_WORD = "csafe_peer_group_word"


@register.simple_tag(takes_context=True)
def kind_word(context, kind: str) -> str:
    if kind == ContextKind.PEER_GROUP:
        cache = context.render_context
        if _WORD not in cache:
            cache[_WORD] = peer_group_word()
        return cache[_WORD]
    return context_kind_label(kind, "")
