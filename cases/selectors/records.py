"""Reads of relocations, case notes and documents. Callers have fetched the young person
through ``young_person_get_for_user``, which checked access."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import CaseNote, Document, Relocation, YoungPerson


def relocations_for_young_person(*, young_person: YoungPerson) -> QuerySet[Relocation]:
    return Relocation.objects.filter(young_person=young_person).select_related("plan")


def case_notes_for_young_person(*, young_person: YoungPerson) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(young_person=young_person).select_related("author")


def documents_for_young_person(*, young_person: YoungPerson) -> QuerySet[Document]:
    return Document.objects.filter(young_person=young_person).select_related("uploaded_by")
