"""Pages on the young person's side of a link: linking them to a context, ending the link, and
tying a place where harm happened (from a referral) to a location context.

These are pages of the young person's record, reached from it: each fetches the young person
first through ``cases.access.young_person_for_request`` with ``change`` (404 otherwise, logged
as a view), then the link or location constrained to that young person, so an id from another
record is 404 too. The services check the permission again, so the API refuses alike.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cases import permissions as case_permissions
from cases.access import young_person_for_request
from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted
from csafe.core.vocabulary import ContextKind

from ..selectors.core import peer_group_word
from . import selectors
from .forms import ContextSearchForm, EndLinkForm, LinkForm, LocationLinkForm
from .services import (
    context_link_end,
    context_link_young_person,
    location_of_harm_link_context,
)

PER_PAGE = 20


def _search_page(request, contexts):
    page = Paginator(contexts, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@require_http_methods(["GET", "POST"])
def link_new(request, young_person_pk: int):
    """Choose an open context (search, GET), then say why the young person is linked (POST)."""
    young_person = young_person_for_request(request, young_person_pk, case_permissions.CHANGE)
    word = peer_group_word()
    if request.method == "POST":
        form = LinkForm(request.POST)
        if form.is_valid():
            try:
                link = context_link_young_person(
                    actor=request.user,
                    context=form.cleaned_data["context"],
                    young_person=young_person,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Linked to {link.context.name}")
                return redirect("cases:detail", pk=young_person.pk)
        # Back to the search when the context was the problem (closed, already linked).
        chosen = form.cleaned_data.get("context")
    else:
        chosen = selectors.context_for_link(pk=request.GET.get("context"))
        form = LinkForm(initial={"context": chosen.pk} if chosen else None)
    search = ContextSearchForm(request.GET, peer_group_word=word)
    page, query = None, ""
    if chosen is None:
        text, kind = search.search()
        contexts = selectors.open_contexts_to_link(
            search=text, kind=kind, exclude_linked_for=young_person
        )
        page, query = _search_page(request, contexts)
    return render(
        request,
        "contexts/links/link_new.html",
        {
            "young_person": young_person,
            "form": form,
            "search": search,
            "chosen": chosen,
            "page": page,
            "query": query,
            "active_section": "caseload",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def link_end(request, young_person_pk: int, pk: int):
    young_person = young_person_for_request(request, young_person_pk, case_permissions.CHANGE)
    link = selectors.link_get_for_young_person(young_person=young_person, pk=pk)
    form = EndLinkForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            context_link_end(actor=request.user, link=link, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The link to {link.context.name} has ended")
            return redirect("cases:detail", pk=young_person.pk)
    return render(
        request,
        "contexts/links/link_end.html",
        {
            "young_person": young_person,
            "link": link,
            "form": form,
            "active_section": "caseload",
        },
        status=400 if form.errors else 200,
    )


def _open_new_location_context_url(location) -> str:
    """The new-context page, filled in from this place: its kind, type of location and postcode
    only. Not the place's name: it was written on a young person's referral and may name them
    (or say whose home it is), and a context's details are read by everyone working on it, so
    what the context is called is typed afresh."""
    query = {"kind": ContextKind.LOCATION.value, "location_type": location.location_type_id}
    if location.postcode:
        query["postcode"] = location.postcode
    return f"{reverse('contexts:new')}?{urlencode(query)}"


@require_http_methods(["GET", "POST"])
def location_link(request, young_person_pk: int, pk: int):
    """Choose an open location context for a place where harm happened, or open a new one."""
    young_person = young_person_for_request(request, young_person_pk, case_permissions.CHANGE)
    location = selectors.location_of_harm_get_for_young_person(young_person=young_person, pk=pk)
    form = LocationLinkForm(posted(request))
    if request.method == "POST" and form.is_valid():
        context = form.cleaned_data["context"]
        try:
            location_of_harm_link_context(actor=request.user, location=location, context=context)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The place is now part of {context.name}")
            return redirect("cases:detail", pk=young_person.pk)
    # Until the user searches, start from the place's postcode district, where there is one.
    searched = request.GET if "q" in request.GET else {"q": location.postcode_district}
    search = ContextSearchForm(searched, with_kind=False)
    text, _ = search.search()
    contexts = selectors.open_contexts_to_link(search=text, kind=ContextKind.LOCATION)
    page, query = _search_page(request, contexts)
    return render(
        request,
        "contexts/links/location_link.html",
        {
            "young_person": young_person,
            "location": location,
            "form": form,
            "search": search,
            "page": page,
            "query": query,
            "new_context_url": _open_new_location_context_url(location),
            "active_section": "caseload",
        },
        status=400 if form.errors else 200,
    )
