"""CI's smoke run of the benchmark command on generated data: load_scale_data's generator at a
tiny scale, then benchmarks.run as `make bench` runs it, then the small-vs-large comparison of
query counts, so the suite that measures csafe at the size of a large council keeps working."""

from __future__ import annotations

import json

import pytest

from benchmarks import run
from demo.scale import Scale
from demo.scale.generator import Generator

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("benchmarks.urls"),
    pytest.mark.postgres(reason="the generator uses COPY"),
]

TINY = Scale("tiny", young_people=120, referrals=180, flags=600, contexts=10, links=60, staff=40)


def test_the_benchmark_command_runs_on_generated_data(tmp_path, capsys):
    Generator(TINY, seed=11, report=lambda line: None).run()
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    assert run.main(["--label", "tiny", "--repeat", "2", "--warmup", "1", "--out", str(first)]) == 0
    assert (
        run.main(["--label", "again", "--repeat", "1", "--warmup", "0", "--out", str(second)]) == 0
    )

    results = json.loads(first.read_text())
    assert results["row_counts"]["young people"] == TINY.young_people
    assert all(page["status"] == 200 and page["median_ms"] > 0 for page in results["pages"])
    assert all(page["many_rows"] is False for page in results["pages"])
    assert all(measure["raw_median_ms"] > 0 for measure in results["measures"])
    capsys.readouterr()
    # The same subjects read twice: the query counts cannot differ.
    assert run.main(["--compare", str(first), str(second)]) == 0
    assert "Every query count is the same" in capsys.readouterr().out
