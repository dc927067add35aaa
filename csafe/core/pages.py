"""Rendering a page that may carry a refused form, for every app."""

from __future__ import annotations

from django.shortcuts import render


def render_page(request, template: str, context: dict, *, section: str, status: int | None = None):
    """Render ``template`` under ``section`` of the service navigation. Unless ``status`` says
    otherwise it is 400 when the page's ``errors`` (several forms) or ``form`` has errors, so a
    refused submission is never answered as a success, and 200 otherwise."""
    if status is None:
        form = context.get("errors") or context.get("form")
        status = 400 if form is not None and form.errors else 200
    return render(request, template, {"active_section": section, **context}, status=status)
