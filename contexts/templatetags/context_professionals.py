"""Template helpers for the context page's professionals partial: professional-level rows and
counts only, from contexts.linked_professionals (the one context-facing module that reads links)."""

from __future__ import annotations

from django import template

from ..linked_professionals import context_link_counts, context_professionals

register = template.Library()


@register.simple_tag
def professionals_for(context_record):
    """Professional-level rows for a context (no young person in them), for pages whose view did
    not pass ``professionals``."""
    return context_professionals(context=context_record)


@register.simple_tag
def link_counts_for(context_record):
    """How many young people are linked now and ever: counts only."""
    return context_link_counts(context=context_record)
