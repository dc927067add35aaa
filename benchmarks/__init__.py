"""The benchmark suite: times the main pages, API endpoints and dashboard measures in-process on
whatever data the database holds. Run ``python -m benchmarks.run --help`` (or ``make bench``)."""
