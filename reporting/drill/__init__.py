"""The drill-down: from a dashboard count to the young people behind it that the reader may
open (selectors), the page and its download (views, urls)."""
