"""Synthetic data at the size of a council, for the benchmarks and the load test.

``manage.py load_scale_data --scale large`` fills an empty PostgreSQL database with invented
young people and their records in bulk (COPY), history and audit rows included. Nothing here is a
real person: names are drawn from short lists, addresses are in the fictional borough of
Northbridge (postcode area NB) and every free-text field is a thematic template.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    young_people: int
    referrals: int
    flags: int
    contexts: int
    links: int
    staff: int


# "large" is a large English council over ten years.
SCALES = {
    "small": Scale("small", 2_000, 3_000, 10_000, 100, 1_000, 100),
    "medium": Scale("medium", 20_000, 30_000, 100_000, 1_000, 10_000, 400),
    "large": Scale("large", 200_000, 300_000, 1_000_000, 10_000, 100_000, 2_000),
}

# Every generated staff account signs in with this password (the load test uses it). Generated
# data is for benchmark databases only; the command refuses a database that holds young people.
STAFF_PASSWORD = "synthetic-scale-only"
