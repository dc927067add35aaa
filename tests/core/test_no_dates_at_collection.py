"""No test reads the clock when pytest collects it.

Parametrize values, module constants and class attributes are built at collection, which can be
minutes before the test runs. A run that crossed midnight failed sixteen tests that way: "tomorrow"
built on the 7th was today on the 8th, and allowed. Values built from today's date are written as
lambdas and built inside the test (tests/dates.py). This test reads every test module's syntax
tree for a clock read outside a function or lambda.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

# Calls that read the clock, directly or through the test helpers built on it.
CLOCK_CALLS = {"today", "localdate", "now", "localtime", "days_ago", "days_ahead", "utcnow"}


def _reads_the_clock(node: ast.AST) -> bool:
    """Whether evaluating ``node`` now calls the clock: lambdas and nested functions are run
    later, so what is inside them does not count."""
    if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in CLOCK_CALLS or name.endswith("_ago"):
            return True
    return any(_reads_the_clock(child) for child in ast.iter_child_nodes(node))


def _collection_time_nodes(tree: ast.Module):
    """What pytest evaluates on import: module and class statements (not function bodies) and
    every decorator."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from node.decorator_list
    bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for statement in body:
            if isinstance(statement, ast.Assign | ast.AnnAssign | ast.Expr):
                yield statement


def clock_reads_at_collection(source: str) -> list[int]:
    tree = ast.parse(source)
    return sorted({node.lineno for node in _collection_time_nodes(tree) if _reads_the_clock(node)})


def test_no_test_module_reads_the_clock_at_collection():
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in clock_reads_at_collection(path.read_text())
    ]
    assert found == []


def test_the_reader_finds_a_date_built_at_collection_and_not_one_built_later():
    source = (
        "import pytest\n"
        "TOMORROW = today() + timedelta(days=1)\n"
        "@pytest.mark.parametrize('when', [days_ago(3)])\n"
        "def test_a(when): pass\n"
        "@pytest.mark.parametrize('when', [lambda: days_ago(3)])\n"
        "def test_b(when):\n"
        "    today()\n"
        "class TestC:\n"
        "    NOW = timezone.now()\n"
    )
    assert clock_reads_at_collection(source) == [2, 3, 9]
