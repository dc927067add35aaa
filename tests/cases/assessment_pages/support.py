"""URLs, readers and form builders shared by the tests of the assessment pages."""

from __future__ import annotations

import re

from django.urls import reverse

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(name: str, young_person, *args) -> str:
    return reverse(f"cases:{name}", args=[young_person.pk, *args])


def hidden_version(html: str) -> str:
    return re.search(r'<input type="hidden" name="version" value="(\d+)"', html).group(1)
