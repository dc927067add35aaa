"""Path converters for csafe's URLs."""

from __future__ import annotations

from django.urls import register_converter

# PostgreSQL's bigint, and SQLite's INTEGER: the largest key any table of csafe can hold.
LARGEST_KEY = 2**63 - 1


class BoundedIntConverter:
    """Django's ``int``, bounded to what a database key can be. Django's own takes any number of
    digits, and a number past the database's integer (``/young-people/99999999999999999999/``)
    then fails in the database driver (OverflowError on SQLite, out of range on PostgreSQL) as a
    server error; past this bound the path matches nothing, and the answer is 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_KEY:
            raise ValueError(f"{value} is larger than any key")  # to Django: no match
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(BoundedIntConverter, "bounded_int")
