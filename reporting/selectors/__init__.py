"""Reads for the dashboards. Aggregates only: nothing here returns a young person except the
drill-down, which returns only records the reader may already see."""

from .measures import MEASURES, dashboard_table, dashboard_tables
from .summary import AuthoritySummary, authority_summary

__all__ = [
    "MEASURES",
    "AuthoritySummary",
    "authority_summary",
    "dashboard_table",
    "dashboard_tables",
]
