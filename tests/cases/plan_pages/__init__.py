"""The plan pages: allowed, forbidden (404, so a record's existence does not leak) and
anonymous users on every page; each rule's message shown in the GOV.UK error summary with
nothing saved; what reviewers see of the factors a plan leaves open; and the pinned query
counts."""
