"""The managers' dashboards: the measures (selectors), each drawn as a chart beside its table
(tables, charts, display), filtered by period, team and harm type (forms), and the page and its
CSV files (views, urls)."""
