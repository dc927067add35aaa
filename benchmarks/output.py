"""Printing a run's results, and comparing the query counts of two runs."""

from __future__ import annotations

from .timing import MANY_ROWS


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}x"


def _rows(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def _table(headings: list[str], rows: list[list[str]]) -> list[str]:
    """Plain columns: the first left-aligned, the rest right-aligned."""
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headings, *rows, strict=True)
    ]

    def line(cells):
        first, *rest = cells
        right = (str(cell).rjust(width) for cell, width in zip(rest, widths[1:], strict=True))
        return "  ".join([str(first).ljust(widths[0]), *right])

    return [line(headings), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def report_lines(results: dict) -> list[str]:
    db = results["database"]
    subjects = results["subjects"]
    lines = [
        f"csafe benchmarks: {results['label']} ({db['vendor']} {db['name']}), "
        f"median and 95th percentile of {results['repeat']} runs after {results['warmup']} "
        "warm-up",
        "",
        "Rows in the database: "
        + ", ".join(f"{name} {count:,}" for name, count in results["row_counts"].items()),
        "",
        f"Practitioner #{subjects['practitioner_id']}: {subjects['practitioner_pick']} caseload "
        f"of {subjects['practitioners_with_caseload']:,} practitioners "
        f"({subjects['caseload']:,} active allocations)",
        f"Young person #{subjects['young_person_id']}: the heaviest on that caseload "
        f"({subjects['young_person_flags']:,} harm flags, {subjects['young_person_events']:,} "
        "events)",
        f"Context #{subjects['context_id']}: the {'open ' if subjects['context_open'] else ''}"
        f"context with the most active links ({subjects['context_active_links']:,})",
        f"Team manager #{subjects['team_manager_id']}: the team holding the most young people "
        f"({subjects['team_young_people']:,})",
        f"Service manager #{subjects['service_manager_id']}: every team",
        "",
    ]
    if results["pages"]:
        lines += _table(
            ["page", "median ms", "p95 ms", "x floor", "queries", "max rows"],
            [
                [
                    page["key"],
                    _ms(page["median_ms"]),
                    _ms(page["p95_ms"]),
                    _ratio(page["x_floor"]),
                    page["queries"],
                    _rows(page["max_rows"]) + (" !" if page["many_rows"] else ""),
                ]
                for page in results["pages"]
            ],
        )
        lines.append("")
    if results["measures"]:
        lines += _table(
            ["measure (service manager)", "median ms", "p95 ms", "raw SQL ms", "x raw", "queries"],
            [
                [
                    m["key"],
                    _ms(m["median_ms"]),
                    _ms(m["p95_ms"]),
                    _ms(m["raw_median_ms"]),
                    _ratio(m["x_raw"]),
                    m["queries"],
                ]
                for m in results["measures"]
            ],
        )
        lines.append("")
    guard = results.get("guard") or []
    if guard:
        lines += guard_lines(guard)
    flagged = [page["key"] for page in results["pages"] if page["many_rows"]]
    if flagged:
        lines.append(f"! A query returned more than {MANY_ROWS:,} rows on: " + ", ".join(flagged))
    for warning in results["warnings"]:
        lines.append(f"Warning: {warning}")
    return lines


def guard_lines(guard: list[dict]) -> list[str]:
    """The privacy guard's table, and whether each check met its target."""
    first = guard[0]
    lines = [
        f"Privacy guard (contexts.guard.refuse_identities) on a {first['note_chars']:,}-character "
        f"thematic note; target well under {first['target_ms']:,} ms (met: the 95th percentile "
        "is under it)",
    ]
    lines += _table(
        [
            "guard",
            "median ms",
            "p95 ms",
            "SQL ms",
            "recogniser ms",
            "queries",
            "young people",
            "outcome",
            "target",
        ],
        [
            [
                g["key"],
                _ms(g["median_ms"]),
                _ms(g["p95_ms"]),
                _ms(g["raw_sql_median_ms"]),
                _ms(g["recogniser_median_ms"]),
                g["queries"],
                f"{g['young_people']:,}",
                g["outcome"],
                "met" if g["p95_ms"] < g["target_ms"] else "MISSED",
            ]
            for g in guard
        ],
    )
    lines.append("")
    return lines


def _query_counts(results: dict) -> dict[str, int]:
    counts = {f"page {p['key']}": p["queries"] for p in results.get("pages", [])}
    counts.update({f"measure {m['key']}": m["queries"] for m in results.get("measures", [])})
    counts.update({f"guard {g['key']}": g["queries"] for g in results.get("guard", [])})
    return counts


def compare_lines(first: dict, second: dict) -> tuple[list[str], int]:
    """The query counts of two runs side by side; and how many differ (or are in one only)."""
    a, b = _query_counts(first), _query_counts(second)
    differences = 0
    rows = []
    for key in [*a, *(k for k in b if k not in a)]:
        left, right = a.get(key), b.get(key)
        same = left == right
        differences += not same
        rows.append([key, "-" if left is None else left, "-" if right is None else right])
        rows[-1].append("" if same else "DIFFERENT")
    lines = _table(["queries", first["label"], second["label"], ""], rows)
    lines.append("")
    lines.append(
        f"{differences} query count(s) differ"
        if differences
        else "Every query count is the same in both runs"
    )
    return lines, differences
