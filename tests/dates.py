"""Test parameters built from today's date are built inside the test, never at collection.

pytest builds parametrize values when it collects, which can be minutes before the test runs: a
run that crosses midnight then checks yesterday's "tomorrow" (today, and allowed) against a rule
about the future, and fails for nothing the code did. Such a value is written as a lambda (or a
dict holding lambdas) and the test calls ``built`` on it.
"""

from __future__ import annotations


def built(value):
    """The value, with any lambda in it (at the top or as a dict's value) called now."""
    if callable(value):
        return built(value())
    if isinstance(value, dict):
        return {key: built(item) for key, item in value.items()}
    return value
