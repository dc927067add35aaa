"""The young person pages (the caseload, the record, its access log, allocating), one group
per view, each for allowed, forbidden and anonymous users."""
